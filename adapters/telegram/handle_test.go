package telegram

import (
	"strings"
	"testing"

	"github.com/mymmrac/telego"

	"github.com/planbot/planbot/bot"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantName string
		wantArg  string
		wantOK   bool
	}{
		{name: "plain", text: "/pairs", wantName: "pairs", wantOK: true},
		{name: "with argument", text: "/ask Who is Ganzhou paired with?", wantName: "ask", wantArg: "Who is Ganzhou paired with?", wantOK: true},
		{name: "argument on the next line", text: "/ask\nWho?", wantName: "ask", wantArg: "Who?", wantOK: true},
		{name: "addressed to us", text: "/ask@PlanBot hi", wantName: "ask", wantArg: "hi", wantOK: true},
		{name: "addressed to us in another case", text: "/ask@planbot hi", wantName: "ask", wantArg: "hi", wantOK: true},
		{name: "addressed to another bot", text: "/ask@OtherBot hi", wantOK: true},
		{name: "upper case", text: "/HELP", wantName: "help", wantOK: true},
		{name: "not a command", text: "pairs", wantOK: false},
		{name: "slash alone", text: "/", wantOK: false},
		{name: "a path, not a command", text: "/etc/passwd", wantOK: false},
		{name: "non-ASCII word", text: "/帮助", wantOK: false},
		{name: "too long", text: "/" + strings.Repeat("a", 33), wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, arg, ok := parseCommand(tc.text, "PlanBot")
			if name != tc.wantName || arg != tc.wantArg || ok != tc.wantOK {
				t.Errorf("parseCommand(%q) = %q, %q, %t; want %q, %q, %t", tc.text, name, arg, ok, tc.wantName, tc.wantArg, tc.wantOK)
			}
		})
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		want        string
		wantMention bool
	}{
		{name: "leading", text: "@PlanBot who is Ganzhou paired with?", want: "who is Ganzhou paired with?", wantMention: true},
		{name: "trailing, other case", text: "who is Ganzhou paired with? @planbot", want: "who is Ganzhou paired with?", wantMention: true},
		{name: "twice", text: "@PlanBot hi @PlanBot", want: "hi", wantMention: true},
		{name: "a longer name is someone else", text: "@PlanBotFan hi", want: "@PlanBotFan hi", wantMention: false},
		{name: "another user", text: "@alice hi", want: "@alice hi", wantMention: false},
		{name: "no mention", text: "hi", want: "hi", wantMention: false},
		{name: "a lone at sign", text: "a @ b @", want: "a @ b @", wantMention: false},
		{name: "mention before punctuation", text: "@PlanBot, hi", want: ", hi", wantMention: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, mentioned := stripMention(tc.text, "PlanBot")
			if got != tc.want || mentioned != tc.wantMention {
				t.Errorf("stripMention(%q) = %q, %t; want %q, %t", tc.text, got, mentioned, tc.want, tc.wantMention)
			}
		})
	}
}

func TestParseMessage(t *testing.T) {
	b := &Bot{me: telego.User{ID: 99, IsBot: true, Username: "PlanBot"}}
	alice := &telego.User{ID: 7, FirstName: "Alice", LanguageCode: "zh-hans"}
	private := telego.Chat{ID: 7, Type: "private"}
	group := telego.Chat{ID: -100, Type: "supergroup"}
	fromBot := &telego.Message{MessageID: 3, From: &b.me, Chat: group, Text: "Ganzhou is paired with Shenzhen."}
	tests := []struct {
		name string
		msg  telego.Message
		want request
		ok   bool
	}{
		{
			name: "private question",
			msg:  telego.Message{MessageID: 1, From: alice, Chat: private, Text: "赣州和哪个城市结对？"},
			want: request{chat: 7, user: 7, lang: "zh-hans", convID: "telegram:7", text: "赣州和哪个城市结对？"},
			ok:   true,
		},
		{
			name: "private command",
			msg:  telego.Message{MessageID: 1, From: alice, Chat: private, Text: "/ask 赣州"},
			want: request{chat: 7, user: 7, lang: "zh-hans", convID: "telegram:7", command: bot.CommandAsk, text: "赣州"},
			ok:   true,
		},
		{
			name: "unknown command in private is a question",
			msg:  telego.Message{MessageID: 1, From: alice, Chat: private, Text: "/weather"},
			want: request{chat: 7, user: 7, lang: "zh-hans", convID: "telegram:7", text: "/weather"},
			ok:   true,
		},
		{
			name: "group mention threads and is per user",
			msg:  telego.Message{MessageID: 5, From: alice, Chat: group, Text: "@PlanBot 赣州?"},
			want: request{chat: -100, replyTo: 5, user: 7, lang: "zh-hans", convID: "telegram:-100:7", text: "赣州?"},
			ok:   true,
		},
		{
			name: "group reply to the bot",
			msg:  telego.Message{MessageID: 6, From: alice, Chat: group, Text: "and Baise?", ReplyToMessage: fromBot},
			want: request{chat: -100, replyTo: 6, user: 7, lang: "zh-hans", convID: "telegram:-100:7", text: "and Baise?"},
			ok:   true,
		},
		{
			name: "group known command",
			msg:  telego.Message{MessageID: 8, From: alice, Chat: group, Text: "/pairs"},
			want: request{chat: -100, replyTo: 8, user: 7, lang: "zh-hans", convID: "telegram:-100:7", command: bot.CommandPairs},
			ok:   true,
		},
		{name: "group chatter", msg: telego.Message{MessageID: 9, From: alice, Chat: group, Text: "lunch?"}},
		{name: "group unknown command", msg: telego.Message{MessageID: 9, From: alice, Chat: group, Text: "/weather"}},
		{name: "group command for another bot", msg: telego.Message{MessageID: 9, From: alice, Chat: group, Text: "/pairs@OtherBot"}},
		{name: "reply to someone else", msg: telego.Message{MessageID: 9, From: alice, Chat: group, Text: "yes", ReplyToMessage: &telego.Message{From: alice}}},
		{name: "another bot", msg: telego.Message{MessageID: 9, From: &telego.User{ID: 8, IsBot: true}, Chat: private, Text: "hi"}},
		{name: "no sender", msg: telego.Message{MessageID: 9, Chat: private, Text: "hi"}},
		{name: "no text (a photo)", msg: telego.Message{MessageID: 9, From: alice, Chat: private}},
		{name: "blank text", msg: telego.Message{MessageID: 9, From: alice, Chat: private, Text: " \n "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := b.parseMessage(&tc.msg)
			if ok != tc.ok || got != tc.want {
				t.Errorf("parseMessage(%q) = %+v, %t; want %+v, %t", tc.msg.Text, got, ok, tc.want, tc.ok)
			}
		})
	}
}
