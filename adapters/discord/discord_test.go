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

// TestConversation runs the ways people talk to the bot against one bot and
// one fake: starting a bot costs a second (discordgo's close waits one), and
// the fake's fresh channel ids keep the conversations apart.
func TestConversation(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	tests := []struct {
		name string
		run  func(*testing.T, *harness)
	}{
		{"slash commands", testSlashCommands},
		{"messages", testMessages},
		{"ignored messages", testIgnoredMessages},
		{"follow-ups", testFollowUps},
		{"autocomplete", testAutocomplete},
		{"everyone pings nobody", testEveryonePingsNobody},
		{"long answers are split", testLongAnswers},
		{"suggestion buttons", testSuggestionButtons},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h) })
	}
}

func testSlashCommands(t *testing.T, h *harness) {
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
		{name: "ask", command: "ask", options: []discordtest.Option{questionOption(partner.text)}, contains: partner.want},
		{name: "ask in Chinese", locale: "zh-CN", command: "ask", options: []discordtest.Option{questionOption(chinese.text)}, contains: chinese.want},
		{name: "ask in a direct message", dm: true, command: "ask", options: []discordtest.Option{questionOption(partner.text)}, contains: partner.want},
		{name: "pairs", command: "pairs", contains: "Zhangjiajie"},
		{name: "help", command: "help", equals: help("en-US")},
		{name: "help in Chinese", locale: "zh-CN", command: "help", equals: help("zh-CN")},
		{name: "unknown command gets help", command: "frobnicate", equals: help("en-US")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
				Type: discordtest.InteractionCommand, DM: tc.dm, Locale: tc.locale, Command: tc.command, Options: tc.options,
			})
			got := h.waitRequests(t, 1, forInteraction(id))[0]
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

func testMessages(t *testing.T, h *harness) {
	partner := ask(t, "partner")
	help := h.engine.Command(context.Background(), bot.CommandHelp, bot.Question{ConversationID: "help"}).Text
	tests := []struct {
		name, content    string
		dm, mentionBot   bool
		contains, equals string
	}{
		{name: "mention", content: mentionBot(partner.text), mentionBot: true, contains: partner.want},
		{name: "mention at the end", content: partner.text + " <@" + discordtest.BotID + ">", mentionBot: true, contains: partner.want},
		{name: "nickname mention", content: "<@!" + discordtest.BotID + "> " + partner.text, mentionBot: true, contains: partner.want},
		{name: "direct message", content: partner.text, dm: true, contains: partner.want},
		{name: "bare mention gets help", content: mentionBot(""), mentionBot: true, equals: help},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgID, ch := h.fake.PostMessage(discordtest.UserMessage{DM: tc.dm, Content: tc.content, MentionBot: tc.mentionBot})
			got := h.waitRequests(t, 1, inChannel(ch))[0]
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

func testIgnoredMessages(t *testing.T, h *harness) {
	partner := ask(t, "partner")
	tests := []struct {
		name string
		msg  discordtest.UserMessage
	}{
		{name: "another bot", msg: discordtest.UserMessage{UserID: "200", Bot: true, Content: mentionBot(partner.text), MentionBot: true}},
		{name: "itself", msg: discordtest.UserMessage{UserID: discordtest.BotID, Bot: true, Content: mentionBot(partner.text), MentionBot: true}},
		{name: "guild message without a mention", msg: discordtest.UserMessage{Content: partner.text}},
		{name: "everyone is not a mention of the bot", msg: discordtest.UserMessage{Content: "@everyone " + partner.text, MentionEveryone: true}},
		{name: "a bot in a direct message", msg: discordtest.UserMessage{UserID: "201", Bot: true, DM: true, Content: partner.text}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ch := h.fake.PostMessage(tc.msg)
			// Events are handled in order, so once a later question in the
			// same channel is answered, the ignored one has been passed over.
			h.mention(t, ch, "300", partner.text, 1)
			if n := len(h.waitRequests(t, 1, inChannel(ch))); n != 1 {
				t.Errorf("%d messages in the channel; want only the answer to the later question", n)
			}
		})
	}
}

func testFollowUps(t *testing.T, h *harness) {
	partner, follow := ask(t, "partner"), ask(t, "follow-up")
	tests := []struct {
		name          string
		first, second func(t *testing.T, ch, text string) string // ask in ch, return the answer
	}{
		{
			name:   "mentions",
			first:  func(t *testing.T, ch, text string) string { return h.mention(t, ch, "u1", text, 1)[0].Message.Content },
			second: func(t *testing.T, ch, text string) string { return h.mention(t, ch, "u1", text, 2)[1].Message.Content },
		},
		{
			name: "slash commands",
			first: func(t *testing.T, ch, text string) string {
				_, r := h.slash(t, ch, "u1", "", "ask", questionOption(text))
				return r.Message.Content
			},
			second: func(t *testing.T, ch, text string) string {
				_, r := h.slash(t, ch, "u1", "", "ask", questionOption(text))
				return r.Message.Content
			},
		},
		{
			name: "a mention continues a slash command",
			first: func(t *testing.T, ch, text string) string {
				_, r := h.slash(t, ch, "u1", "", "ask", questionOption(text))
				return r.Message.Content
			},
			second: func(t *testing.T, ch, text string) string { return h.mention(t, ch, "u1", text, 1)[0].Message.Content },
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := "300" + string(rune('0'+i))
			if got := tc.first(t, ch, partner.text); !contains(got, partner.want) {
				t.Fatalf("Answer(%q) = %q; want it to contain %q", partner.text, got, partner.want)
			}
			if got := tc.second(t, ch, follow.text); !contains(got, follow.want) {
				t.Errorf("Answer(%q) after %q = %q; want it to contain %q", follow.text, partner.text, got, follow.want)
			}
		})
	}
}

func testAutocomplete(t *testing.T, h *harness) {
	tests := []struct {
		name, locale, typed string
	}{
		{name: "nothing typed", locale: "en-US"},
		{name: "part of an example", locale: "en-US", typed: firstWord(bot.Examples(bot.English))},
		{name: "Chinese", locale: "zh-CN"},
		{name: "no match", locale: "en-US", typed: "qqqqzzzz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
				Type: discordtest.InteractionAutocomplete, Locale: tc.locale, Command: "ask",
				Options: []discordtest.Option{{Name: "question", Value: tc.typed, Focused: true}},
			})
			got := h.waitRequests(t, 1, func(r discordtest.Request) bool { return r.InteractionID == id })[0]
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

func testEveryonePingsNobody(t *testing.T, h *harness) {
	partner := ask(t, "partner")
	hostile := "@everyone @here <@&555> <@777> " + partner.text
	tests := []struct {
		name string
		send func(t *testing.T) discordtest.Request
	}{
		{name: "mention", send: func(t *testing.T) discordtest.Request {
			_, ch := h.fake.PostMessage(discordtest.UserMessage{
				MentionBot: true, MentionEveryone: true, MentionRoles: []string{"555"}, Content: mentionBot(hostile),
			})
			return h.waitRequests(t, 1, inChannel(ch))[0]
		}},
		{name: "slash command", send: func(t *testing.T) discordtest.Request {
			_, r := h.slash(t, "", "", "", "ask", questionOption(hostile))
			return r
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.send(t)
			if !r.Message.PingsNobody() {
				t.Errorf("allowed_mentions = %s; want an explicitly empty parse list", r.Message.AllowedMentions)
			}
			// Check the JSON itself: discordgo's zero value would send null.
			var body struct {
				AllowedMentions json.RawMessage `json:"allowed_mentions"`
				Data            struct {
					AllowedMentions json.RawMessage `json:"allowed_mentions"`
				} `json:"data"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			am := string(body.AllowedMentions) + string(body.Data.AllowedMentions)
			if !strings.Contains(am, `"parse":[]`) {
				t.Errorf("recorded allowed_mentions = %s; want \"parse\":[] in the JSON", am)
			}
		})
	}
}

func testLongAnswers(t *testing.T, h *harness) {
	long := ask(t, "long")
	ctx := context.Background()
	tests := []struct {
		name string
		want string
		send func() func(discordtest.Request) bool
	}{
		{
			name: "mention",
			want: h.engine.Answer(ctx, bot.Question{Text: long.text, ConversationID: "long"}).Text,
			send: func() func(discordtest.Request) bool {
				_, ch := h.fake.PostMessage(discordtest.UserMessage{MentionBot: true, Content: mentionBot(long.text)})
				return inChannel(ch)
			},
		},
		{
			name: "slash command",
			want: h.engine.Command(ctx, bot.CommandAbout, bot.Question{ConversationID: "long"}).Text,
			send: func() func(discordtest.Request) bool {
				id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, Command: "about"})
				return forInteraction(id)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if utf8.RuneCountInString(tc.want) <= discordtest.MaxContent {
				t.Fatalf("the engine's answer has %d characters; the test needs one over %d", utf8.RuneCountInString(tc.want), discordtest.MaxContent)
			}
			got := h.waitUntilShown(t, tc.send(), tc.want)
			if len(got) < 2 {
				t.Errorf("a %d-character answer came in %d message(s); want it split", utf8.RuneCountInString(tc.want), len(got))
			}
			for i, r := range got {
				if n := utf8.RuneCountInString(r.Message.Content); n > discordtest.MaxContent || n == 0 {
					t.Errorf("message %d has %d characters; want 1 to %d", i+1, n, discordtest.MaxContent)
				}
			}
		})
	}
}

func testSuggestionButtons(t *testing.T, h *harness) {
	unsure := ask(t, "unsure")
	ctx := context.Background()
	engineAnswer := h.engine.Answer(ctx, bot.Question{Text: unsure.text, ConversationID: "unsure"})
	if len(engineAnswer.Suggestions) == 0 {
		t.Fatalf("Answer(%q) has no suggestions; testdata needs a question the engine answers with suggestions", unsure.text)
	}
	tests := []struct {
		name   string
		answer func(t *testing.T) discordtest.Request
	}{
		{name: "under an answer to a mention", answer: func(t *testing.T) discordtest.Request {
			return h.mention(t, "", "", unsure.text, 1)[0]
		}},
		{name: "under an answer to /ask", answer: func(t *testing.T) discordtest.Request {
			_, r := h.slash(t, "", "", "", "ask", questionOption(unsure.text))
			return r
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buttons := tc.answer(t).Message.Buttons()
			if len(buttons) != len(engineAnswer.Suggestions) {
				t.Fatalf("answer has buttons %+v; want one per suggestion %+v", buttons, engineAnswer.Suggestions)
			}
			for j, s := range engineAnswer.Suggestions {
				if buttons[j].Label != s.Text || buttons[j].CustomID != "s:"+s.Key {
					t.Errorf("button %d = %q (%s); want %q (s:%s)", j, buttons[j].Label, buttons[j].CustomID, s.Text, s.Key)
				}
			}
			pressed := engineAnswer.Suggestions[len(engineAnswer.Suggestions)-1]
			question, ok := h.engine.Suggested(pressed.Key, bot.English)
			if !ok {
				t.Fatalf("Suggested(%q) = false", pressed.Key)
			}
			want := h.engine.Answer(ctx, bot.Question{Text: question, ConversationID: "pressed " + tc.name}).Text
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionComponent, CustomID: buttons[len(buttons)-1].CustomID})
			got := h.waitRequests(t, 1, forInteraction(id))[0]
			if got.CallbackType != discordtest.CallbackMessage || shown(got.Message.Content) != want {
				t.Errorf("pressing %q answered (type %d) %q; want %q", pressed.Text, got.CallbackType, shown(got.Message.Content), want)
			}
		})
	}
	t.Run("an unknown button gets help", func(t *testing.T) {
		want := h.engine.Command(ctx, bot.CommandHelp, bot.Question{ConversationID: "help"}).Text
		id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionComponent, CustomID: "s:no-such-key"})
		got := h.waitRequests(t, 1, forInteraction(id))[0]
		if shown(got.Message.Content) != want {
			t.Errorf("pressing an unknown button answered %q; want the help %q", shown(got.Message.Content), want)
		}
	})
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
			reg := h.waitRequests(t, 1, func(r discordtest.Request) bool { return r.Kind == discordtest.KindCommands })[0]
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

func TestDeferredWhenSlow(t *testing.T) {
	t.Parallel()
	h := start(t, setup{bot: func(b *discord.Bot) { discord.SetDeferAfter(b, 0) }})
	partner := ask(t, "partner")
	about := h.engine.Command(context.Background(), bot.CommandAbout, bot.Question{ConversationID: "deferred"}).Text
	tests := []struct {
		name, command string
		options       []discordtest.Option
		want          string // the whole answer shown
		contains      string // or what the edited response contains
		followups     bool
	}{
		{name: "short answer", command: "ask", options: []discordtest.Option{questionOption(partner.text)}, contains: partner.want},
		{name: "long answer, the rest in follow-ups", command: "about", want: about, followups: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, Command: tc.command, Options: tc.options})
			first := h.waitRequests(t, 1, func(r discordtest.Request) bool { return r.InteractionID == id })[0]
			if first.CallbackType != discordtest.CallbackDeferredMessage {
				t.Fatalf("first response has type %d; want %d (deferred)", first.CallbackType, discordtest.CallbackDeferredMessage)
			}
			edit := h.waitRequests(t, 1, func(r discordtest.Request) bool { return r.InteractionID == id && r.Kind == discordtest.KindEdit })[0]
			if tc.contains != "" && !contains(edit.Message.Content, tc.contains) {
				t.Errorf("edited answer = %q; want it to contain %q", edit.Message.Content, tc.contains)
			}
			if tc.want != "" {
				got := h.waitUntilShown(t, forInteraction(id), tc.want)
				if followups := got[len(got)-1].Kind == discordtest.KindFollowup; followups != tc.followups {
					t.Errorf("last message is a %s; want follow-ups = %v", got[len(got)-1].Kind, tc.followups)
				}
			}
		})
	}
}

func TestRateLimitNoticeOnce(t *testing.T) {
	t.Parallel()
	h := start(t, setup{opts: func(o *discord.Options) { o.RateLimit = 2; o.RateLimitWindow = time.Hour }})
	partner := ask(t, "partner")
	const ch, user = "4001", "r1"
	for range 4 {
		h.fake.PostMessage(discordtest.UserMessage{ChannelID: ch, UserID: user, MentionBot: true, Content: mentionBot(partner.text)})
	}
	// The fourth question is dropped quietly; it is counted once handled,
	// after the notice, since one user's questions are handled in order.
	h.obs.wait(t, func() bool { return h.obs.limited.Load() == 2 })
	got := h.waitRequests(t, 3, inChannel(ch))
	if len(got) != 3 {
		t.Fatalf("%d messages for 4 questions over a limit of 2; want 2 answers and 1 notice", len(got))
	}
	notice := bot.RateLimitNotice(bot.English)
	for i, r := range got {
		if isNotice := shown(r.Message.Content) == notice; isNotice != (i == 2) {
			t.Errorf("message %d = %q; want answers, then the notice %q", i+1, r.Message.Content, notice)
		}
	}
	_, slash := h.slash(t, "", user, "", "ask", questionOption(partner.text))
	if shown(slash.Message.Content) != notice || slash.Message.Flags&64 == 0 {
		t.Errorf("/ask over the limit = %q with flags %d; want the notice, ephemeral", slash.Message.Content, slash.Message.Flags)
	}
}

func TestIdentify(t *testing.T) {
	t.Parallel()
	const guilds, guildMessages, directMessages = 1 << 0, 1 << 9, 1 << 12
	tests := []struct {
		name            string
		shardID, shards int
		wantShard       *[2]int
	}{
		{name: "one shard"},
		{name: "second of three shards", shardID: 1, shards: 3, wantShard: &[2]int{1, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, setup{
				fake: discordtest.Options{HeartbeatInterval: 100 * time.Millisecond},
				opts: func(o *discord.Options) { o.ShardID, o.ShardCount = tc.shardID, tc.shards },
			})
			ev := h.waitGateway(t, 1, func(e discordtest.GatewayEvent) bool { return e.FromBot && e.Op == discordtest.OpIdentify })[0]
			var id struct {
				Intents int     `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			if err := json.Unmarshal(ev.Data, &id); err != nil {
				t.Fatal(err)
			}
			if want := guilds | guildMessages | directMessages; id.Intents != want {
				t.Errorf("IDENTIFY intents = %b; want %b (guilds, guild messages, direct messages; nothing privileged)", id.Intents, want)
			}
			if (id.Shard == nil) != (tc.wantShard == nil) || (id.Shard != nil && *id.Shard != *tc.wantShard) {
				t.Errorf("IDENTIFY shard = %v; want %v", id.Shard, tc.wantShard)
			}
			if h.obs.connected.Load() < 1 {
				t.Errorf("Observer.Connected was not called after READY")
			}
			h.waitGateway(t, 3, func(e discordtest.GatewayEvent) bool { return e.Op == discordtest.OpHeartbeatACK })
		})
	}
}
