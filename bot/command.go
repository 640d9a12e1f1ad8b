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
func Commands(locale Locale) []CommandInfo { panic("TODO") }

// Examples returns example questions in locale, for autocomplete and help.
func Examples(locale Locale) []string { panic("TODO") }

// RateLimitNotice is the one notice sent to a user who asks too fast.
func RateLimitNotice(locale Locale) string { panic("TODO") }

// ConnectHint is the one line the terminal chat prints on how to connect Discord and Telegram.
func ConnectHint() string { panic("TODO") }
