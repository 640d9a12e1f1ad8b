package telegram_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/planbot/planbot/adapters/telegram"
)

const (
	webhookPath   = "/telegram/hook"
	webhookSecret = "s3cret-Token_for-tests"
)

// startWebhookBot runs the bot in webhook mode on a free loopback port. The
// emulator posts updates without Telegram's secret header, so the URL the
// bot registers is a relay that adds it, as Telegram would. It returns the
// bot's own webhook URL.
func startWebhookBot(t *testing.T, h *harness) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the bot listens here; nothing else on loopback takes the port in between
	direct := "http://" + addr + webhookPath

	target, _ := url.Parse("http://" + addr)
	// One connection per update: an idle connection the relay's transport
	// dialled but never used would hold up the bot's graceful shutdown for 5s.
	relayClient := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
		r.URL.Scheme, r.URL.Host, r.Host = target.Scheme, target.Host, target.Host
		r.RequestURI = ""
		resp, err := relayClient.Do(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	}))
	t.Cleanup(relay.Close)

	opts := h.options()
	opts.Mode = telegram.ModeWebhook
	opts.WebhookListen = addr
	opts.WebhookURL = relay.URL + webhookPath
	opts.WebhookSecret = webhookSecret
	h.start(opts)
	return direct
}

// TestWebhookConversation has the emulator deliver updates by webhook.
func TestWebhookConversation(t *testing.T) {
	h := newHarness(t, nil)
	startWebhookBot(t, h)
	u := h.user(4001, 0, "en")
	u.say("Who is Zhangjiajie paired with?")
	if got := u.replies(1); !contains(got[0].Message.Text, "Nanjing") {
		t.Errorf("Answer by webhook = %q; want Nanjing", got[0].Message.Text)
	}
	u.say("and Chenzhou?")
	if got := u.replies(1); !contains(got[0].Message.Text, "Foshan") {
		t.Errorf("follow-up by webhook = %q; want Foshan", got[0].Message.Text)
	}
}

// TestWebhookSecret posts updates to the webhook directly: only a request
// with the right secret is processed; the others get an error status and
// no answer.
func TestWebhookSecret(t *testing.T) {
	h := newHarness(t, nil)
	direct := startWebhookBot(t, h)
	update := func(chat int64, text string) []byte {
		u := h.user(chat, 0, "en")
		m := u.message(text)
		delete(m, "botToken")
		m["message_id"] = 1
		body, err := json.Marshal(map[string]any{"update_id": 1, "message": m})
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	tests := []struct {
		name       string
		chat       int64 // whose reply to look for
		method     string
		path       string
		secret     *string
		body       []byte
		wantStatus int
		wantReply  bool
	}{
		{chat: 4101, name: "no secret", method: "POST", body: update(4101, "Who is Zhangjiajie paired with?"), wantStatus: 401},
		{chat: 4102, name: "wrong secret", method: "POST", secret: ptr("s3cret-Token_for-testS"), body: update(4102, "Who is Zhangjiajie paired with?"), wantStatus: 401},
		{chat: 4103, name: "secret prefix", method: "POST", secret: ptr("s3cret"), body: update(4103, "Who is Zhangjiajie paired with?"), wantStatus: 401},
		{chat: 4104, name: "empty secret", method: "POST", secret: ptr(""), body: update(4104, "Who is Zhangjiajie paired with?"), wantStatus: 401},
		{chat: 4105, name: "wrong path", method: "POST", path: "/other", secret: ptr(webhookSecret), body: update(4105, "Who is Zhangjiajie paired with?"), wantStatus: 404},
		{name: "GET", method: "GET", secret: ptr(webhookSecret), wantStatus: 405},
		{name: "not JSON", method: "POST", secret: ptr(webhookSecret), body: []byte("<update/>"), wantStatus: 400},
		{chat: 4106, name: "right secret", method: "POST", secret: ptr(webhookSecret), body: update(4106, "Who is Zhangjiajie paired with?"), wantStatus: 200, wantReply: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := direct
			if tc.path != "" {
				target = direct[:len(direct)-len(webhookPath)] + tc.path
			}
			req, err := http.NewRequest(tc.method, target, bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if tc.secret != nil {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", *tc.secret)
			}
			resp, err := userClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("%s %s = %d; want %d", tc.method, tc.name, resp.StatusCode, tc.wantStatus)
			}
			// The webhook answers before it returns 200, so any reply is already there.
			u := h.user(tc.chat, 0, "en")
			u.t = t
			if tc.chat == 0 {
				return
			}
			if got := u.unread(); (len(got) > 0) != tc.wantReply {
				t.Errorf("%s: replies %q; want a reply %t", tc.name, texts(got), tc.wantReply)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func contains(s, sub string) bool { return bytes.Contains([]byte(s), []byte(sub)) }
