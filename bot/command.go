package bot

import (
	"context"
	"strings"
	"sync"
	"unicode"
)

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
	Command Command
	// Name is the command's name in the locale, for platforms that show
	// localised names (Discord); Telegram's must be Command itself.
	Name        string
	Description string
	// Argument names and describes the command's text argument, if it takes one.
	Argument, ArgumentDescription string
}

// Command answers a platform command in the asker's locale (q.Text is
// ignored except for CommandAsk, which is answered like Answer).
func (e *Engine) Command(ctx context.Context, cmd Command, q Question) Answer {
	lang := q.Lang
	if lang == "" {
		lang = LocaleOf(q.Locale)
	}
	r := resolution{confidence: 1}
	switch cmd {
	case CommandAsk:
		return e.Answer(ctx, q)
	case CommandStart:
		a := e.compose(resolution{intent: IntentHelp, confidence: 1}, lang)
		a.Lines = append([]string{e.msg[lang]["welcome"]}, a.Lines...)
		return e.rebuild(a, lang)
	case CommandHelp:
		r.intent = IntentHelp
	case CommandPairs:
		r.intent = IntentListPairs
	case CommandTasks:
		r.intent = IntentTasks
	case CommandAbout:
		a := e.compose(resolution{intent: IntentOverview, confidence: 1}, lang)
		src := e.compose(resolution{intent: IntentSources, confidence: 1}, lang)
		a.Lines = append(append(a.Lines, src.Title), src.Lines...)
		return e.rebuild(a, lang)
	default:
		r.intent = IntentHelp
	}
	return e.compose(r, lang)
}

// rebuild re-assembles Text after Lines were changed.
func (e *Engine) rebuild(a Answer, lang Locale) Answer {
	c := composer{e: e, lang: lang, m: e.msg[lang], a: a, sources: a.Sources}
	return c.finish()
}

// Commands returns the commands with their descriptions in locale, in menu order.
func Commands(locale Locale) []CommandInfo {
	m := sharedMessages()[locale]
	cmds := []CommandInfo{
		{Command: CommandAsk, Argument: m["cmd_ask_argname"], ArgumentDescription: m["cmd_ask_arg"]},
		{Command: CommandPairs},
		{Command: CommandTasks},
		{Command: CommandAbout},
		{Command: CommandHelp},
		{Command: CommandStart},
	}
	for i := range cmds {
		cmds[i].Name = m["cmd_name_"+string(cmds[i].Command)]
		cmds[i].Description = m["cmd_"+string(cmds[i].Command)]
	}
	return cmds
}

// QuestionLocale is the language of a question's text, for the notices
// adapters send without asking the engine (RateLimitNotice): Chinese for
// Chinese text, English for Latin letters, else the asker's locale.
func QuestionLocale(q Question) Locale {
	switch {
	case q.Lang != "":
		return q.Lang
	case hasHan(q.Text):
		return Chinese
	case strings.IndexFunc(q.Text, func(r rune) bool { return r < 128 && unicode.IsLetter(r) }) >= 0:
		return English
	}
	return LocaleOf(q.Locale)
}

// Examples returns example questions in locale, for autocomplete and help.
func Examples(locale Locale) []string {
	return strings.Split(strings.TrimSpace(sharedMessages()[locale]["examples"]), "\n")
}

// RateLimitNotice is the one notice sent to a user who asks too fast.
func RateLimitNotice(locale Locale) string { return sharedMessages()[locale]["rate_limited"] }

// ConnectHint is the one line the terminal chat prints on how to connect Discord and Telegram.
func ConnectHint() string { return sharedMessages()[English]["connect_hint"] }

// parsedMessages parses the embedded messages once per process; New
// reports an error, the package-level functions read empty texts.
var parsedMessages = sync.OnceValues(loadMessages)

func sharedMessages() messages {
	m, err := parsedMessages()
	if err != nil {
		return messages{English: {}, Chinese: {}}
	}
	return m
}
