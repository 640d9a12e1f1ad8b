package telegram_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// TestCommands sends every command as a Telegram user and checks that the
// reply is the engine's answer to that command, word for word, with the
// engine's suggestions as buttons.
func TestCommands(t *testing.T) {
	tests := []struct {
		name  string
		text  string // what the user sends
		group bool
		lang  string
		cmd   bot.Command
		arg   string
	}{
		{name: "start", text: "/start", lang: "en", cmd: bot.CommandStart},
		{name: "start in Chinese", text: "/start", lang: "zh-hans", cmd: bot.CommandStart},
		{name: "start with a deep-link payload", text: "/start ref42", lang: "en", cmd: bot.CommandStart, arg: "ref42"},
		{name: "help", text: "/help", lang: "en", cmd: bot.CommandHelp},
		{name: "help in Chinese", text: "/help", lang: "zh", cmd: bot.CommandHelp},
		{name: "ask", text: "/ask Who is Zhangjiajie paired with?", lang: "en", cmd: bot.CommandAsk, arg: "Who is Zhangjiajie paired with?"},
		{name: "ask on a new line", text: "/ask\nWho is Chenzhou paired with?", lang: "en", cmd: bot.CommandAsk, arg: "Who is Chenzhou paired with?"},
		{name: "ask without a question", text: "/ask", lang: "en", cmd: bot.CommandAsk},
		{name: "ask in Chinese", text: "/ask 张家界和哪个城市结对？", lang: "zh-hans", cmd: bot.CommandAsk, arg: "张家界和哪个城市结对？"},
		{name: "pairs", text: "/pairs", lang: "en", cmd: bot.CommandPairs},
		{name: "pairs in Chinese", text: "/pairs", lang: "zh-CN", cmd: bot.CommandPairs},
		{name: "tasks", text: "/tasks", lang: "en", cmd: bot.CommandTasks},
		{name: "about", text: "/about", lang: "en", cmd: bot.CommandAbout},
		{name: "about in Chinese", text: "/about", lang: "zh-hans", cmd: bot.CommandAbout},
		{name: "upper-case command", text: "/PAIRS", lang: "en", cmd: bot.CommandPairs},
		{name: "pairs addressed to the bot in a group", text: "/pairs@TestNameBot", group: true, lang: "en", cmd: bot.CommandPairs},
		{name: "tasks in a group", text: "/tasks", group: true, lang: "en", cmd: bot.CommandTasks},
		{name: "ask in a group", text: "/ask@TestNameBot Who is Zhangjiajie paired with?", group: true, lang: "en", cmd: bot.CommandAsk, arg: "Who is Zhangjiajie paired with?"},
	}
	h := newHarness(t, nil)
	h.start(h.options())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := int64(2000 + i)
			var chat int64
			if tc.group {
				chat = -id
			}
			u := h.user(id, chat, tc.lang)
			u.t = t
			want := h.engine.Command(context.Background(), tc.cmd,
				bot.Question{Text: tc.arg, ConversationID: "expected " + tc.name, Locale: tc.lang})
			wantText := strings.TrimSpace(want.Text)

			u.say(tc.text)
			got := u.collect(func(ms []botMessage) bool { return len(joined(ms)) >= len(wantText) })
			for _, m := range got {
				checkWellFormed(t, m)
			}
			if g := joined(got); g != wantText {
				t.Errorf("Command(%q) = %q; want %q", tc.text, g, wantText)
			}
			var keys []string
			for _, s := range want.Suggestions {
				keys = append(keys, s.Key)
			}
			if b := buttonsOf(got[len(got)-1]); !slices.Equal(b, keys) {
				t.Errorf("Command(%q) buttons = %q; want %q", tc.text, b, keys)
			}
			if tc.group && got[0].Message.ReplyParameters == nil {
				t.Errorf("Command(%q) in a group does not thread to the command", tc.text)
			}
		})
	}
}
