package telegram_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/adapters/telegram"
	"github.com/planbot/planbot/bot"
)

func TestNewRejectsBadOptions(t *testing.T) {
	const token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456_-"
	tests := []struct {
		name string
		opts telegram.Options
		want []string // each must appear in the error
	}{
		{name: "no token", opts: telegram.Options{}, want: []string{"TELEGRAM_BOT_TOKEN"}},
		{name: "malformed token", opts: telegram.Options{Token: "not-a-token"}, want: []string{"token"}},
		{name: "bad API URL", opts: telegram.Options{Token: token, APIURL: "ftp://x"}, want: []string{"TELEGRAM_API_URL"}},
		{name: "unknown mode", opts: telegram.Options{Token: token, Mode: "push"}, want: []string{`"push"`}},
		{
			name: "webhook without its settings",
			opts: telegram.Options{Token: token, Mode: telegram.ModeWebhook},
			want: []string{"listen address", "webhook URL", "secret"},
		},
		{
			name: "webhook secret with characters Telegram refuses",
			opts: telegram.Options{Token: token, Mode: telegram.ModeWebhook, WebhookListen: ":0", WebhookURL: "https://example.com/tg", WebhookSecret: "a b"},
			want: []string{"secret"},
		},
	}
	e := newEngine(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := telegram.New(e, tc.opts)
			if err == nil {
				t.Fatalf("New(%s) = nil error; want one naming %q", tc.name, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("New(%s) = %q; want it to mention %q", tc.name, err, w)
				}
			}
			if strings.Contains(err.Error(), "ABCdef") {
				t.Errorf("New(%s) = %q; the error contains the token", tc.name, err)
			}
		})
	}
}

// TestRunFailsWithoutTheBotAPI checks that an unreachable Bot API stops Run
// with an error that does not contain the token.
func TestRunFailsWithoutTheBotAPI(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	token := newToken(t)
	logs := &syncBuffer{}
	opts := telegram.Options{Token: token, APIURL: "http://" + addr, Logger: newTestLogger(logs)}
	b, err := telegram.New(newEngine(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if err == nil {
		t.Fatal("Run against a closed port = nil; want an error")
	}
	_, secret, _ := strings.Cut(token, ":")
	if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
		t.Errorf("Run = %q; the error or the logs contain the token", err)
	}
}

// TestCommandMenuUnsupported runs the bot against the emulator, which does
// not implement setMyCommands: the failure is logged and counted, and the
// bot answers anyway.
func TestCommandMenuUnsupported(t *testing.T) {
	h := newHarness(t, nil)
	r := h.start(h.options())
	if got := r.obs.platformErrors("setMyCommands"); got != 2 {
		t.Errorf("setMyCommands failures counted = %d; want 2 (English and Chinese menus)", got)
	}
	if !strings.Contains(h.logs.String(), "command menu not published") {
		t.Errorf("logs do not report the unpublished command menu:\n%s", h.logs.String())
	}
	u := h.user(3001, 0, "en")
	u.say("/pairs")
	if got := u.replies(1); !strings.Contains(got[0].Message.Text, "Nanjing") {
		t.Errorf("/pairs after the failed menu = %q; want the pairs", got[0].Message.Text)
	}
}

// TestLongAnswerIsSplit sends an answer over Telegram's 4096-character limit
// through the emulator: it arrives as several messages, cut between lines,
// that together hold the whole answer, with the buttons on the last.
func TestLongAnswerIsSplit(t *testing.T) {
	h := newHarness(t, nil)
	b, err := telegram.New(h.engine, h.options())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("%d. Zhangjiajie (张家界) is paired with Nanjing 😀 <b>*_`[x]`_*</b>", i))
	}
	text := strings.Join(lines, "\n")
	suggestions := []bot.Suggestion{{Text: "Who is Chenzhou paired with?", Key: "partner_of:chenzhou"}}
	b.Reply(context.Background(), 3101, text, suggestions)

	u := h.user(3101, 0, "en")
	got := u.collect(func(ms []botMessage) bool { return len(joined(ms)) >= len(text) })
	if len(got) < 2 {
		t.Fatalf("answer of %d characters arrived in %d message(s); want it split", len(text), len(got))
	}
	if joined(got) != text {
		t.Errorf("split parts joined by newlines differ from the answer: the cut was not between lines or text was lost")
	}
	for i, m := range got {
		checkWellFormed(t, m)
		if last := i == len(got)-1; last != (m.Message.ReplyMarkup != nil) {
			t.Errorf("part %d of %d: has buttons %t; want buttons only on the last part", i+1, len(got), !last)
		}
	}
}

// TestRateLimit asks seven questions at once: five are answered, the sixth
// gets the one polite notice, and the seventh is dropped quietly.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, nil)
	opts := h.options()
	opts.RateLimit, opts.RateLimitWindow = 5, time.Minute
	r := h.start(opts)
	u := h.user(3201, 0, "en")
	for range 7 {
		u.say("Who is Zhangjiajie paired with?")
	}
	got := u.replies(6)
	if err := r.obs.waitLimited(2); err != nil {
		t.Fatalf("rate limited questions: %v; want 2 counted", err)
	}
	r.stop() // everything fetched is answered before Run returns
	got = append(got, u.unread()...)
	if len(got) != 6 {
		t.Fatalf("7 questions at once got %d replies %q; want 5 answers and 1 notice", len(got), texts(got))
	}
	notice := bot.RateLimitNotice(bot.English)
	for i, m := range got[:5] {
		if !strings.Contains(m.Message.Text, "Nanjing") {
			t.Errorf("reply %d = %q; want the answer", i+1, m.Message.Text)
		}
	}
	if got[5].Message.Text != notice {
		t.Errorf("reply 6 = %q; want the notice %q", got[5].Message.Text, notice)
	}
}
