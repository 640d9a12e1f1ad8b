package telegram_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// proxy stands between the bot and the emulator on loopback. It gives
// getUpdates Telegram's semantics, which the emulator lacks (it marks
// updates read when it returns them and ignores offset): the proxy keeps
// every update it fetched until a getUpdates call's offset passes it. It can
// also inject faults, count the calls, and cap how many updates one
// getUpdates returns.
type proxy struct {
	target string // emulator base URL
	srv    *httptest.Server
	plan   faultPlan
	// maxBatch caps the updates one getUpdates returns; 0 keeps the bot's limit.
	maxBatch int
	mu       sync.Mutex
	onSent   func(sent int)             // run after each sendMessage the emulator accepted
	pending  map[string][]pendingUpdate // per token, oldest first
	calls    map[string]int             // per method
	injected map[fault]int
	sent     int
	changed  chan struct{} // closed and replaced whenever sent grows
}

type pendingUpdate struct {
	id  int
	raw json.RawMessage
}

// fault is what the proxy does to one request instead of forwarding it as is.
type fault int

const (
	noFault  fault = iota
	fail500        // answer 500 without forwarding
	flood429       // answer 429 with retry_after 1 without forwarding
	slow           // forward after a delay
	drop           // close the connection without an answer; getUpdates loses only its response
)

func (f fault) String() string {
	return [...]string{"none", "500", "429", "slow", "drop"}[f]
}

// faultPlan chooses the fault for the n-th call (from 1) of method.
type faultPlan func(method string, n int) fault

const slowDelay = 300 * time.Millisecond

func newProxy(t *testing.T, target string, plan faultPlan) *proxy {
	t.Helper()
	p := &proxy{
		target:   target,
		plan:     plan,
		pending:  map[string][]pendingUpdate{},
		calls:    map[string]int{},
		injected: map[fault]int{},
		changed:  make(chan struct{}),
	}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *proxy) URL() string { return p.srv.URL }

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.calls[method]++
	f := noFault
	if p.plan != nil {
		f = p.plan(method, p.calls[method])
	}
	p.injected[f]++
	p.mu.Unlock()

	switch f {
	case fail500:
		writeJSON(w, http.StatusInternalServerError, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
		return
	case flood429:
		writeJSON(w, http.StatusTooManyRequests, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
		return
	case slow:
		time.Sleep(slowDelay) // the fault itself: a slow server, not a test waiting
	case drop:
		if method != "getUpdates" {
			hangUp(w)
			return
		}
	}

	if method == "getUpdates" {
		resp, err := p.getUpdates(token, body)
		if err != nil {
			writeJSON(w, http.StatusBadGateway, `{"ok":false,"error_code":502,"description":"Bad Gateway"}`)
			return
		}
		if f == drop {
			hangUp(w) // the updates stay pending, as Telegram keeps them
			return
		}
		writeJSON(w, http.StatusOK, string(resp))
		return
	}

	resp, err := userClient.Post(p.target+r.URL.Path, r.Header.Get("Content-Type"), bytes.NewReader(body))
	if err != nil {
		hangUp(w)
		return
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	writeJSON(w, resp.StatusCode, string(data))
	if method == "sendMessage" && resp.StatusCode == http.StatusOK {
		p.noteSent()
	}
}

// getUpdates fetches new updates from the emulator into the pending queue,
// forgets those below the request's offset, and returns the rest up to the limit.
func (p *proxy) getUpdates(token string, body []byte) ([]byte, error) {
	var params struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &params); err != nil {
			return nil, err
		}
	}
	var fresh struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := postJSON(p.target+"/bot"+token+"/getUpdates", map[string]any{}, &fresh); err != nil {
		return nil, err
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	queue := p.pending[token]
	for _, raw := range fresh.Result {
		var u struct {
			UpdateID int `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, err
		}
		queue = append(queue, pendingUpdate{id: u.UpdateID, raw: raw})
	}
	for len(queue) > 0 && queue[0].id < params.Offset {
		queue = queue[1:]
	}
	p.pending[token] = queue

	n := len(queue)
	if params.Limit > 0 && n > params.Limit {
		n = params.Limit
	}
	if p.maxBatch > 0 && n > p.maxBatch {
		n = p.maxBatch
	}
	result := make([]json.RawMessage, n)
	for i := range n {
		result[i] = queue[i].raw
	}
	return json.Marshal(map[string]any{"ok": true, "result": result})
}

func (p *proxy) noteSent() {
	p.mu.Lock()
	p.sent++
	sent := p.sent
	close(p.changed)
	p.changed = make(chan struct{})
	hook := p.onSent
	p.mu.Unlock()
	if hook != nil {
		hook(sent)
	}
}

// waitSent waits until the emulator has accepted n messages from the bot.
func (p *proxy) waitSent(n int, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		sent, changed := p.sent, p.changed
		p.mu.Unlock()
		if sent >= n {
			return nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return errTimeout
		}
	}
}

// setOnSent sets the hook run after each accepted sendMessage.
func (p *proxy) setOnSent(hook func(sent int)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onSent = hook
}

func (p *proxy) sentCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent
}

func (p *proxy) callCount(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

func (p *proxy) injectedCount(f fault) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.injected[f]
}

// pendingCount is how many fetched updates for token are not acknowledged yet.
func (p *proxy) pendingCount(token string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending[token])
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
