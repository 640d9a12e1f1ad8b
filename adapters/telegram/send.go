package telegram

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/mymmrac/telego"

	"github.com/planbot/planbot/bot"
)

const (
	// maxMessageLen is Telegram's limit on a message's text, in UTF-16 code units.
	maxMessageLen = 4096
	// maxCallbackData is Telegram's limit on a button's callback data, in bytes.
	maxCallbackData = 64
)

// reply sends text to req's chat as plain text: no parse mode, so nothing
// the user typed (and the engine may quote) can break the message. Long
// texts go out in parts split at line boundaries; the first part threads to
// the question in groups and the last carries the suggestion buttons.
// A reply that cannot be sent is logged, and the rest of it is not sent.
func (b *Bot) reply(ctx context.Context, req request, text string, suggestions []bot.Suggestion) {
	parts := split(text, maxMessageLen)
	if len(parts) == 0 {
		b.log.Warn("empty reply not sent", "chat", req.chat)
		return
	}
	for i, part := range parts {
		params := &telego.SendMessageParams{
			ChatID:             telego.ChatID{ID: req.chat},
			Text:               part,
			LinkPreviewOptions: &telego.LinkPreviewOptions{IsDisabled: true},
		}
		if i == 0 && req.replyTo != 0 {
			params.ReplyParameters = &telego.ReplyParameters{MessageID: req.replyTo, AllowSendingWithoutReply: true}
		}
		if kb := keyboard(suggestions); i == len(parts)-1 && kb != nil {
			params.ReplyMarkup = kb
		}
		err := b.client.do(ctx, "sendMessage", retryAttempts, func(ctx context.Context) error {
			_, err := b.api.SendMessage(ctx, params)
			return err
		})
		if err != nil {
			b.log.Error("reply not sent", "chat", req.chat, "part", i+1, "parts", len(parts), "err", err)
			return
		}
	}
}

// keyboard turns suggestions into inline buttons, one per row, whose
// callback data is the suggestion's key. It returns nil when there is nothing to show.
func keyboard(suggestions []bot.Suggestion) *telego.InlineKeyboardMarkup {
	var rows [][]telego.InlineKeyboardButton
	for _, s := range suggestions {
		if s.Key == "" || len(s.Key) > maxCallbackData || strings.TrimSpace(s.Text) == "" {
			continue
		}
		rows = append(rows, []telego.InlineKeyboardButton{{Text: s.Text, CallbackData: s.Key}})
	}
	if rows == nil {
		return nil
	}
	return &telego.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// split cuts text into messages of at most limit UTF-16 code units. It cuts
// between lines where it can, inside a line (at a space if there is one)
// only when the line alone is too long, and drops parts that would be blank,
// which Telegram refuses.
func split(text string, limit int) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var parts []string
	add := func(s string) {
		if s = strings.Trim(s, "\n"); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	var cur strings.Builder
	curLen := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		n := utf16Len(line)
		if curLen+n > limit {
			add(cur.String())
			cur.Reset()
			curLen = 0
		}
		for n > limit {
			head, rest := cutLine(line, limit)
			add(head)
			line, n = rest, utf16Len(rest)
		}
		cur.WriteString(line)
		curLen += n
	}
	add(cur.String())
	return parts
}

// cutLine cuts a head of at most limit UTF-16 code units off line, after its
// last space if that keeps at least half the limit, else between runes.
func cutLine(line string, limit int) (head, rest string) {
	units, end, space := 0, 0, 0
	for i, r := range line {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if units+w > limit {
			break
		}
		units += w
		end = i + utf8.RuneLen(r)
		if r == ' ' {
			space = end
		}
	}
	if space > 0 && utf16Len(line[:space]) >= limit/2 {
		end = space
	}
	if end == 0 { // limit is below one rune: make progress anyway
		_, end = utf8.DecodeRuneInString(line)
	}
	return line[:end], line[end:]
}

// utf16Len is the length of s in UTF-16 code units, the unit of Telegram's limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
