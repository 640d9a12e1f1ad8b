package telegram

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mymmrac/telego"

	"github.com/planbot/planbot/bot"
)

// request is a question asked in a chat, reduced to what the engine and the
// reply need.
type request struct {
	chat    int64
	replyTo int // message the reply threads to (groups); 0 for none
	user    int64
	lang    string // the asker's language_code
	convID  string
	command bot.Command // "" for a plain question
	text    string      // the question, or the command's argument
}

// handle answers one update and returns when the answer has been sent, or
// has failed and been logged. Updates that ask nothing are ignored.
func (b *Bot) handle(ctx context.Context, u telego.Update) {
	switch {
	case u.Message != nil:
		if req, ok := b.parseMessage(u.Message); ok {
			b.ask(ctx, req)
		}
	case u.CallbackQuery != nil:
		b.handlePress(ctx, u.CallbackQuery)
	}
}

// parseMessage decides whether m asks the bot something. In private chats
// every text does; in groups only commands, mentions of the bot and replies
// to it do, so the bot stays quiet in conversations it is not part of.
func (b *Bot) parseMessage(m *telego.Message) (request, bool) {
	if m.From == nil || m.From.IsBot || strings.TrimSpace(m.Text) == "" {
		return request{}, false
	}
	group := m.Chat.Type != "private"
	req := request{
		chat:   m.Chat.ID,
		user:   m.From.ID,
		lang:   m.From.LanguageCode,
		convID: conversationID(m.Chat, m.From.ID),
		text:   m.Text,
	}
	if group {
		req.replyTo = m.MessageID
	}
	if name, arg, ok := parseCommand(m.Text, b.me.Username); ok {
		if cmd, known := knownCommand(name); known {
			req.command, req.text = cmd, arg
			return req, true
		}
		// An unknown command, or one for another bot: only a private chat
		// is talking to us, so there it is asked as a question.
		if group {
			return request{}, false
		}
		return req, true
	}
	if !group {
		return req, true
	}
	text, mentioned := stripMention(m.Text, b.me.Username)
	if !mentioned && !repliesTo(m, b.me.ID) {
		return request{}, false
	}
	req.text = text
	return req, true
}

// handlePress answers a suggestion button: it acknowledges the press and
// asks the question behind the button's key.
func (b *Bot) handlePress(ctx context.Context, q *telego.CallbackQuery) {
	// Acknowledge first so the user's client stops its progress indicator.
	err := b.client.do(ctx, "answerCallbackQuery", retryAttempts, func(ctx context.Context) error {
		return b.api.AnswerCallbackQuery(ctx, &telego.AnswerCallbackQueryParams{CallbackQueryID: q.ID})
	})
	if err != nil {
		b.log.Warn("button press not acknowledged", "err", err)
	}
	if q.Message == nil {
		return // the button is on an inline-mode message: there is no chat to answer in
	}
	text, ok := b.engine.Suggested(q.Data, bot.LocaleOf(q.From.LanguageCode))
	if !ok {
		b.log.Debug("button with an unknown suggestion key", "key", q.Data)
		return
	}
	chat := q.Message.GetChat()
	req := request{
		chat:   chat.ID,
		user:   q.From.ID,
		lang:   q.From.LanguageCode,
		convID: conversationID(chat, q.From.ID),
		text:   text,
	}
	if chat.Type != "private" {
		req.replyTo = q.Message.GetMessageID()
	}
	b.ask(ctx, req)
}

// ask puts req to the engine and replies, unless the asker is over the rate limit.
func (b *Bot) ask(ctx context.Context, req request) {
	if !b.allow(ctx, req) {
		return
	}
	start := time.Now()
	q := bot.Question{Text: req.text, ConversationID: req.convID, Locale: req.lang}
	var a bot.Answer
	if req.command != "" {
		a = b.engine.Command(ctx, req.command, q)
	} else {
		a = b.engine.Answer(ctx, q)
	}
	b.reply(ctx, req, a.Text, a.Suggestions)
	b.log.Debug("answered", "chat", req.chat, "command", req.command, "intent", a.Why.Intent,
		"fallback", a.Fallback, "took", time.Since(start))
}

// allow applies the per-user rate limit. The first refused question gets
// the engine's notice; the rest are dropped quietly.
func (b *Bot) allow(ctx context.Context, req request) bool {
	if b.limiter == nil {
		return true
	}
	switch v := b.limiter.Allow(strconv.FormatInt(req.user, 10), time.Now()); v {
	case bot.Allowed:
		return true
	case bot.Notify:
		b.obs.RateLimited()
		b.reply(ctx, req, bot.RateLimitNotice(bot.QuestionLocale(bot.Question{Text: req.text, Locale: req.lang})), nil)
	case bot.Drop:
		b.obs.RateLimited()
	default:
		b.log.Error("unknown rate limit verdict; question dropped", "verdict", v)
	}
	return false
}

// conversationID keys follow-ups: a private chat is one conversation, and in
// a group each member has their own, so members do not pick up each other's
// context.
func conversationID(chat telego.Chat, user int64) string {
	id := "telegram:" + strconv.FormatInt(chat.ID, 10)
	if chat.Type == "private" {
		return id
	}
	return id + ":" + strconv.FormatInt(user, 10)
}

// parseCommand splits "/name@bot argument". ok is false when text is not a
// command. A command addressed to another bot comes back with an empty name.
func parseCommand(text, username string) (name, arg string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, arg := text[1:], ""
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word, arg = word[:i], word[i:]
	}
	name, target, addressed := strings.Cut(word, "@")
	if name == "" || len(name) > 32 || strings.TrimLeft(strings.ToLower(name), "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return "", "", false
	}
	if addressed && !strings.EqualFold(target, username) {
		return "", "", true
	}
	return strings.ToLower(name), strings.TrimSpace(arg), true
}

// knownCommand maps a command word to the engine's command.
func knownCommand(name string) (bot.Command, bool) {
	for _, c := range bot.Commands(bot.English) {
		if string(c.Command) == name {
			return c.Command, true
		}
	}
	return "", false
}

// stripMention removes every "@username" (any case, as a whole word) from
// text and says whether there was one.
func stripMention(text, username string) (string, bool) {
	if username == "" {
		return text, false
	}
	var out strings.Builder
	found := false
	for {
		i := strings.IndexByte(text, '@')
		if i < 0 {
			break
		}
		end := i + 1 + len(username)
		if end <= len(text) && strings.EqualFold(text[i+1:end], username) && (end == len(text) || !isUsernameByte(text[end])) {
			out.WriteString(text[:i])
			text = text[end:]
			found = true
			continue
		}
		out.WriteString(text[:i+1])
		text = text[i+1:]
	}
	out.WriteString(text)
	return strings.TrimSpace(out.String()), found
}

func isUsernameByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// repliesTo says whether m replies to a message sent by the user with id.
func repliesTo(m *telego.Message, id int64) bool {
	r := m.ReplyToMessage
	return r != nil && r.From != nil && r.From.ID == id
}
