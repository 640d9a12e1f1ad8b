package discord

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// serve connects, registers the commands and reconnects whenever the gateway
// connection ends, until ctx ends or Discord refuses the bot.
func (b *Bot) serve(ctx, sendCtx context.Context) error {
	checked, registered := false, false
	for attempt := 0; ; attempt++ {
		if attempt > 0 && !sleep(ctx, backoff(attempt)) {
			return nil
		}
		if !checked {
			if err := b.checkToken(ctx); err != nil {
				if errors.Is(err, ErrRejected) {
					return err
				}
				if ctx.Err() != nil {
					return nil
				}
				b.log.Warn("cannot reach the Discord API; retrying", "attempt", attempt+1, "error", b.scrub(err))
				continue
			}
			checked = true
		}
		err := b.open(ctx)
		switch {
		case err == nil, errors.Is(err, discordgo.ErrWSAlreadyOpen):
		case errors.Is(err, ErrRejected):
			return err
		case ctx.Err() != nil:
			return nil
		default:
			b.log.Warn("cannot connect to the Discord gateway; retrying", "attempt", attempt+1, "error", b.scrub(err))
			continue
		}
		b.log.Info("connected to the Discord gateway")
		b.observer.Connected()
		if !registered {
			registered = b.register(sendCtx) // a failure is retried on the next connection
		}
		select {
		case <-ctx.Done():
			return nil
		case <-b.disconnected:
			b.log.Warn("gateway connection lost; reconnecting")
			attempt = -1 // the first attempt after a working connection is immediate
		}
	}
}

// checkToken asks /gateway/bot, which needs a valid token: a rejected token is
// reported before any gateway connection is tried.
func (b *Bot) checkToken(ctx context.Context) error {
	g, err := b.session.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("discord: the bot token was refused (HTTP 401): %w", ErrRejected)
		}
		return fmt.Errorf("get gateway: %w", err)
	}
	if g.Shards > 1 && b.session.ShardCount < g.Shards {
		b.log.Warn("Discord recommends more shards", "recommended", g.Shards, "configured", max(b.session.ShardCount, 1))
	}
	return nil
}

// open runs the session's Open (which has no context) so that ctx can
// abort it: aborting closes the connections the dialer made.
func (b *Bot) open(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- b.session.Open() }()
	select {
	case err := <-done:
		return classify(err)
	case <-ctx.Done():
		b.abortDials()
		<-done
		return ctx.Err()
	}
}

// dial makes the gateway's TCP connections, closing them when Run gives up on
// a connection attempt that hangs.
func (b *Bot) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(b.dialCtx, cancel)
	defer stop()
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	context.AfterFunc(b.dialCtx, func() { c.Close() })
	return c, nil
}

// fatalCloses are the gateway close codes after which Discord's documentation
// says not to reconnect, with what the operator should do.
var fatalCloses = map[int]string{
	4004: "authentication failed: the bot token is wrong",
	4010: "invalid shard: check the shard id and count",
	4011: "sharding required: the bot is in too many guilds for one shard",
	4012: "invalid API version",
	4013: "invalid intents",
	4014: "disallowed intents: enable them for the bot in the Discord developer portal",
}

// classify marks the errors retrying cannot fix.
func classify(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if why, ok := fatalCloses[ce.Code]; ok {
			return fmt.Errorf("discord: gateway closed with %d, %s: %w", ce.Code, why, ErrRejected)
		}
	}
	return err
}

// shutdown stops taking events, closes the gateway and waits for the answers
// in flight, cancelling their sends if they take longer than drainTimeout.
func (b *Bot) shutdown(cancelSends context.CancelFunc) {
	b.mu.Lock()
	b.stopping = true
	b.mu.Unlock()
	if err := b.session.Close(); err != nil {
		b.log.Warn("close gateway", "error", b.scrub(err))
	}
	drained := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(drained)
	}()
	timer := time.NewTimer(drainTimeout)
	defer timer.Stop()
	select {
	case <-drained:
	case <-timer.C:
		b.log.Warn("answers still in flight at shutdown; cancelling them")
		cancelSends()
		<-drained
	}
	b.abortDials()
}

// backoff is the wait before reconnection attempt n (1, 2, 4 ... seconds).
func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 6)
	return min(d, maxBackoff)
}

// sleep waits d or until ctx ends, reporting whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
