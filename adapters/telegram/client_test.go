package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ta "github.com/mymmrac/telego/telegoapi"
)

func TestRetryDelay(t *testing.T) {
	apiErr := func(code, retryAfter int) error {
		e := &ta.Error{ErrorCode: code, Description: http.StatusText(code)}
		if retryAfter > 0 {
			e.Parameters = &ta.ResponseParameters{RetryAfter: retryAfter}
		}
		return fmt.Errorf("telego: sendMessage: api: %w", e)
	}
	tests := []struct {
		name      string
		err       error
		attempt   int
		wantWait  time.Duration
		wantRetry bool
	}{
		{name: "429 waits retry_after", err: apiErr(429, 7), attempt: 1, wantWait: 7 * time.Second, wantRetry: true},
		{name: "429 without retry_after backs off", err: apiErr(429, 0), attempt: 2, wantWait: 2 * firstBackoff, wantRetry: true},
		{name: "5xx from the API backs off", err: apiErr(502, 0), attempt: 1, wantWait: firstBackoff, wantRetry: true},
		{name: "transport failure backs off", err: errors.New("connection reset"), attempt: 3, wantWait: 4 * firstBackoff, wantRetry: true},
		{name: "backoff is capped", err: errors.New("connection reset"), attempt: 20, wantWait: maxBackoff, wantRetry: true},
		{name: "backoff does not overflow", err: errors.New("connection reset"), attempt: 70, wantWait: maxBackoff, wantRetry: true},
		{name: "400 is final", err: apiErr(400, 0), attempt: 1, wantRetry: false},
		{name: "403 (blocked by the user) is final", err: apiErr(403, 0), attempt: 1, wantRetry: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wait, retry := retryDelay(tc.err, tc.attempt)
			if retry != tc.wantRetry || (retry && wait != tc.wantWait) {
				t.Errorf("retryDelay(%v, %d) = %v, %t; want %v, %t", tc.err, tc.attempt, wait, retry, tc.wantWait, tc.wantRetry)
			}
		})
	}
}

func TestObjectConstructorSendsAnObjectForNoParameters(t *testing.T) {
	tests := []struct {
		name   string
		params any
		want   string
	}{
		{name: "no parameters", params: nil, want: "{}"},
		{name: "parameters", params: map[string]int{"offset": 3}, want: `{"offset":3}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := objectConstructor{}.JSONRequest(tc.params)
			if err != nil || string(data.BodyRaw) != tc.want {
				t.Errorf("JSONRequest(%v) = %q, %v; want %q", tc.params, data.BodyRaw, err, tc.want)
			}
		})
	}
}

// TestClientErrorsHideTheToken makes a call fail the way net/http fails,
// with the request URL (and so the token) in the error, and checks the
// error the client returns.
func TestClientErrorsHideTheToken(t *testing.T) {
	const token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456_-"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close() // hang up: net/http reports the URL it was calling
	}))
	defer srv.Close()
	c, api, err := newClient(token, srv.URL, slog.New(slog.DiscardHandler), nopObserver{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	err = c.do(context.Background(), "getMe", 2, func(ctx context.Context) error {
		_, err := api.GetMe(ctx)
		return err
	})
	if err == nil {
		t.Fatal("getMe against a server that hangs up succeeded; want an error")
	}
	if strings.Contains(err.Error(), "ABCdef") {
		t.Errorf("error %q contains the token", err)
	}
	if !strings.Contains(err.Error(), "<token>") {
		t.Errorf("error %q does not show where the token was redacted; was the URL dropped?", err)
	}
}
