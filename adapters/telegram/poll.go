package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/mymmrac/telego"
)

const (
	longPollSeconds  = 25  // how long Telegram may hold a getUpdates call open
	batchLimit       = 100 // updates fetched per call (Telegram's maximum)
	maxParallelChats = 16  // chats answered at once; each chat's updates stay in order
	errorPause       = time.Second
	ackTimeout       = 10 * time.Second
)

// allowedUpdates are the update kinds the bot acts on; Telegram keeps the rest to itself.
var allowedUpdates = []string{telego.MessageUpdates, telego.CallbackQueryUpdates}

// poll fetches updates by long polling until ctx ends.
//
// Telegram forgets an update once a later getUpdates call passes an offset
// beyond it, so that offset is the acknowledgement. poll answers each batch
// fully before it asks for the next with the offset that acknowledges it, and
// on shutdown it finishes the batch in hand and acknowledges it with one last
// call. A batch that was fetched but not acknowledged (the process died) is
// delivered again.
func (b *Bot) poll(ctx context.Context) error {
	b.dropWebhook(ctx)
	work := context.WithoutCancel(ctx) // answers in flight outlive ctx
	offset, acked := 0, 0
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset, batchLimit, longPollSeconds)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("fetching updates failed", "err", err)
				if sleep(ctx, errorPause) != nil {
					break
				}
			}
			continue
		}
		acked = offset
		b.connected()
		if len(updates) == 0 {
			if sleep(ctx, b.opts.PollInterval) != nil {
				break
			}
			continue
		}
		offset = b.answerBatch(work, updates, offset)
	}
	if offset > acked {
		b.acknowledge(work, offset)
	}
	return nil
}

// answerBatch answers updates, chats in parallel and each chat's updates in
// order, and returns when all are done with the offset that acknowledges them.
// Updates below offset were answered before and are skipped.
func (b *Bot) answerBatch(ctx context.Context, updates []telego.Update, offset int) int {
	var chats []int64
	byChat := map[int64][]telego.Update{}
	for _, u := range updates {
		if u.UpdateID < offset {
			continue
		}
		offset = u.UpdateID + 1
		c := chatOf(u)
		if _, seen := byChat[c]; !seen {
			chats = append(chats, c)
		}
		byChat[c] = append(byChat[c], u)
	}
	slots := make(chan struct{}, maxParallelChats)
	var wg sync.WaitGroup
	for _, c := range chats {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, u := range byChat[c] {
				b.handle(ctx, u)
			}
		})
	}
	wg.Wait()
	return offset
}

// chatOf is the chat an update belongs to, which orders its answers.
func chatOf(u telego.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		return u.CallbackQuery.Message.GetChat().ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	default:
		return 0
	}
}

// getUpdates fetches up to limit updates from offset on, waiting up to
// timeout seconds for one to arrive.
func (b *Bot) getUpdates(ctx context.Context, offset, limit, timeout int) ([]telego.Update, error) {
	params := &telego.GetUpdatesParams{Offset: offset, Limit: limit, Timeout: timeout, AllowedUpdates: allowedUpdates}
	var updates []telego.Update
	err := b.client.do(ctx, "getUpdates", retryAttempts, func(ctx context.Context) error {
		var err error
		updates, err = b.api.GetUpdates(ctx, params)
		return err
	})
	return updates, err
}

// acknowledge tells Telegram that every update below offset is answered. The
// one update this call may return stays unacknowledged and comes again on
// the next start.
func (b *Bot) acknowledge(ctx context.Context, offset int) {
	ctx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if _, err := b.getUpdates(ctx, offset, 1, 0); err != nil {
		b.log.Warn("last updates not acknowledged; they will be answered again after a restart", "offset", offset, "err", err)
	}
}

// dropWebhook removes a webhook left by an earlier run in webhook mode, which
// would make getUpdates fail. Pending updates are kept. Best effort.
func (b *Bot) dropWebhook(ctx context.Context) {
	err := b.client.do(ctx, "deleteWebhook", 1, func(ctx context.Context) error {
		return b.api.DeleteWebhook(ctx, &telego.DeleteWebhookParams{})
	})
	if err != nil {
		b.log.Warn("could not remove a webhook before polling", "err", err)
	}
}
