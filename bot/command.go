package bot

// Command is a platform command the engine answers.
type Command string

// The commands adapters publish. Their names are the command words.
const (
	CommandStart Command = "start" // welcome (Telegram)
	CommandHelp  Command = "help"
	CommandAsk   Command = "ask" // ask a question: the argument is Question.Text
	CommandPairs Command = "pairs"
	CommandTasks Command = "tasks"
	CommandAbout Command = "about" // the plan and its sources
)

// CommandInfo describes a command for registration with a platform.
type CommandInfo struct {
	Command     Command
	Description string
	// Argument names and describes the command's text argument, if it takes one.
	Argument, ArgumentDescription string
}

// Commands returns the commands with their descriptions in locale, in menu order.
func Commands(locale Locale) []CommandInfo {
	return []CommandInfo{
		{Command: CommandAsk, Description: "Ask about the paired cooperation plan", Argument: "question", ArgumentDescription: "Your question, e.g. Who is Ganzhou paired with?"},
		{Command: CommandPairs, Description: "List all pairs"},
		{Command: CommandTasks, Description: "The five key tasks"},
		{Command: CommandAbout, Description: "About the plan and its sources"},
		{Command: CommandHelp, Description: "How to ask"},
		{Command: CommandStart, Description: "Welcome"},
	}
}

// Examples returns example questions in locale, for autocomplete and help.
func Examples(locale Locale) []string {
	return []string{"Who is Zhangjiajie paired with?", "张家界和哪个城市结对？"}
}

// RateLimitNotice is the one notice sent to a user who asks too fast.
func RateLimitNotice(locale Locale) string {
	return "You are asking faster than I can answer; please wait a few seconds."
}

// ConnectHint is the one line the terminal chat prints on how to connect Discord and Telegram.
func ConnectHint() string {
	return "Set DISCORD_BOT_TOKEN or TELEGRAM_BOT_TOKEN to serve Discord or Telegram."
}
