package discord_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/adapters/discord"
	"github.com/planbot/planbot/adapters/discord/discordtest"
	"github.com/planbot/planbot/bot"
)

func TestSlashCommandAnswered(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner, chinese := ask(t, "partner"), ask(t, "chinese")
	help := func(locale string) string {
		return h.engine.Command(context.Background(), bot.CommandHelp, bot.Question{Locale: locale, ConversationID: "help"}).Text
	}
	tests := []struct {
		name, locale, command string
		options               []discordtest.Option
		dm                    bool
		contains, equals      string
	}{
		{name: "ask", command: "ask", options: []discordtest.Option{{Name: "question", Value: partner.text}}, contains: partner.want},
		{name: "ask in Chinese", locale: "zh-CN", command: "ask", options: []discordtest.Option{{Name: "question", Value: chinese.text}}, contains: chinese.want},
		{name: "ask in a direct message", dm: true, command: "ask", options: []discordtest.Option{{Name: "question", Value: partner.text}}, contains: partner.want},
		{name: "pairs", command: "pairs", contains: "Zhangjiajie"},
		{name: "help", command: "help", equals: help("en-US")},
		{name: "help in Chinese", locale: "zh-CN", command: "help", equals: help("zh-CN")},
		{name: "unknown command gets help", command: "frobnicate", equals: help("en-US")},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
				Type: discordtest.InteractionCommand, DM: tc.dm, UserID: "slash" + string(rune('a'+i)),
				Locale: tc.locale, Command: tc.command, Options: tc.options,
			})
			got := h.waitRequests(1, forInteraction(id))[0]
			if got.Kind != discordtest.KindCallback || got.CallbackType != discordtest.CallbackMessage {
				t.Errorf("/%s answered with %s type %d; want a message response", tc.command, got.Kind, got.CallbackType)
			}
			if got.Message.Flags != 0 {
				t.Errorf("/%s answered with flags %d; want a public answer", tc.command, got.Message.Flags)
			}
			if tc.contains != "" && !contains(got.Message.Content, tc.contains) {
				t.Errorf("/%s = %q; want it to contain %q", tc.command, got.Message.Content, tc.contains)
			}
			if tc.equals != "" && shown(got.Message.Content) != tc.equals {
				t.Errorf("/%s shows %q; want %q", tc.command, shown(got.Message.Content), tc.equals)
			}
		})
	}
}

func TestMessageAnswered(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner := ask(t, "partner")
	help := h.engine.Command(context.Background(), bot.CommandHelp, bot.Question{ConversationID: "help"}).Text
	tests := []struct {
		name, content    string
		dm, mentionBot   bool
		contains, equals string
	}{
		{name: "mention", content: "<@" + discordtest.BotID + "> " + partner.text, mentionBot: true, contains: partner.want},
		{name: "mention at the end", content: partner.text + " <@" + discordtest.BotID + ">", mentionBot: true, contains: partner.want},
		{name: "nickname mention", content: "<@!" + discordtest.BotID + "> " + partner.text, mentionBot: true, contains: partner.want},
		{name: "direct message", content: partner.text, dm: true, contains: partner.want},
		{name: "bare mention gets help", content: "<@" + discordtest.BotID + ">", mentionBot: true, equals: help},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgID, ch := h.fake.PostMessage(discordtest.UserMessage{
				DM: tc.dm, UserID: "msg" + string(rune('a'+i)), Content: tc.content, MentionBot: tc.mentionBot,
			})
			got := h.waitRequests(1, inChannel(ch))[0]
			if got.Message.Reference == nil || got.Message.Reference.MessageID != msgID {
				t.Errorf("answer is not a reply to message %s: message_reference = %+v", msgID, got.Message.Reference)
			}
			if tc.contains != "" && !contains(got.Message.Content, tc.contains) {
				t.Errorf("Answer(%q) = %q; want it to contain %q", tc.content, got.Message.Content, tc.contains)
			}
			if tc.equals != "" && shown(got.Message.Content) != tc.equals {
				t.Errorf("Answer(%q) shows %q; want %q", tc.content, shown(got.Message.Content), tc.equals)
			}
		})
	}
}

func TestMessagesIgnored(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner := ask(t, "partner")
	mention := "<@" + discordtest.BotID + "> " + partner.text
	tests := []struct {
		name string
		msg  discordtest.UserMessage
	}{
		{name: "another bot", msg: discordtest.UserMessage{UserID: "200", Bot: true, Content: mention, MentionBot: true}},
		{name: "itself", msg: discordtest.UserMessage{UserID: discordtest.BotID, Bot: true, Content: mention, MentionBot: true}},
		{name: "guild message without a mention", msg: discordtest.UserMessage{UserID: "201", Content: partner.text}},
		{name: "everyone is not a mention of the bot", msg: discordtest.UserMessage{UserID: "202", Content: "@everyone " + partner.text, MentionEveryone: true}},
		{name: "a bot in a direct message", msg: discordtest.UserMessage{UserID: "203", Bot: true, DM: true, Content: partner.text}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ch := h.fake.PostMessage(tc.msg)
			// Events are handled in order, so once a later question in the
			// same channel is answered, the ignored one has been passed over.
			h.mention(ch, "300", partner.text, 1)
			if got := h.fake.Requests(); countIn(got, ch) != 1 {
				t.Errorf("%d messages in the channel; want only the answer to the later question", countIn(got, ch))
			}
		})
	}
}

func countIn(reqs []discordtest.Request, channelID string) int {
	n := 0
	for _, r := range reqs {
		if inChannel(channelID)(r) {
			n++
		}
	}
	return n
}

func TestFollowUpKeepsContextPerChannelAndUser(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner, follow := ask(t, "partner"), ask(t, "follow-up")
	t.Run("mentions", func(t *testing.T) {
		first := h.mention("3001", "u1", partner.text, 1)[0]
		if !contains(first.Message.Content, partner.want) {
			t.Fatalf("Answer(%q) = %q; want it to contain %q", partner.text, first.Message.Content, partner.want)
		}
		second := h.mention("3001", "u1", follow.text, 2)[1]
		if !contains(second.Message.Content, follow.want) {
			t.Errorf("Answer(%q) after %q = %q; want it to contain %q", follow.text, partner.text, second.Message.Content, follow.want)
		}
	})
	t.Run("slash commands", func(t *testing.T) {
		_, first := h.slash("3002", "u2", "", "ask", discordtest.Option{Name: "question", Value: partner.text})
		if !contains(first.Message.Content, partner.want) {
			t.Fatalf("/ask %q = %q; want it to contain %q", partner.text, first.Message.Content, partner.want)
		}
		_, second := h.slash("3002", "u2", "", "ask", discordtest.Option{Name: "question", Value: follow.text})
		if !contains(second.Message.Content, follow.want) {
			t.Errorf("/ask %q after %q = %q; want it to contain %q", follow.text, partner.text, second.Message.Content, follow.want)
		}
	})
	t.Run("a mention continues a slash command", func(t *testing.T) {
		h.slash("3003", "u3", "", "ask", discordtest.Option{Name: "question", Value: partner.text})
		got := h.mention("3003", "u3", follow.text, 1)[0]
		if !contains(got.Message.Content, follow.want) {
			t.Errorf("Answer(%q) after /ask %q = %q; want it to contain %q", follow.text, partner.text, got.Message.Content, follow.want)
		}
	})
}

func TestAutocompleteOffersExamples(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	tests := []struct {
		name, locale, typed string
	}{
		{name: "nothing typed", locale: "en-US"},
		{name: "part of an example", locale: "en-US", typed: firstWord(bot.Examples(bot.English))},
		{name: "Chinese", locale: "zh-CN", typed: ""},
		{name: "no match", locale: "en-US", typed: "qqqqzzzz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
				Type: discordtest.InteractionAutocomplete, Locale: tc.locale, Command: "ask",
				Options: []discordtest.Option{{Name: "question", Value: tc.typed, Focused: true}},
			})
			got := h.waitRequests(1, func(r discordtest.Request) bool { return r.InteractionID == id })[0]
			if got.CallbackType != discordtest.CallbackAutocomplete {
				t.Fatalf("autocomplete answered with type %d; want %d", got.CallbackType, discordtest.CallbackAutocomplete)
			}
			var want, names []string
			for _, ex := range bot.Examples(bot.LocaleOf(tc.locale)) {
				if strings.Contains(strings.ToLower(ex), strings.ToLower(tc.typed)) {
					want = append(want, ex)
				}
			}
			for _, c := range got.Choices {
				names = append(names, c.Name)
				if c.Value != c.Name {
					t.Errorf("choice %q has value %v; want the question itself", c.Name, c.Value)
				}
			}
			if !slices.Equal(names, want) {
				t.Errorf("autocomplete(%q, %s) = %q; want %q", tc.typed, tc.locale, names, want)
			}
		})
	}
}

func firstWord(examples []string) string {
	if len(examples) == 0 {
		return ""
	}
	w, _, _ := strings.Cut(examples[0], " ")
	return strings.ToLower(w)
}

func TestCommandsRegistered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, guild, path string
	}{
		{name: "in the configured guild", guild: discordtest.GuildID, path: "/api/v9/applications/" + discordtest.AppID + "/guilds/" + discordtest.GuildID + "/commands"},
		{name: "globally", guild: "", path: "/api/v9/applications/" + discordtest.AppID + "/commands"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, setup{opts: func(o *discord.Options) { o.GuildID = tc.guild }})
			reg := h.waitRequests(1, func(r discordtest.Request) bool { return r.Kind == discordtest.KindCommands })[0]
			if reg.Method != "PUT" || reg.Path != tc.path {
				t.Errorf("registered with %s %s; want PUT %s (bulk overwrite)", reg.Method, reg.Path, tc.path)
			}
			got := map[string]discordtest.Command{}
			for _, c := range reg.Commands {
				got[c.Name] = c
			}
			zh := map[bot.Command]bot.CommandInfo{}
			for _, info := range bot.Commands(bot.Chinese) {
				zh[info.Command] = info
			}
			for _, name := range []string{"ask", "pairs", "help"} {
				if _, ok := got[name]; !ok {
					t.Errorf("no /%s among the registered commands %v", name, reg.Commands)
				}
			}
			for _, info := range bot.Commands(bot.English) {
				c, ok := got[string(info.Command)]
				if !ok {
					continue
				}
				if c.Description != info.Description || c.DescriptionLocalizations["en-US"] != info.Description {
					t.Errorf("/%s description = %q (en-US %q); want %q", c.Name, c.Description, c.DescriptionLocalizations["en-US"], info.Description)
				}
				if want := zh[info.Command].Description; c.DescriptionLocalizations["zh-CN"] != want {
					t.Errorf("/%s zh-CN description = %q; want %q", c.Name, c.DescriptionLocalizations["zh-CN"], want)
				}
				if c.NameLocalizations["en-US"] == "" || c.NameLocalizations["zh-CN"] == "" {
					t.Errorf("/%s name localizations = %v; want en-US and zh-CN", c.Name, c.NameLocalizations)
				}
				if info.Argument != "" {
					if len(c.Options) != 1 || c.Options[0].Name != info.Argument || !c.Options[0].Required || !c.Options[0].Autocomplete {
						t.Errorf("/%s options = %+v; want one required, autocompleted %q", c.Name, c.Options, info.Argument)
					}
				}
			}
			if _, ok := got[string(bot.CommandStart)]; ok {
				t.Errorf("/start is registered; it is Telegram's welcome, not a Discord command")
			}
		})
	}
}

func TestEveryonePingsNobody(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner := ask(t, "partner")
	hostile := "@everyone @here <@&555> <@777> " + partner.text
	check := func(t *testing.T, r discordtest.Request) {
		t.Helper()
		if !r.Message.PingsNobody() {
			t.Errorf("allowed_mentions = %s; want an explicitly empty parse list", r.Message.AllowedMentions)
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if r.Kind == discordtest.KindCallback {
			var cb struct{ Data map[string]json.RawMessage }
			if err := json.Unmarshal(r.Body, &cb); err != nil {
				t.Fatal(err)
			}
			body = cb.Data
		}
		if !strings.Contains(string(body["allowed_mentions"]), `"parse":[]`) {
			t.Errorf("recorded allowed_mentions = %s; want \"parse\":[] in the JSON", body["allowed_mentions"])
		}
	}
	t.Run("mention", func(t *testing.T) {
		_, ch := h.fake.PostMessage(discordtest.UserMessage{
			UserID: "e1", MentionBot: true, MentionEveryone: true, MentionRoles: []string{"555"},
			Content: "<@" + discordtest.BotID + "> " + hostile,
		})
		check(t, h.waitRequests(1, inChannel(ch))[0])
	})
	t.Run("slash command", func(t *testing.T) {
		_, got := h.slash("", "e2", "", "ask", discordtest.Option{Name: "question", Value: hostile})
		check(t, got)
	})
}

// repeating answers like the engine, ten times over: no real answer is long
// enough to need splitting.
type repeating struct{ *bot.Engine }

func (r repeating) Answer(ctx context.Context, q bot.Question) bot.Answer {
	a := r.Engine.Answer(ctx, q)
	a.Text = strings.Repeat(a.Text+"\n\n", 10) + strings.Repeat("长", 2500)
	a.Suggestions = []bot.Suggestion{{Text: "Who is Ganzhou paired with?", Key: "k1"}}
	return a
}

func (r repeating) Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer {
	return r.Answer(ctx, q)
}

func TestLongAnswerSplit(t *testing.T) {
	t.Parallel()
	h := start(t, setup{engine: func(e *bot.Engine) answerer { return repeating{e} }})
	partner := ask(t, "partner")
	want := repeating{h.engine}.Answer(context.Background(), bot.Question{Text: partner.text, ConversationID: "long"}).Text
	tests := []struct {
		name string
		send func() []discordtest.Request
	}{
		{name: "mention", send: func() []discordtest.Request {
			_, ch := h.fake.PostMessage(discordtest.UserMessage{UserID: "l1", MentionBot: true, Content: "<@" + discordtest.BotID + "> " + partner.text})
			return h.waitUntilShown(inChannel(ch), want)
		}},
		{name: "slash command", send: func() []discordtest.Request {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, UserID: "l2", Command: "ask",
				Options: []discordtest.Option{{Name: "question", Value: partner.text}}})
			return h.waitUntilShown(forInteraction(id), want)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.send()
			if len(got) < 2 {
				t.Fatalf("a %d-character answer came in %d message(s); want it split", utf8.RuneCountInString(want), len(got))
			}
			for i, r := range got {
				if n := utf8.RuneCountInString(r.Message.Content); n > discordtest.MaxContent || n == 0 {
					t.Errorf("message %d has %d characters; want 1 to %d", i, n, discordtest.MaxContent)
				}
				if hasButtons := len(r.Message.Buttons()) > 0; hasButtons != (i == len(got)-1) {
					t.Errorf("message %d of %d has buttons = %v; want them on the last only", i+1, len(got), hasButtons)
				}
			}
		})
	}
}

// waitUntilShown waits until the matching messages together show want (up
// to white space), returning them.
func (h *harness) waitUntilShown(match func(discordtest.Request) bool, want string) []discordtest.Request {
	h.t.Helper()
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	var got []discordtest.Request
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	err := h.fake.Wait(ctx, func() bool {
		got = got[:0]
		var all strings.Builder
		for _, r := range h.fake.Requests() {
			if match(r) {
				got = append(got, r)
				all.WriteString(shown(r.Message.Content))
			}
		}
		return squash(all.String()) == squash(want)
	})
	if err != nil {
		h.t.Fatalf("%v: %d messages, not showing the whole answer\nlogs:\n%s", err, len(got), h.logs.String())
	}
	return got
}

func TestDeferredWhenSlow(t *testing.T) {
	t.Parallel()
	partner := ask(t, "partner")
	tests := []struct {
		name   string
		engine func(e *bot.Engine) answerer
	}{
		{name: "short answer"},
		{name: "long answer, the rest in follow-ups", engine: func(e *bot.Engine) answerer { return repeating{e} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, setup{engine: tc.engine, bot: func(b *discord.Bot) { discord.SetDeferAfter(b, 0) }})
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, UserID: "d1", Command: "ask",
				Options: []discordtest.Option{{Name: "question", Value: partner.text}}})
			first := h.waitRequests(1, func(r discordtest.Request) bool { return r.InteractionID == id })[0]
			if first.CallbackType != discordtest.CallbackDeferredMessage {
				t.Fatalf("first response has type %d; want %d (deferred)", first.CallbackType, discordtest.CallbackDeferredMessage)
			}
			edit := h.waitRequests(1, func(r discordtest.Request) bool { return r.InteractionID == id && r.Kind == discordtest.KindEdit })[0]
			if !contains(edit.Message.Content, partner.want) {
				t.Errorf("edited answer = %q; want it to contain %q", edit.Message.Content, partner.want)
			}
			if tc.engine != nil {
				h.waitRequests(1, func(r discordtest.Request) bool { return r.InteractionID == id && r.Kind == discordtest.KindFollowup })
			}
		})
	}
}

func TestRateLimitNoticeOnce(t *testing.T) {
	t.Parallel()
	h := start(t, setup{opts: func(o *discord.Options) { o.RateLimit = 2; o.RateLimitWindow = time.Hour }})
	partner := ask(t, "partner")
	const ch = "4001"
	for range 4 {
		h.fake.PostMessage(discordtest.UserMessage{ChannelID: ch, UserID: "r1", MentionBot: true, Content: "<@" + discordtest.BotID + "> " + partner.text})
	}
	// The fourth question is dropped quietly; it is counted once handled,
	// after the notice, since one user's questions are handled in order.
	h.obs.wait(t, func() bool { return h.obs.limited.Load() == 2 })
	got := h.waitRequests(3, inChannel(ch))
	if len(got) != 3 {
		t.Fatalf("%d messages for 4 questions over a limit of 2; want 2 answers and 1 notice", len(got))
	}
	notice := bot.RateLimitNotice(bot.English)
	for i, r := range got {
		if isNotice := shown(r.Message.Content) == notice; isNotice != (i == 2) {
			t.Errorf("message %d = %q; want answers, then the notice %q", i+1, r.Message.Content, notice)
		}
	}
	_, slash := h.slash("", "r1", "", "ask", discordtest.Option{Name: "question", Value: partner.text})
	if shown(slash.Message.Content) != notice || slash.Message.Flags&64 == 0 {
		t.Errorf("/ask over the limit = %q with flags %d; want the notice, ephemeral", slash.Message.Content, slash.Message.Flags)
	}
}
