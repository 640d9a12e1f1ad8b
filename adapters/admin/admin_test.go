package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/planbot/planbot/adapters/admin"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

func newEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("knowledge.Load() error: %v", err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

// logLines decodes JSON log output into one map per line.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	dec := json.NewDecoder(buf)
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return lines
		} else if err != nil {
			t.Fatalf("log output is not JSON lines: %v", err)
		}
		lines = append(lines, m)
	}
}

// get fetches path from h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestInstrumentLogsAndCounts(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name         string
		text         string
		command      bot.Command // empty: ask with Answer
		logQuestions bool
		// What the engine is known to answer; empty means whatever it says.
		wantIntent, wantLang, wantText string
		wantFallback                   bool
	}{
		{name: "english question", text: "Who is Zhangjiajie paired with?", wantIntent: "partner_of", wantLang: "en", wantText: "Nanjing"},
		{name: "chinese question", text: "张家界和哪个城市结对？", wantIntent: "partner_of", wantLang: "zh", wantText: "南京"},
		{name: "off-topic question", text: "what is the weather like?", wantIntent: "fallback", wantLang: "en", wantFallback: true},
		{name: "question text logged when enabled", text: "Who is Ganzhou paired with?", logQuestions: true, wantIntent: "partner_of"},
		{name: "command", text: "", command: bot.CommandPairs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := admin.NewMetrics()
			var buf bytes.Buffer
			a := admin.Instrument(e, "telegram", m, slog.New(slog.NewJSONHandler(&buf, nil)), tc.logQuestions)
			q := bot.Question{Text: tc.text, ConversationID: "c1", Locale: "en"}
			var got bot.Answer
			if tc.command != "" {
				got = a.Command(context.Background(), tc.command, q)
			} else {
				got = a.Answer(context.Background(), q)
			}
			want := e.Answer(context.Background(), bot.Question{Text: tc.text, ConversationID: "fresh", Locale: "en"})
			if tc.command != "" {
				want = e.Command(context.Background(), tc.command, bot.Question{Text: tc.text, ConversationID: "fresh", Locale: "en"})
			}
			if got.Text != want.Text {
				t.Errorf("instrumented Answer(%q) = %q; want the engine's %q", tc.text, got.Text, want.Text)
			}

			intent, lang := string(got.Why.Intent), string(got.Lang)
			if tc.wantIntent != "" && (intent != tc.wantIntent || (tc.wantLang != "" && lang != tc.wantLang) || got.Fallback != tc.wantFallback) {
				t.Errorf("Answer(%q) intent, lang, fallback = %s, %s, %v; want %s, %s, %v", tc.text, intent, lang, got.Fallback, tc.wantIntent, tc.wantLang, tc.wantFallback)
			}
			if !strings.Contains(got.Text, tc.wantText) {
				t.Errorf("Answer(%q) = %q; want it to contain %q", tc.text, got.Text, tc.wantText)
			}
			if n := testutil.ToFloat64(m.QuestionsCounter("telegram", intent, lang)); n != 1 {
				t.Errorf("questions{telegram,%s,%s} = %v; want 1", intent, lang, n)
			}
			wantFallbacks := 0.0
			if got.Fallback {
				wantFallbacks = 1
			}
			if n := testutil.ToFloat64(m.FallbacksCounter("telegram")); n != wantFallbacks {
				t.Errorf("fallbacks{telegram} = %v; want %v (answer fallback=%v)", n, wantFallbacks, got.Fallback)
			}

			lines := logLines(t, &buf)
			if len(lines) != 1 {
				t.Fatalf("got %d log lines; want 1: %v", len(lines), lines)
			}
			l := lines[0]
			for key, want := range map[string]any{"msg": "question", "platform": "telegram", "intent": intent, "fallback": got.Fallback, "lang": lang} {
				if l[key] != want {
					t.Errorf("log %s = %v; want %v", key, l[key], want)
				}
			}
			for _, key := range []string{"confidence", "latency"} {
				if _, ok := l[key]; !ok {
					t.Errorf("log line lacks %s: %v", key, l)
				}
			}
			if _, ok := l["question"]; ok != tc.logQuestions {
				t.Errorf("log line has question = %v; want %v (logQuestions=%v)", ok, tc.logQuestions, tc.logQuestions)
			}
			if tc.logQuestions && l["question"] != tc.text {
				t.Errorf("log question = %v; want %q", l["question"], tc.text)
			}
			if !tc.logQuestions && tc.text != "" && strings.Contains(buf.String(), tc.text) {
				t.Errorf("question text logged although logQuestions is off: %s", buf.String())
			}
			if tc.command != "" && l["command"] != string(tc.command) {
				t.Errorf("log command = %v; want %q", l["command"], tc.command)
			}
		})
	}
}

func TestInstrumentTruncatesLoggedQuestion(t *testing.T) {
	var buf bytes.Buffer
	a := admin.Instrument(newEngine(t), "discord", nil, slog.New(slog.NewJSONHandler(&buf, nil)), true)
	long := strings.Repeat("张", 100_000)
	a.Answer(context.Background(), bot.Question{Text: long, ConversationID: "c"})
	lines := logLines(t, &buf)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines; want 1", len(lines))
	}
	q, _ := lines[0]["question"].(string)
	if n := len([]rune(q)); n == 0 || n > 501 {
		t.Errorf("logged question has %d runes; want 1..501", n)
	}
}

func TestInstrumentFollowUpKeepsConversation(t *testing.T) {
	// The wrapper must pass questions through untouched, conversation id
	// included, or follow-ups break.
	e := newEngine(t)
	a := admin.Instrument(e, "discord", admin.NewMetrics(), nil, false)
	ctx := context.Background()
	first := a.Answer(ctx, bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: "u1"})
	follow := a.Answer(ctx, bot.Question{Text: "and Chenzhou?", ConversationID: "u1"})
	direct := newEngine(t)
	wantFirst := direct.Answer(ctx, bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: "u1"})
	wantFollow := direct.Answer(ctx, bot.Question{Text: "and Chenzhou?", ConversationID: "u1"})
	if first.Text != wantFirst.Text || follow.Text != wantFollow.Text {
		t.Errorf("instrumented conversation = %q, %q; want the engine's %q, %q", first.Text, follow.Text, wantFirst.Text, wantFollow.Text)
	}
	if !strings.Contains(follow.Text, "Foshan") {
		t.Errorf("Answer(%q) after Zhangjiajie = %q; want it to contain Foshan", "and Chenzhou?", follow.Text)
	}
}

func TestInstrumentSuggestedPassesThrough(t *testing.T) {
	e := newEngine(t)
	a := admin.Instrument(e, "telegram", admin.NewMetrics(), nil, false)
	ans := e.Answer(context.Background(), bot.Question{Text: "zhang jia", ConversationID: "s"})
	keys := []string{"no-such-key"}
	for _, s := range ans.Suggestions {
		keys = append(keys, s.Key)
	}
	for _, key := range keys {
		gotText, gotOK := a.Suggested(key, bot.English)
		wantText, wantOK := e.Suggested(key, bot.English)
		if gotText != wantText || gotOK != wantOK {
			t.Errorf("Suggested(%q) = %q, %v; want %q, %v", key, gotText, gotOK, wantText, wantOK)
		}
	}
}

func TestObserver(t *testing.T) {
	m := admin.NewMetrics()
	o := m.Observer("discord")
	o.PlatformError("sendMessage")
	o.PlatformError("sendMessage")
	o.PlatformError("gateway")
	o.RateLimited()
	var none *admin.Observer // adapters accept a nil observer
	none.Connected()
	none.PlatformError("x")
	none.RateLimited()

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{name: "sendMessage errors", got: testutil.ToFloat64(m.PlatformErrorsCounter("discord", "sendMessage")), want: 2},
		{name: "gateway errors", got: testutil.ToFloat64(m.PlatformErrorsCounter("discord", "gateway")), want: 1},
		{name: "rate limited", got: testutil.ToFloat64(m.RateLimitedCounter("discord")), want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%s = %v; want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}

func TestMetricsEndpoint(t *testing.T) {
	m := admin.NewMetrics()
	a := admin.Instrument(newEngine(t), "telegram", m, nil, false)
	m.Observer("telegram").PlatformError("sendMessage")
	m.Observer("telegram").RateLimited()
	ans := a.Answer(context.Background(), bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: "m"})
	a.Answer(context.Background(), bot.Question{Text: "what is the weather like?", ConversationID: "m2"})

	code, body := get(t, admin.NewServer("127.0.0.1:0", m, nil).Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d; want 200", code)
	}
	for _, want := range []string{
		`planbot_questions_total{intent="` + string(ans.Why.Intent) + `",lang="` + string(ans.Lang) + `",platform="telegram"}`,
		`planbot_fallbacks_total{platform="telegram"}`,
		`planbot_answer_duration_seconds_bucket{platform="telegram",le="1e-06"}`,
		`planbot_answer_duration_seconds_count{platform="telegram"} 2`,
		`planbot_platform_errors_total{op="sendMessage",platform="telegram"} 1`,
		`planbot_rate_limited_total{platform="telegram"} 1`,
		"go_goroutines",
		"# HELP planbot_questions_total",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %q:\n%s", want, body)
		}
	}
}

func TestMetricsRegistriesAreSeparate(t *testing.T) {
	a, b := admin.NewMetrics(), admin.NewMetrics() // would panic on the global registry
	a.Observer("discord").RateLimited()
	if n := testutil.ToFloat64(b.RateLimitedCounter("discord")); n != 0 {
		t.Errorf("second registry counted %v rate limits; want 0", n)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	tests := []struct {
		name      string
		expect    []string // adapters with an observer
		connected []string // those that called Connected
		wantReady int
		wantBody  string
	}{
		{name: "no adapters (terminal only)", wantReady: 200, wantBody: "ready"},
		{name: "none connected", expect: []string{"telegram", "discord"}, wantReady: 503, wantBody: "waiting for: discord, telegram"},
		{name: "one of two connected", expect: []string{"telegram", "discord"}, connected: []string{"telegram"}, wantReady: 503, wantBody: "waiting for: discord"},
		{name: "all connected", expect: []string{"telegram", "discord"}, connected: []string{"telegram", "discord"}, wantReady: 200, wantBody: "ready"},
		{name: "connected twice", expect: []string{"discord"}, connected: []string{"discord", "discord"}, wantReady: 200, wantBody: "ready"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := admin.NewMetrics()
			obs := map[string]*admin.Observer{}
			for _, p := range tc.expect {
				obs[p] = m.Observer(p)
			}
			for _, p := range tc.connected {
				obs[p].Connected()
			}
			h := admin.NewServer(":0", m, nil).Handler()
			if code, _ := get(t, h, "/healthz"); code != http.StatusOK {
				t.Errorf("GET /healthz = %d; want 200", code)
			}
			code, body := get(t, h, "/readyz")
			if code != tc.wantReady || strings.TrimSpace(body) != tc.wantBody {
				t.Errorf("GET /readyz = %d %q; want %d %q", code, body, tc.wantReady, tc.wantBody)
			}
		})
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	h := admin.NewServer(":0", admin.NewMetrics(), nil).Handler()
	if code, _ := get(t, h, "/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ = %d; want 404", code)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d; want 405", rec.Code)
	}
}

func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := admin.NewMetrics()
	obs := m.Observer("telegram")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- admin.NewServer("", m, nil).Serve(ctx, ln) }()

	base := "http://" + ln.Addr().String()
	status := func(path string) int {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	if got := status("/healthz"); got != 200 {
		t.Errorf("GET /healthz = %d; want 200", got)
	}
	if got := status("/readyz"); got != 503 {
		t.Errorf("GET /readyz before Connected = %d; want 503", got)
	}
	obs.Connected()
	if got := status("/readyz"); got != 200 {
		t.Errorf("GET /readyz after Connected = %d; want 200", got)
	}
	if got := status("/metrics"); got != 200 {
		t.Errorf("GET /metrics = %d; want 200", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10s of ctx ending")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestRunListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = admin.NewServer(ln.Addr().String(), admin.NewMetrics(), nil).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "admin listener") {
		t.Errorf("Run on a busy port = %v; want an admin listener error", err)
	}
}

func TestRunBindsLoopbackByDefault(t *testing.T) {
	// ":0" must bind 127.0.0.1, not every interface.
	var buf bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	logged := make(chan struct{})
	h := &notifyHandler{Handler: slog.NewJSONHandler(&buf, nil), msg: "admin listening", ch: logged, once: new(sync.Once)}
	go func() { done <- admin.NewServer(":0", admin.NewMetrics(), slog.New(h)).Run(ctx) }()
	select {
	case <-logged:
	case err := <-done:
		t.Fatalf("Run returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not start listening within 10s")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel = %v; want nil", err)
	}
	lines := logLines(t, &buf)
	if len(lines) == 0 {
		t.Fatal("no log line")
	}
	addr, _ := lines[0]["addr"].(string)
	if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
		t.Errorf("Run(\":0\") listened on %q; want 127.0.0.1", addr)
	}
}

// notifyHandler closes ch when a record with message msg is handled.
type notifyHandler struct {
	slog.Handler
	msg  string
	ch   chan struct{}
	once *sync.Once
}

func (h *notifyHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message == h.msg {
		h.once.Do(func() { close(h.ch) })
	}
	return err
}

func (h *notifyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &notifyHandler{Handler: h.Handler.WithAttrs(attrs), msg: h.msg, ch: h.ch, once: h.once}
}

func TestInstrumentConcurrent(t *testing.T) {
	m := admin.NewMetrics()
	a := admin.Instrument(newEngine(t), "telegram", m, slog.New(slog.DiscardHandler), true)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for range 50 {
				a.Answer(context.Background(), bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: string(rune('a' + w))})
			}
		})
	}
	wg.Wait()
	code, body := get(t, admin.NewServer(":0", m, nil).Handler(), "/metrics")
	if code != 200 || !strings.Contains(body, `planbot_answer_duration_seconds_count{platform="telegram"} 400`) {
		t.Errorf("after 400 concurrent questions, /metrics = %d:\n%s", code, body)
	}
}
