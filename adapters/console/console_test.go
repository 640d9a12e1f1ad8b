package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/adapters/console"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

func newEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("knowledge.Load: %v", err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

// chat runs a whole console session over input and returns what it printed.
func chat(t *testing.T, e *bot.Engine, locale, input string) string {
	t.Helper()
	var out bytes.Buffer
	c := console.New(e, console.Options{In: strings.NewReader(input), Out: &out, Locale: locale})
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run(%q) = %v; want nil", input, err)
	}
	return out.String()
}

func TestChat(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ask := func(text, locale string) string {
		return e.Answer(ctx, bot.Question{Text: text, ConversationID: t.Name() + text, Locale: locale}).Text
	}
	tests := []struct {
		name    string
		locale  string
		input   string
		want    []string
		notWant []string
		prompts int // how many "> " prompts were printed
	}{
		{
			name:    "greets with the connect hint and ends at end of input",
			input:   "",
			want:    []string{bot.ConnectHint()},
			prompts: 1,
		},
		{
			name:    "answers a question",
			input:   "Who is Zhangjiajie paired with?\n",
			want:    []string{ask("Who is Zhangjiajie paired with?", "")},
			prompts: 2,
		},
		{
			name:    "answers in the locale asked",
			locale:  "zh_CN.UTF-8",
			input:   "张家界和哪个城市结对？\n",
			want:    []string{ask("张家界和哪个城市结对？", "zh")},
			prompts: 2,
		},
		{
			name:    "why explains the last answer",
			input:   "what is the weather like?\nwhy\n",
			want:    []string{"intent:     fallback", "fallback:   true", "sources:    -"},
			prompts: 3,
		},
		{
			name:    "why before any answer",
			input:   "why\n",
			want:    []string{"why: no answer yet"},
			prompts: 2,
		},
		{
			name:    "quit ends the chat and later lines go unanswered",
			input:   "quit\nwhy\n",
			notWant: []string{"why:"},
			prompts: 1,
		},
		{
			name:    "exit ends the chat too",
			input:   "  exit  \nwhy\nwhat is the weather like?\n",
			notWant: []string{"why:"},
			prompts: 1,
		},
		{
			name:    "blank lines are skipped",
			input:   "\n   \n",
			notWant: []string{"intent:"},
			prompts: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := chat(t, e, tc.locale, tc.input)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("chat(%q) printed:\n%s\nwant it to contain %q", tc.input, out, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("chat(%q) printed:\n%s\nwant no %q", tc.input, out, w)
				}
			}
			if got := strings.Count(out, "> "); got != tc.prompts {
				t.Errorf("chat(%q) printed %d prompts; want %d:\n%s", tc.input, got, tc.prompts, out)
			}
		})
	}
}

func TestCommandWords(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	for _, info := range bot.Commands(bot.English) {
		if info.Command == bot.CommandStart || info.Command == bot.CommandAsk {
			continue // start is the greeting; ask is tested with an argument below
		}
		t.Run(string(info.Command), func(t *testing.T) {
			want := e.Command(ctx, info.Command, bot.Question{ConversationID: "console"}).Text
			out := chat(t, e, "", "/"+string(info.Command)+"\n")
			if !strings.Contains(out, want) {
				t.Errorf("/%s printed:\n%s\nwant the engine's answer %q", info.Command, out, want)
			}
		})
	}
	t.Run("ask with an argument", func(t *testing.T) {
		q := "Who is Chenzhou paired with?"
		want := e.Command(ctx, bot.CommandAsk, bot.Question{Text: q, ConversationID: "other"}).Text
		out := chat(t, e, "", "/ask "+q+"\n")
		if !strings.Contains(out, want) {
			t.Errorf("/ask printed:\n%s\nwant %q", out, want)
		}
	})
}

func TestRunEndsWithContext(t *testing.T) {
	in, w := io.Pipe() // input that never comes, as a silent terminal
	defer w.Close()
	var out bytes.Buffer
	c := console.New(newEngine(t), console.Options{In: in, Out: &out})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel = %v; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of its context ending")
	}
}

func TestRunReportsReadErrors(t *testing.T) {
	in := strings.NewReader(strings.Repeat("x", 2<<20) + "\n") // one line past the limit
	c := console.New(newEngine(t), console.Options{In: in, Out: io.Discard})
	if err := c.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "read") {
		t.Errorf("Run over a 2 MiB line = %v; want a read error", err)
	}
}

func TestSuggestionNumbers(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	const unsure = "which province is it in?" // with no earlier turn, the engine offers suggestions
	a := e.Answer(ctx, bot.Question{Text: unsure, ConversationID: "probe"})
	if len(a.Suggestions) == 0 {
		t.Fatalf("Answer(%q) has no suggestions; the test needs a question the engine is unsure of", unsure)
	}
	first, ok := e.Suggested(a.Suggestions[0].Key, a.Lang)
	if !ok {
		t.Fatalf("Suggested(%q) = false", a.Suggestions[0].Key)
	}
	want := e.Answer(ctx, bot.Question{Text: first, ConversationID: "probe2"}).Text

	out := chat(t, e, "", unsure+"\n1\n")
	for _, w := range []string{"[1] " + a.Suggestions[0].Text, "> " + first + "\n", want} {
		if !strings.Contains(out, w) {
			t.Errorf("chat printed:\n%s\nwant it to contain %q", out, w)
		}
	}
	if strings.Contains(out, "- "+a.Suggestions[0].Text) {
		t.Errorf("chat printed the suggestion unnumbered:\n%s", out)
	}
}
