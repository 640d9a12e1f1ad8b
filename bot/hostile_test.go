package bot_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/bot"
)

const (
	hostilePath = "testdata/hostile.yaml"
	// answerLimit bounds one answer. It is generous on purpose (the engine caps
	// its input and answers in microseconds): it catches a hang or a
	// quadratic blow-up, not a slow CI machine running -race.
	answerLimit = 10 * time.Second
	// maxAnswerBytes bounds an answer's text; adapters split for their platform.
	maxAnswerBytes = 20000
	// maxKeyBytes is the suggestion-key limit documented on bot.Suggestion.
	maxKeyBytes = 48
)

// hostileCase is one hostile message and what its answer must satisfy
// (see the header of testdata/hostile.yaml).
type hostileCase struct {
	Name        string        `yaml:"name"`
	Lang        string        `yaml:"lang"`
	Text        *string       `yaml:"text"`
	Parts       []hostilePart `yaml:"parts"`
	Contains    []string      `yaml:"contains"`
	OrFallback  bool          `yaml:"or_fallback"`
	NotContains []string      `yaml:"not_contains"`
	Fallback    *bool         `yaml:"fallback"`

	input string // built by loadHostile
}

// hostilePart is one piece of a generated input.
type hostilePart struct {
	Text   *string `yaml:"text"`
	Hex    string  `yaml:"hex"`
	Repeat string  `yaml:"repeat"`
	Times  int     `yaml:"times"`
}

// loadHostile reads, validates and builds the hostile table.
func loadHostile(tb testing.TB) []hostileCase {
	tb.Helper()
	data, err := os.ReadFile(hostilePath)
	if err != nil {
		tb.Fatalf("read hostile table: %v", err)
	}
	cases, err := parseHostile(data)
	if err != nil {
		tb.Fatalf("%s: %v", hostilePath, err)
	}
	return cases
}

// parseHostile decodes the table strictly and builds each case's input,
// returning every problem at once.
func parseHostile(data []byte) ([]hostileCase, error) {
	var cases []hostileCase
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cases); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	var problems []string
	names := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("case %d %q: %s", i+1, c.Name, fmt.Sprintf(format, args...)))
		}
		if c.Name == "" {
			bad("no name")
		}
		if names[c.Name] {
			bad("duplicate name")
		}
		names[c.Name] = true
		if c.Lang == "" {
			c.Lang = "en"
		}
		if c.Lang != "en" && c.Lang != "zh" {
			bad("lang %q: want en or zh", c.Lang)
		}
		if (c.Text == nil) == (len(c.Parts) == 0) {
			bad("want exactly one of text and parts")
		}
		if len(c.Contains) == 0 && len(c.NotContains) == 0 && c.Fallback == nil {
			bad("no expectation (contains, not_contains or fallback)")
		}
		if c.OrFallback && len(c.Contains) == 0 {
			bad("or_fallback without contains")
		}
		if c.Fallback != nil && *c.Fallback && (len(c.Contains) > 0 || c.OrFallback) {
			bad("fallback: true with facts to contain")
		}
		in, err := buildInput(c)
		if err != nil {
			bad("%v", err)
		}
		c.input = in
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return cases, nil
}

// buildInput assembles a case's message from its text or parts.
func buildInput(c *hostileCase) (string, error) {
	if c.Text != nil {
		return *c.Text, nil
	}
	var b strings.Builder
	for i, p := range c.Parts {
		set := 0
		var piece string
		if p.Text != nil {
			set++
			piece = *p.Text
		}
		if p.Hex != "" {
			set++
			raw, err := hex.DecodeString(strings.ReplaceAll(p.Hex, " ", ""))
			if err != nil {
				return "", fmt.Errorf("part %d: hex: %w", i+1, err)
			}
			piece = string(raw)
		}
		if p.Repeat != "" {
			set++
			piece = p.Repeat
			if p.Times < 1 {
				return "", fmt.Errorf("part %d: repeat needs times >= 1", i+1)
			}
		}
		if set != 1 {
			return "", fmt.Errorf("part %d: want exactly one of text, hex and repeat", i+1)
		}
		times := max(p.Times, 1)
		if times > 1<<20 || len(piece)*times > 1<<20 {
			return "", fmt.Errorf("part %d: more than 1 MiB", i+1)
		}
		b.WriteString(strings.Repeat(piece, times))
	}
	return b.String(), nil
}

// answerWithin answers q, failing the test if the engine does not return
// within limit. The engine runs in its own goroutine so that a hang is
// reported as such instead of stalling the test binary until its timeout.
func answerWithin(tb testing.TB, e *bot.Engine, q bot.Question, limit time.Duration) bot.Answer {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	done := make(chan bot.Answer, 1)
	go func() { done <- e.Answer(ctx, q) }()
	select {
	case a := <-done:
		return a
	case <-ctx.Done():
		tb.Fatalf("Answer(%q) did not return within %v", clip(q.Text, 80), limit)
		return bot.Answer{}
	}
}

// checkWellFormed asserts what every answer must be, whatever was asked:
// non-empty, valid UTF-8, bounded, free of control and bidi-override
// characters (which would let an echoed message spoof or garble the bot's
// reply), with usable suggestion keys.
func checkWellFormed(tb testing.TB, in string, a bot.Answer) {
	tb.Helper()
	q := clip(in, 80)
	if strings.TrimSpace(a.Text) == "" {
		tb.Errorf("Answer(%q).Text is empty", q)
	}
	if len(a.Text) >= maxAnswerBytes {
		tb.Errorf("Answer(%q).Text is %d bytes; want < %d", q, len(a.Text), maxAnswerBytes)
	}
	if a.Lang != bot.English && a.Lang != bot.Chinese {
		tb.Errorf("Answer(%q).Lang = %q; want en or zh", q, a.Lang)
	}
	fields := map[string]string{"Text": a.Text, "Title": a.Title, "Source": a.Source}
	for i, l := range a.Lines {
		fields[fmt.Sprintf("Lines[%d]", i)] = l
	}
	for i, s := range a.Sources {
		fields[fmt.Sprintf("Sources[%d]", i)] = s
	}
	for i, s := range a.Suggestions {
		fields[fmt.Sprintf("Suggestions[%d].Text", i)] = s.Text
		if s.Text == "" {
			tb.Errorf("Answer(%q).Suggestions[%d].Text is empty", q, i)
		}
		if s.Key == "" || len(s.Key) > maxKeyBytes {
			tb.Errorf("Answer(%q).Suggestions[%d].Key = %q; want 1 to %d bytes", q, i, s.Key, maxKeyBytes)
		}
		for _, r := range s.Key {
			if r < 0x21 || r > 0x7e {
				tb.Errorf("Answer(%q).Suggestions[%d].Key = %q; want printable ASCII", q, i, s.Key)
				break
			}
		}
	}
	for name, s := range fields {
		if !utf8.ValidString(s) {
			tb.Errorf("Answer(%q).%s = %q is not valid UTF-8", q, name, clip(s, 120))
		}
		if r, ok := badRune(s); ok {
			tb.Errorf("Answer(%q).%s contains %U: %q", q, name, r, clip(s, 120))
		}
	}
}

// badRune finds a character no answer should carry: control characters other
// than newline and tab, and bidi embeddings, overrides and isolates.
func badRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r):
			return r, true
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return r, true
		}
	}
	return 0, false
}

// TestHostileTable validates the hostile table's own format.
func TestHostileTable(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{"unknown key", `- {name: a, txt: x, fallback: true}`, "field txt not found"},
		{"no input", `- {name: a, fallback: true}`, "exactly one of text and parts"},
		{"text and parts", `- {name: a, text: x, parts: [{text: y}], fallback: true}`, "exactly one of text and parts"},
		{"no expectation", `- {name: a, text: x}`, "no expectation"},
		{"bad hex", `- {name: a, parts: [{hex: zz}], fallback: true}`, "hex"},
		{"repeat without times", `- {name: a, parts: [{repeat: x}], fallback: true}`, "times >= 1"},
		{"two kinds in a part", `- {name: a, parts: [{text: x, hex: ff}], fallback: true}`, "exactly one of text, hex and repeat"},
		{"fallback and facts", `- {name: a, text: x, fallback: true, contains: [y]}`, "fallback: true with facts"},
		{"duplicate", "- {name: a, text: x, fallback: true}\n- {name: a, text: y, fallback: true}", "duplicate name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseHostile([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseHostile(%s) = %v; want error containing %q", tc.yaml, err, tc.wantErr)
			}
		})
	}

	t.Run("generated inputs", func(t *testing.T) {
		byName := map[string]hostileCase{}
		for _, c := range loadHostile(t) {
			byName[c.Name] = c
		}
		checks := []struct {
			name string
			ok   func(string) bool
		}{
			{"100 KB of one letter", func(s string) bool { return len(s) == 102400 }},
			{"10,000 emoji", func(s string) bool { return utf8.RuneCountInString(s) == 10000 }},
			{"invalid UTF-8 only", func(s string) bool { return !utf8.ValidString(s) }},
			{"100 KB of invalid bytes", func(s string) bool { return len(s) == 102400 && !utf8.ValidString(s) }},
			{"NUL bytes only", func(s string) bool { return s == "\x00\x00\x00\x00" }},
		}
		for _, ch := range checks {
			c, ok := byName[ch.name]
			if !ok {
				t.Errorf("hostile table has no case %q", ch.name)
				continue
			}
			if !ch.ok(c.input) {
				t.Errorf("case %q built %d bytes %q; not what its name says", ch.name, len(c.input), clip(c.input, 40))
			}
		}
	})
}

// TestHostile runs every hostile message through the real engine, in a fresh
// conversation and after a question that leaves context behind.
func TestHostile(t *testing.T) {
	e := newEngine(t)
	for i, c := range loadHostile(t) {
		t.Run(c.Name, func(t *testing.T) {
			q := bot.Question{Text: c.input, ConversationID: fmt.Sprintf("hostile-%d", i), Locale: c.Lang}
			a := answerWithin(t, e, q, answerLimit)
			checkWellFormed(t, c.input, a)
			checkHostileExpectation(t, c, a)

			// The same message as a follow-up must be as well-formed (context
			// resolution is a second path through the engine).
			ctxConv := fmt.Sprintf("hostile-ctx-%d", i)
			answerWithin(t, e, bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: ctxConv, Locale: c.Lang}, answerLimit)
			a2 := answerWithin(t, e, bot.Question{Text: c.input, ConversationID: ctxConv, Locale: c.Lang}, answerLimit)
			checkWellFormed(t, c.input, a2)
		})
	}
}

// checkHostileExpectation asserts a case's facts or fallback.
func checkHostileExpectation(t *testing.T, c hostileCase, a bot.Answer) {
	t.Helper()
	q := clip(c.input, 80)
	body := claimBody(a)
	for _, nc := range c.NotContains {
		if containsFact(body, nc) {
			t.Errorf("Answer(%q) = %q; must not contain %q", q, clip(a.Text, 300), nc)
		}
	}
	if c.Fallback != nil && a.Fallback != *c.Fallback {
		t.Errorf("Answer(%q).Fallback = %v; want %v (text %q)", q, a.Fallback, *c.Fallback, clip(a.Text, 300))
	}
	if len(c.Contains) == 0 || (c.OrFallback && a.Fallback) {
		return
	}
	for _, f := range c.Contains {
		if !containsFact(a.Text, f) {
			t.Errorf("Answer(%q) = %q; want it to contain %q", q, clip(a.Text, 300), f)
		}
	}
}
