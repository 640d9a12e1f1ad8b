package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mymmrac/telego"
	ta "github.com/mymmrac/telego/telegoapi"
)

const (
	// retryAttempts bounds the calls made for one request that keeps failing.
	retryAttempts = 5
	// firstBackoff doubles per attempt up to maxBackoff for failures that do
	// not say how long to wait.
	firstBackoff = 200 * time.Millisecond
	maxBackoff   = 5 * time.Second
	// callTimeout bounds one Bot API call other than a long poll.
	callTimeout = 30 * time.Second
)

// client makes Bot API calls: it retries what is worth retrying, honours
// 429 retry_after for every call, and keeps the token out of errors.
type client struct {
	http  *http.Client
	token string
	log   *slog.Logger
	obs   Observer

	mu          sync.Mutex
	floodUntil  time.Time // no call before this: Telegram asked us to wait
	redactToken *strings.Replacer
}

// newClient returns a client and the telego bot that calls through it.
func newClient(token, apiURL string, log *slog.Logger, obs Observer) (*client, *telego.Bot, error) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 32
	c := &client{
		http:  &http.Client{Transport: transport},
		token: token,
		log:   log,
		obs:   obs,
		redactToken: strings.NewReplacer(
			token, "<token>",
			url.PathEscape(token), "<token>",
		),
	}
	api, err := telego.NewBot(token,
		telego.WithAPIServer(apiURL),
		telego.WithHTTPClient(c.http),
		telego.WithRequestConstructor(objectConstructor{}),
		// telego's own logger may print request URLs, which hold the token.
		telego.WithDiscardLogger(),
	)
	if err != nil {
		// telego's errors name the problem, never the token.
		return nil, nil, fmt.Errorf("telegram: TELEGRAM_BOT_TOKEN: %w", err)
	}
	return c, api, nil
}

// close releases idle connections so no goroutine outlives Run.
func (c *client) close() {
	c.http.CloseIdleConnections()
}

// do runs call up to attempts times. It waits out a flood-control pause
// before each call, retries 429s after retry_after and transient failures
// with backoff, and gives up at once on requests Telegram rejects (400, 403).
// The error it returns has the token removed.
func (c *client) do(ctx context.Context, op string, attempts int, call func(context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if werr := c.waitFlood(ctx); werr != nil {
			return c.redact(errors.Join(err, werr))
		}
		callCtx, cancel := context.WithTimeout(ctx, callTimeout)
		err = call(callCtx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil { // shutting down: not the platform's fault
			return c.redact(fmt.Errorf("%s: %w", op, err))
		}
		c.obs.PlatformError(op)
		c.noteFlood(err)
		wait, retry := retryDelay(err, attempt)
		if !retry || attempt >= attempts {
			return c.redact(fmt.Errorf("%s: %w", op, err))
		}
		c.log.Debug("retrying Bot API call", "op", op, "attempt", attempt, "wait", wait, "err", c.redact(err))
		if werr := sleep(ctx, wait); werr != nil {
			return c.redact(fmt.Errorf("%s: %w", op, errors.Join(err, werr)))
		}
	}
}

// retryDelay says whether a failed call is worth repeating and after how long.
func retryDelay(err error, attempt int) (time.Duration, bool) {
	backoff := maxBackoff
	if attempt < 10 { // beyond that the shift only overflows
		backoff = min(firstBackoff<<(attempt-1), maxBackoff)
	}
	var apiErr *ta.Error
	if !errors.As(err, &apiErr) {
		// Transport failures, 5xx and undecodable bodies are transient. A
		// cancelled context is handled by the caller.
		return backoff, true
	}
	switch {
	case apiErr.ErrorCode == http.StatusTooManyRequests:
		if apiErr.Parameters != nil && apiErr.Parameters.RetryAfter > 0 {
			return time.Duration(apiErr.Parameters.RetryAfter) * time.Second, true
		}
		return backoff, true
	case apiErr.ErrorCode >= http.StatusInternalServerError:
		return backoff, true
	default:
		return 0, false
	}
}

// noteFlood records a 429's retry_after so that every call waits it out,
// not just the one that was refused.
func (c *client) noteFlood(err error) {
	var apiErr *ta.Error
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != http.StatusTooManyRequests ||
		apiErr.Parameters == nil || apiErr.Parameters.RetryAfter <= 0 {
		return
	}
	until := time.Now().Add(time.Duration(apiErr.Parameters.RetryAfter) * time.Second)
	c.mu.Lock()
	defer c.mu.Unlock()
	if until.After(c.floodUntil) {
		c.floodUntil = until
	}
}

// waitFlood blocks while Telegram's flood control asks us to wait.
func (c *client) waitFlood(ctx context.Context) error {
	c.mu.Lock()
	wait := time.Until(c.floodUntil)
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	return sleep(ctx, wait)
}

// redact removes the token from err's text. Telegram request URLs contain
// the token, and net/http puts the URL in its errors. The result keeps only
// the text, so nothing downstream can unwrap the original and print it.
func (c *client) redact(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(c.redactToken.Replace(err.Error()))
}

// objectConstructor encodes requests like telego's default constructor but
// sends {} for methods without parameters where telego sends null; Bot API
// servers built on strict JSON parsers (such as the telegram-test-api
// emulator) reject a null body.
type objectConstructor struct {
	ta.DefaultConstructor
}

// JSONRequest implements ta.RequestConstructor.
func (o objectConstructor) JSONRequest(parameters any) (*ta.RequestData, error) {
	data, err := o.DefaultConstructor.JSONRequest(parameters)
	if err == nil && bytes.Equal(data.BodyRaw, []byte("null")) {
		data.BodyRaw = []byte("{}")
	}
	return data, err
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
