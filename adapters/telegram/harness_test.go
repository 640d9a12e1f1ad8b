package telegram_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/planbot/planbot/adapters/telegram"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// harness is one bot token's world: the emulator, a proxy in front of it,
// the logs the bot writes, and a fresh engine. Its cleanup fails the test if
// the token shows up in the logs.
type harness struct {
	t      *testing.T
	api    string // emulator base URL (the client API)
	proxy  *proxy
	token  string
	logs   *syncBuffer
	engine *bot.Engine
}

func newHarness(t *testing.T, plan faultPlan) *harness {
	t.Helper()
	api := emulatorURL(t)
	h := &harness{
		t:      t,
		api:    api,
		proxy:  newProxy(t, api, plan),
		token:  newToken(t),
		logs:   &syncBuffer{},
		engine: newEngine(t),
	}
	t.Cleanup(func() {
		_, secret, _ := strings.Cut(h.token, ":")
		if strings.Contains(h.logs.String(), secret) {
			t.Errorf("the bot's logs contain its token:\n%s", h.logs.String())
		}
		if t.Failed() {
			t.Logf("bot logs:\n%s", h.logs.String())
		}
	})
	return h
}

// options are the bot options every test starts from: polling through the
// proxy, quick polls when idle, debug logs captured.
func (h *harness) options() telegram.Options {
	return telegram.Options{
		Token:        h.token,
		APIURL:       h.proxy.URL(),
		PollInterval: 10 * time.Millisecond,
		Logger:       newTestLogger(h.logs),
	}
}

// newTestLogger logs everything, debug included, to w.
func newTestLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// user returns a user of this bot: a private chat when chat is 0, else a
// member of group chat (a negative id).
func (h *harness) user(id, chat int64, lang string) *user {
	if chat == 0 {
		chat = id
	}
	return &user{t: h.t, api: h.api, token: h.token, id: id, chat: chat, lang: lang}
}

// running is one Run of a bot.
type running struct {
	t      *testing.T
	obs    *recorder
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// start runs a bot with opts until stop or the end of the test, and returns
// once the bot says it is serving.
func (h *harness) start(opts telegram.Options) *running {
	h.t.Helper()
	return h.startWith(context.Background(), opts)
}

// startWith is start with a context that can end the run from elsewhere.
func (h *harness) startWith(parent context.Context, opts telegram.Options) *running {
	h.t.Helper()
	r := &running{t: h.t, obs: newRecorder(), done: make(chan error, 1)}
	opts.Observer = r.obs
	b, err := telegram.New(h.engine, opts)
	if err != nil {
		h.t.Fatalf("New: %v", err)
	}
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	go func() { r.done <- b.Run(ctx) }()
	h.t.Cleanup(r.stop)
	select {
	case <-r.obs.connected:
		return r
	case err := <-r.done:
		h.t.Fatalf("Run returned before serving: %v", err)
	case <-time.After(replyWait):
		h.t.Fatalf("bot not serving after %v", replyWait)
	}
	return nil
}

// stop ends the Run and waits for it to return; a graceful shutdown answers
// everything fetched first.
func (r *running) stop() {
	r.t.Helper()
	r.cancel()
	r.wait()
}

// wait waits for the Run to return, which it does once its context ends.
func (r *running) wait() {
	r.t.Helper()
	r.once.Do(func() {
		select {
		case err := <-r.done:
			if err != nil {
				r.t.Errorf("Run = %v; want nil after shutdown", err)
			}
		case <-time.After(30 * time.Second):
			r.t.Errorf("Run did not return within 30s of shutdown")
		}
	})
}

// recorder is an Observer that remembers what it heard.
type recorder struct {
	connected chan struct{}
	once      sync.Once

	mu      sync.Mutex
	errors  map[string]int
	limited int
	changed chan struct{}
}

func newRecorder() *recorder {
	return &recorder{connected: make(chan struct{}), errors: map[string]int{}, changed: make(chan struct{})}
}

func (r *recorder) Connected() { r.once.Do(func() { close(r.connected) }) }

func (r *recorder) PlatformError(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors[op]++
}

func (r *recorder) RateLimited() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limited++
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *recorder) platformErrors(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errors[op]
}

// waitLimited waits until n questions have been refused by the rate limit.
func (r *recorder) waitLimited(n int) error {
	deadline := time.NewTimer(replyWait)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		limited, changed := r.limited, r.changed
		r.mu.Unlock()
		if limited >= n {
			return nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return errTimeout
		}
	}
}

var kb struct {
	once sync.Once
	base *knowledge.Base
	err  error
}

// newEngine returns a fresh engine, so no conversation context leaks between tests.
func newEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb.once.Do(func() { kb.base, kb.err = knowledge.Load() })
	if kb.err != nil {
		t.Fatalf("knowledge.Load: %v", kb.err)
	}
	e, err := bot.New(kb.base, bot.Options{})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

// newToken returns a random token in Telegram's format.
func newToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d:%s", 100000+int(b[0])<<8|int(b[1]), hex.EncodeToString(b)[:35])
}

// checkWellFormed fails the test unless m is a message Telegram accepts and
// shows as sent: plain text (no parse mode), not blank, valid UTF-8, within
// the length limit, and buttons whose callback data fits.
func checkWellFormed(t *testing.T, m botMessage) {
	t.Helper()
	text := m.Message.Text
	switch {
	case m.Message.ParseMode != "":
		t.Errorf("message %q has parse_mode %q; want plain text", clip(text), m.Message.ParseMode)
	case strings.TrimSpace(text) == "":
		t.Errorf("message is blank: %q", text)
	case !utf8.ValidString(text):
		t.Errorf("message is not valid UTF-8: %q", clip(text))
	case len(utf16.Encode([]rune(text))) > 4096:
		t.Errorf("message is %d UTF-16 units long; Telegram allows 4096", len(utf16.Encode([]rune(text))))
	}
	if mk := m.Message.ReplyMarkup; mk != nil {
		for _, row := range mk.InlineKeyboard {
			for _, b := range row {
				if b.Text == "" || b.CallbackData == "" || len(b.CallbackData) > 64 {
					t.Errorf("button %q has callback data %q; want 1-64 bytes", b.Text, b.CallbackData)
				}
			}
		}
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// readLines returns the lines of a testdata file, without blank lines and # comments.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

var replays struct {
	once   sync.Once
	engine *bot.Engine
	n      atomic.Int64
}

// replay returns what the engine answers to questions asked in order in a
// new conversation: what a chat asking them must receive, message by message.
func replay(t *testing.T, questions []string, lang string) []string {
	t.Helper()
	replays.once.Do(func() { replays.engine = newEngine(t) })
	conv := fmt.Sprintf("replay %d", replays.n.Add(1))
	var answers []string
	for _, q := range questions {
		a := replays.engine.Answer(context.Background(), bot.Question{Text: q, ConversationID: conv, Locale: lang})
		answers = append(answers, strings.TrimSpace(a.Text))
	}
	return answers
}

// botMessagesByChat returns the texts the bot sent to each chat, in the
// order it sent them.
func botMessagesByChat(t *testing.T, h *harness) map[int64][]historyItem {
	t.Helper()
	chats := map[int64][]historyItem{}
	for _, item := range history(t, h.api, h.token) {
		if item.Message != nil && item.Message.ChatID != nil {
			chats[*item.Message.ChatID] = append(chats[*item.Message.ChatID], item)
		}
	}
	for _, items := range chats {
		slices.SortFunc(items, func(a, b historyItem) int { return a.MessageID - b.MessageID })
	}
	return chats
}

// checkExactlyOnce fails unless every chat received exactly its expected
// answers, each once, in order, and no other chat received anything.
func checkExactlyOnce(t *testing.T, h *harness, want map[int64][]string) {
	t.Helper()
	got := botMessagesByChat(t, h)
	for chat, answers := range want {
		var texts []string
		for _, item := range got[chat] {
			texts = append(texts, item.Message.Text)
		}
		if !slices.Equal(texts, answers) {
			t.Errorf("chat %d got %d messages, want %d answers in order:\n got %q\nwant %q", chat, len(texts), len(answers), texts, answers)
		}
	}
	for chat := range got {
		if _, ok := want[chat]; !ok {
			t.Errorf("chat %d got %d messages; want none", chat, len(got[chat]))
		}
	}
}
