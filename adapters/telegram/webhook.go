package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/mymmrac/telego"
)

const (
	// secretHeader carries the webhook secret in every update Telegram posts.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
	maxUpdateBytes = 1 << 20
)

// serveWebhook receives updates over HTTP until ctx ends. Each update is
// answered before its request gets 200, so Telegram redelivers what was not
// answered. On shutdown the server stops accepting and waits for the answers
// in flight.
func (b *Bot) serveWebhook(ctx context.Context) error {
	ln, err := net.Listen("tcp", b.opts.WebhookListen)
	if err != nil {
		return fmt.Errorf("telegram: webhook listen: %w", err)
	}
	srv := &http.Server{
		Handler:           b.webhookHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	err = b.client.do(ctx, "setWebhook", retryAttempts, func(ctx context.Context) error {
		return b.api.SetWebhook(ctx, &telego.SetWebhookParams{
			URL:            b.opts.WebhookURL,
			SecretToken:    b.opts.WebhookSecret,
			AllowedUpdates: allowedUpdates,
		})
	})
	if err == nil {
		b.connected()
		b.log.Info("receiving updates by webhook", "listen", ln.Addr().String())
		select {
		case <-ctx.Done():
		case err = <-served:
			return fmt.Errorf("telegram: webhook server: %w", err)
		}
	} else {
		err = fmt.Errorf("telegram: set webhook: %w", err)
	}
	if serr := srv.Shutdown(context.WithoutCancel(ctx)); serr != nil {
		err = errors.Join(err, fmt.Errorf("telegram: webhook shutdown: %w", serr))
	}
	<-served
	return err
}

// webhookHandler accepts updates posted to the webhook URL's path.
func (b *Bot) webhookHandler() http.Handler {
	path := "/"
	if u, err := url.Parse(b.opts.WebhookURL); err == nil && u.Path != "" {
		path = u.Path
	}
	secret := []byte(b.opts.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != path:
			http.NotFound(w, r)
			return
		case r.Method != http.MethodPost:
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		case subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), secret) != 1:
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u telego.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateBytes)).Decode(&u); err != nil {
			b.log.Warn("webhook body is not an update", "err", err)
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		// Finish the answer even if Telegram hangs up: it would resend the update.
		b.handle(context.WithoutCancel(r.Context()), u)
		w.WriteHeader(http.StatusOK)
	})
}
