package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/planbot/planbot/bot"
)

// onMessage answers a message that mentions the bot or is sent to it directly.
// Without the Message Content intent these are the only messages whose text
// Discord delivers, so everything else is ignored.
func (b *Bot) onMessage(ctx context.Context, m *discordgo.Message) {
	self := b.self.Load()
	if self == nil || m == nil || m.Author == nil {
		return
	}
	if m.Author.Bot || m.Author.System || m.Author.ID == self.userID || m.WebhookID != "" {
		return // bots, itself included, would answer each other forever
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	direct := m.GuildID == ""
	if !direct && !mentions(m, self.userID) {
		return
	}
	q := bot.Question{
		Text:           stripMention(m.Content, self.userID),
		ConversationID: conversation(m.ChannelID, m.Author.ID),
	}
	b.lanes.add(q.ConversationID, func() { b.answerMessage(ctx, m, q) })
}

// answerMessage answers one addressed message in its channel, as a reply to it.
func (b *Bot) answerMessage(ctx context.Context, m *discordgo.Message, q bot.Question) {
	switch b.limiter.Allow(m.Author.ID, time.Now()) {
	case bot.Allowed:
	case bot.Notify:
		b.observer.RateLimited()
		b.sendMessage(ctx, m.ChannelID, m.ID, notice(bot.RateLimitNotice(bot.QuestionLocale(q))))
		return
	case bot.Drop:
		b.observer.RateLimited()
		return
	default:
		b.log.Error("unknown rate limit verdict; dropping the message")
		return
	}
	var a bot.Answer
	if strings.TrimSpace(q.Text) == "" {
		a = b.engine.Command(ctx, bot.CommandHelp, q) // a bare mention asks how to ask
	} else {
		a = b.engine.Answer(ctx, q)
	}
	b.sendMessage(ctx, m.ChannelID, m.ID, format(a))
}

// mentions reports whether the message mentions the user by id.
func mentions(m *discordgo.Message, userID string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == userID {
			return true
		}
	}
	return false
}

// stripMention removes the bot's own mention (<@id> or the older <@!id>) from
// a message; other mentions are left for the engine, which drops markup.
func stripMention(text, userID string) string {
	text = strings.ReplaceAll(text, "<@"+userID+">", " ")
	text = strings.ReplaceAll(text, "<@!"+userID+">", " ")
	return strings.TrimSpace(text)
}

// conversation keys the engine's follow-up context: per channel and user, so
// people talking in one channel do not continue each other's questions.
func conversation(channelID, userID string) string {
	return "discord:" + channelID + ":" + userID
}
