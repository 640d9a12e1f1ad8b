package telegram

import (
	"context"

	"github.com/planbot/planbot/bot"
)

// Reply sends text and suggestions to a private chat the way the bot sends
// an answer, for tests of formatting that no engine answer needs yet (an
// answer over Telegram's length limit).
func (b *Bot) Reply(ctx context.Context, chat int64, text string, suggestions []bot.Suggestion) {
	b.reply(ctx, request{chat: chat}, text, suggestions)
}
