package discord_test

import (
	"context"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/adapters/discord/discordtest"
	"github.com/planbot/planbot/bot"
)

// hostilePath is the hostile-input table shared by the engine and every
// adapter (issue 8); bot/hostile_test.go documents and validates it.
const hostilePath = "../../bot/testdata/hostile.yaml"

// answerBound is how long a hostile message may take to be answered.
const answerBound = 10 * time.Second

// hostileCase is the part of a table entry the adapter needs: the input.
type hostileCase struct {
	Name  string  `yaml:"name"`
	Lang  string  `yaml:"lang"`
	Text  *string `yaml:"text"`
	Parts []struct {
		Text   *string `yaml:"text"`
		Hex    string  `yaml:"hex"`
		Repeat string  `yaml:"repeat"`
		Times  int     `yaml:"times"`
	} `yaml:"parts"`
}

// input builds the message from text or parts, as bot/hostile_test.go does.
func (c hostileCase) input(t *testing.T) string {
	t.Helper()
	if c.Text != nil {
		return *c.Text
	}
	var b strings.Builder
	for _, p := range c.Parts {
		piece := p.Repeat
		switch {
		case p.Text != nil:
			piece = *p.Text
		case p.Hex != "":
			raw, err := hex.DecodeString(strings.ReplaceAll(p.Hex, " ", ""))
			if err != nil {
				t.Fatalf("%s: %q: hex: %v", hostilePath, c.Name, err)
			}
			piece = string(raw)
		}
		b.WriteString(strings.Repeat(piece, max(p.Times, 1)))
	}
	return b.String()
}

func loadHostile(t *testing.T) []hostileCase {
	t.Helper()
	data, err := os.ReadFile(hostilePath)
	if err != nil {
		t.Fatalf("read the hostile table: %v", err)
	}
	var cases []hostileCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatalf("%s: %v", hostilePath, err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no cases", hostilePath)
	}
	return cases
}

// TestHostileInput sends every hostile message as a mention and as /ask. Each
// must be answered in time with well-formed messages that ping nobody (the
// harness checks every request), showing exactly what the engine answers to
// the text Discord delivers: the adapter adds nothing and loses nothing.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	ctx := context.Background()
	for _, c := range loadHostile(t) {
		t.Run(c.Name, func(t *testing.T) {
			in := c.input(t)
			// What the engine gets: the JSON-decoded text, trimmed, with the
			// bot's mention removed.
			text := strings.TrimSpace(discordtest.Decoded(in))
			locale := "en-US"
			if c.Lang == "zh" {
				locale = "zh-CN"
			}
			t.Run("mention", func(t *testing.T) {
				q := bot.Question{Text: text, ConversationID: "hostile mention " + c.Name}
				want := h.engine.Answer(ctx, q)
				if text == "" {
					want = h.engine.Command(ctx, bot.CommandHelp, q)
				}
				sent := time.Now()
				_, ch := h.fake.PostMessage(discordtest.UserMessage{MentionBot: true, Content: mentionBot(in)})
				checkHostileAnswer(t, h.waitUntilShown(t, inChannel(ch), want.Text), sent)
			})
			t.Run("slash command", func(t *testing.T) {
				want := h.engine.Answer(ctx, bot.Question{Text: text, Locale: locale, ConversationID: "hostile slash " + c.Name})
				sent := time.Now()
				id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, Locale: locale,
					Command: "ask", Options: []discordtest.Option{questionOption(in)}})
				checkHostileAnswer(t, h.waitUntilShown(t, forInteraction(id), want.Text), sent)
			})
		})
	}
}

func checkHostileAnswer(t *testing.T, got []discordtest.Request, sent time.Time) {
	t.Helper()
	if len(got) == 0 {
		t.Fatal("no answer")
	}
	if took := got[0].At.Sub(sent); took > answerBound {
		t.Errorf("answered after %v; want within %v", took, answerBound)
	}
	for i, r := range got {
		if !utf8.ValidString(r.Message.Content) || r.Message.Content == "" {
			t.Errorf("message %d content %.40q is empty or not UTF-8", i+1, r.Message.Content)
		}
		if n := utf8.RuneCountInString(r.Message.Content); n > discordtest.MaxContent {
			t.Errorf("message %d has %d characters; Discord allows %d", i+1, n, discordtest.MaxContent)
		}
	}
}
