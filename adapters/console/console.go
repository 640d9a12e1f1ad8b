// Package console is the terminal chat: it reads questions line by line,
// prints the engine's answers, and offers a few words of its own: "why"
// explains the last answer, a number asks a suggested question, "/pairs" and
// the other command words run engine commands, and "quit" ends the chat.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot"
)

// answerer is the part of the engine the chat talks to.
type answerer interface {
	Answer(ctx context.Context, q bot.Question) bot.Answer
	Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer
	Suggested(key string, locale bot.Locale) (string, bool)
}

// Options configures a Console.
type Options struct {
	In  io.Reader
	Out io.Writer
	// Locale is the user's language tag, such as the LANG environment variable ("zh_CN.UTF-8").
	Locale string
	// Logger hears about failures; nil discards.
	Logger *slog.Logger
}

// Console is one terminal chat session.
type Console struct {
	a    answerer
	opts Options
}

// conversationID keys the chat's context: a terminal holds one conversation.
const conversationID = "console"

// maxLine bounds one line of input.
const maxLine = 1 << 20

// New returns a chat over a, reading opts.In and writing opts.Out.
func New(a answerer, opts Options) *Console {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Console{a: a, opts: opts}
}

// Run greets, then answers line after line until the input ends, the user
// types quit or exit, or ctx ends; all three are a normal end and return nil.
// A read blocked on a terminal cannot be interrupted, so when ctx ends first
// the reading goroutine stays blocked until the input yields a line or closes;
// it never touches the Console again.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		sc := bufio.NewScanner(c.opts.In)
		sc.Buffer(make([]byte, 0, 4096), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-stop:
				return
			}
		}
		readErr <- sc.Err()
	}()

	out := bufio.NewWriter(c.opts.Out)
	s := session{c: c, out: out}
	s.greet(ctx)
	for {
		fmt.Fprint(out, "> ")
		if err := out.Flush(); err != nil {
			return fmt.Errorf("console: write: %w", err)
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(out)
			return out.Flush()
		case err := <-readErr:
			fmt.Fprintln(out)
			if flushErr := out.Flush(); err == nil {
				err = flushErr
			}
			if err != nil {
				return fmt.Errorf("console: read: %w", err)
			}
			return nil
		case line := <-lines:
			if !s.handle(ctx, strings.TrimSpace(line)) {
				return out.Flush()
			}
		}
	}
}

// session is the state of one chat: the last answer, for "why" and suggestion numbers.
type session struct {
	c    *Console
	out  *bufio.Writer
	last *bot.Answer
}

func (s *session) question(text string) bot.Question {
	return bot.Question{Text: text, ConversationID: conversationID, Locale: s.c.opts.Locale}
}

func (s *session) greet(ctx context.Context) {
	a := s.c.a.Command(ctx, bot.CommandStart, s.question(""))
	fmt.Fprintf(s.out, "%s\n%s\n\n", strings.TrimRight(a.Text, "\n"), bot.ConnectHint())
}

// handle answers one line and reports whether the chat goes on.
func (s *session) handle(ctx context.Context, line string) bool {
	switch {
	case line == "":
		return true
	case line == "quit" || line == "exit" || line == "/quit" || line == "/exit":
		return false
	case line == "why" || line == "/why":
		s.why()
		return true
	}
	if s.last != nil {
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(s.last.Suggestions) {
			locale := s.last.Lang
			if text, ok := s.c.a.Suggested(s.last.Suggestions[n-1].Key, locale); ok {
				fmt.Fprintf(s.out, "> %s\n", text)
				s.show(s.c.a.Answer(ctx, s.question(text)))
				return true
			}
			s.c.opts.Logger.Warn("suggestion key not recognised by the engine", "key", s.last.Suggestions[n-1].Key)
		}
	}
	if cmd, arg, ok := command(line); ok {
		s.show(s.c.a.Command(ctx, cmd, s.question(arg)))
		return true
	}
	s.show(s.c.a.Answer(ctx, s.question(line)))
	return true
}

// command recognises "/pairs" and the other engine command words.
func command(line string) (bot.Command, string, bool) {
	rest, ok := strings.CutPrefix(line, "/")
	if !ok {
		return "", "", false
	}
	word, arg, _ := strings.Cut(rest, " ")
	for _, info := range bot.Commands(bot.English) {
		if strings.EqualFold(word, string(info.Command)) {
			return info.Command, strings.TrimSpace(arg), true
		}
	}
	return "", "", false
}

// show prints an answer. Suggestions get numbers, typed to ask them: where
// the text lists a suggestion as a "- " item, the number replaces the dash;
// the others are listed after the text.
func (s *session) show(a bot.Answer) {
	s.last = &a
	lines := strings.Split(strings.TrimRight(a.Text, "\n"), "\n")
	var extra []string
	for i, sg := range a.Suggestions {
		numbered := fmt.Sprintf("[%d] %s", i+1, sg.Text)
		if j := slices.Index(lines, "- "+sg.Text); j >= 0 {
			lines[j] = numbered
		} else {
			extra = append(extra, "  "+numbered)
		}
	}
	for _, l := range append(lines, extra...) {
		fmt.Fprintln(s.out, l)
	}
	fmt.Fprintln(s.out)
}

// why prints the engine's explanation of the last answer.
func (s *session) why() {
	if s.last == nil {
		fmt.Fprint(s.out, "why: no answer yet\n\n")
		return
	}
	w := s.last.Why
	fmt.Fprintf(s.out, "intent:     %s (confidence %.2f)\n", w.Intent, w.Confidence)
	if w.RunnerUp != "" {
		fmt.Fprintf(s.out, "runner-up:  %s (%.2f)\n", w.RunnerUp, w.RunnerUpScore)
	}
	fmt.Fprintf(s.out, "entities:   %s\n", list(w.Entities))
	fmt.Fprintf(s.out, "context:    %t\n", w.FromContext)
	if w.NormalizedQuery != "" {
		fmt.Fprintf(s.out, "normalized: %s\n", w.NormalizedQuery)
	}
	fmt.Fprintf(s.out, "fallback:   %t\n", s.last.Fallback)
	fmt.Fprintf(s.out, "sources:    %s\n\n", list(s.last.Sources))
}

func list(items []string) string {
	if len(items) == 0 {
		return "-"
	}
	return strings.Join(items, ", ")
}
