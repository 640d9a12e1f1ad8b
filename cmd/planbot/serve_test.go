package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/adapters/discord/discordtest"
	"github.com/planbot/planbot/config"
)

// untilDone is a task that serves until its context ends.
func untilDone(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

func TestRunAll(t *testing.T) {
	boom := errors.New("boom")
	stuck := make(chan struct{})
	defer close(stuck)
	tests := []struct {
		name    string
		tasks   []task
		cancel  bool   // end the context from outside
		wantErr string // "" for nil
	}{
		{
			name:   "all stop when the context ends",
			tasks:  []task{{"a", untilDone}, {"b", untilDone}},
			cancel: true,
		},
		{
			name:    "one failing stops the others",
			tasks:   []task{{"a", untilDone}, {"b", func(context.Context) error { return boom }}},
			wantErr: "b: boom",
		},
		{
			name:    "one stopping on its own is an error",
			tasks:   []task{{"a", untilDone}, {"b", func(context.Context) error { return nil }}},
			wantErr: "b stopped on its own",
		},
		{
			name:    "context errors at shutdown are no failure",
			tasks:   []task{{"a", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}},
			cancel:  true,
			wantErr: "",
		},
		{
			name:    "a task that will not stop is reported after the grace period",
			tasks:   []task{{"a", untilDone}, {"b", func(context.Context) error { <-stuck; return nil }}},
			cancel:  true,
			wantErr: "1 of 2 tasks still running",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				cancel()
			}
			err := runAll(ctx, 50*time.Millisecond, slog.New(slog.DiscardHandler), tc.tasks)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("runAll = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("runAll = %v; want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestRateLimitMapping(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want int
	}{
		{"off in the configuration is off in the adapters", 0, -1},
		{"a limit passes through", 5, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rateLimit(config.Config{RateLimit: tc.in}); got != tc.want {
				t.Errorf("rateLimit(%d) = %d; want %d", tc.in, got, tc.want)
			}
		})
	}
}

// freeAddr returns a loopback address nothing listens on at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// waitStatus polls url until it answers want or ctx ends.
func waitStatus(ctx context.Context, url string, want int) (last int, err error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil) // the URL is well formed
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			last = resp.StatusCode
			if last == want {
				return last, nil
			}
		}
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-tick.C:
		}
	}
}

// TestServeDiscord runs the whole serve path against a fake Discord: the
// adapter connects, /readyz turns ready, and cancelling the context (as
// SIGTERM does) shuts everything down cleanly without the token in any output.
func TestServeDiscord(t *testing.T) {
	const token = "MTIz.fake-s3cr3t-token"
	fake := discordtest.NewServer(discordtest.Options{Token: token})
	defer fake.Close()
	adminAddr := freeAddr(t)
	env := map[string]string{
		"DISCORD_BOT_TOKEN":  token,
		"DISCORD_API_URL":    fake.URL,
		"PLANBOT_ADMIN_ADDR": adminAddr,
	}
	getenv := func(k string) string { return env[k] }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout strings.Builder
	stderr := &lockedWriter{w: &strings.Builder{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"planbot"}, getenv, strings.NewReader(""), &stdout, stderr)
	}()

	waitCtx, stopWaiting := context.WithTimeout(ctx, 30*time.Second)
	defer stopWaiting()
	last, readyErr := waitStatus(waitCtx, "http://"+adminAddr+"/readyz", http.StatusOK)
	cancel()
	var runErr error
	select {
	case runErr = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return within 30s of its context ending")
	}
	logs := stderr.w.(*strings.Builder).String()
	if readyErr != nil {
		t.Errorf("/readyz = %d (%v); want 200 once Discord is connected", last, readyErr)
	}
	if runErr != nil {
		t.Errorf("run after shutdown = %v; want nil", runErr)
	}
	if strings.Contains(stdout.String()+logs, "s3cr3t") {
		t.Errorf("the token appears in the output:\n%s\n%s", stdout.String(), logs)
	}
	if !strings.Contains(logs, "planbot serving") {
		t.Errorf("logs lack the serving line:\n%s", logs)
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}

// lockedWriter serialises writes from the process's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestAdapterOptions(t *testing.T) {
	cfg := config.Default()
	cfg.RateLimit = 7
	cfg.Telegram.Token = "123456:ABC-s3cr3t"
	cfg.Telegram.Mode = config.TelegramWebhook
	cfg.Telegram.WebhookSecret = "hook-s3cr3t"
	cfg.Telegram.WebhookURL = "https://bot.example/hook"
	cfg.Discord.Token = "discord-s3cr3t"
	cfg.Discord.ShardID, cfg.Discord.ShardCount = 1, 3
	logger := slog.New(slog.DiscardHandler)

	tg := telegramOptions(cfg, logger, nil)
	dc := discordOptions(cfg, logger, nil)
	tests := []struct {
		name      string
		got, want any
	}{
		{"telegram token revealed to the adapter", tg.Token, "123456:ABC-s3cr3t"},
		{"telegram webhook secret revealed to the adapter", tg.WebhookSecret, "hook-s3cr3t"},
		{"telegram mode", tg.Mode, "webhook"},
		{"telegram webhook URL", tg.WebhookURL, "https://bot.example/hook"},
		{"telegram API URL", tg.APIURL, cfg.Telegram.APIURL},
		{"telegram rate limit", tg.RateLimit, 7},
		{"telegram rate window", tg.RateLimitWindow, cfg.RateLimitWindow},
		{"discord token revealed to the adapter", dc.Token, "discord-s3cr3t"},
		{"discord shard", [2]int{dc.ShardID, dc.ShardCount}, [2]int{1, 3}},
		{"discord API URL", dc.APIURL, cfg.Discord.APIURL},
		{"discord rate limit", dc.RateLimit, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v; want %v", tc.got, tc.want)
			}
		})
	}
}
