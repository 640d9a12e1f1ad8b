package telegram_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// convCase is one conversation of testdata/conversations.yaml.
type convCase struct {
	Name  string     `yaml:"name"`
	Chat  string     `yaml:"chat"` // "private" (default) or "group"
	Lang  string     `yaml:"lang"`
	Turns []convTurn `yaml:"turns"`
}

type convTurn struct {
	From       int64    `yaml:"from"`
	Lang       string   `yaml:"lang"`
	Say        string   `yaml:"say"`
	ReplyToBot bool     `yaml:"reply_to_bot"`
	Press      int      `yaml:"press"`
	Want       []string `yaml:"want"`
	Not        []string `yaml:"not"`
	Buttons    bool     `yaml:"buttons"`
	Quiet      bool     `yaml:"quiet"`
}

func loadConversations(t *testing.T, path string) []convCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var cases []convCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, c := range cases {
		if len(c.Turns) == 0 || c.Turns[len(c.Turns)-1].Quiet {
			// The check that a quiet turn got no answer is the next answer
			// arriving for the next message, so a case cannot end quietly.
			t.Fatalf("%s: case %q must end with a turn the bot answers", path, c.Name)
		}
		if c.Chat != "" && c.Chat != "private" && c.Chat != "group" {
			t.Fatalf("%s: case %q: chat %q; want private or group", path, c.Name, c.Chat)
		}
		for _, turn := range c.Turns {
			if (turn.Say == "") == (turn.Press == 0) {
				t.Fatalf("%s: case %q: a turn needs exactly one of say and press", path, c.Name)
			}
		}
	}
	return cases
}

func TestConversations(t *testing.T) {
	cases := loadConversations(t, "testdata/conversations.yaml")
	h := newHarness(t, nil)
	h.start(h.options())
	for i, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			base := int64(1000 + 10*i) // chat and user ids of this case
			var last botMessage        // the bot's last message in this chat
			for n, turn := range tc.Turns {
				from := turn.From
				if from == 0 {
					from = 1
				}
				lang := turn.Lang
				if lang == "" {
					lang = tc.Lang
				}
				var chat int64
				if tc.Chat == "group" {
					chat = -base
				}
				u := h.user(base+from, chat, lang)
				u.t = t
				calls := h.proxy.callCount("answerCallbackQuery")
				asked := turn.Say
				switch {
				case turn.Press > 0:
					buttons := buttonsOf(last)
					if len(buttons) < turn.Press {
						t.Fatalf("turn %d: press %d, but the last reply %q has buttons %q", n+1, turn.Press, clip(last.Message.Text), buttons)
					}
					u.press(last, buttons[turn.Press-1])
				case turn.ReplyToBot:
					u.replyTo(last, turn.Say)
				default:
					u.say(turn.Say)
				}
				if turn.Quiet {
					continue
				}
				got := u.replies(1)
				if len(got) != 1 {
					t.Fatalf("turn %d %q: got %d replies %q; want 1 (did a quiet turn get an answer?)", n+1, asked, len(got), texts(got))
				}
				last = got[0]
				checkWellFormed(t, last)
				checkReply(t, n+1, asked, turn, last)
				if turn.Press > 0 && h.proxy.callCount("answerCallbackQuery") == calls {
					t.Errorf("turn %d: button press not answered with answerCallbackQuery", n+1)
				}
				if u.group() && turn.Press == 0 {
					checkThreads(t, h, u, asked, last)
				}
			}
		})
	}
}

func checkReply(t *testing.T, n int, asked string, turn convTurn, m botMessage) {
	t.Helper()
	text := strings.ToLower(m.Message.Text)
	for _, w := range turn.Want {
		if !strings.Contains(text, strings.ToLower(w)) {
			t.Errorf("turn %d: Answer(%q) = %q; want it to contain %q", n, asked, m.Message.Text, w)
		}
	}
	for _, w := range turn.Not {
		if strings.Contains(text, strings.ToLower(w)) {
			t.Errorf("turn %d: Answer(%q) = %q; want it not to contain %q", n, asked, m.Message.Text, w)
		}
	}
	if turn.Buttons && len(buttonsOf(m)) == 0 {
		t.Errorf("turn %d: Answer(%q) has no suggestion buttons; want some", n, asked)
	}
}

// checkThreads fails unless the group reply m threads to the user's latest
// message with the text asked.
func checkThreads(t *testing.T, h *harness, u *user, asked string, m botMessage) {
	t.Helper()
	want := 0
	for _, item := range history(t, h.api, h.token) {
		if item.Message != nil && item.Message.Chat != nil && item.Message.Chat.ID == u.chat && item.Message.Text == asked {
			want = item.MessageID
		}
	}
	switch {
	case m.Message.ReplyParameters == nil:
		t.Errorf("group reply to %q does not thread to the question", asked)
	case m.Message.ReplyParameters.MessageID != want:
		t.Errorf("group reply to %q threads to message %d; want %d", asked, m.Message.ReplyParameters.MessageID, want)
	}
}

// buttonsOf returns the callback data of m's inline buttons, in order.
func buttonsOf(m botMessage) []string {
	var data []string
	if m.Message.ReplyMarkup == nil {
		return nil
	}
	for _, row := range m.Message.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			data = append(data, b.CallbackData)
		}
	}
	return data
}
