package discord_test

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planbot/planbot/adapters/discord"
	"github.com/planbot/planbot/adapters/discord/discordtest"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// wait bounds every wait on the fake: generous, since CI runs with -race on
// two cores, but finite so a lost answer fails instead of hanging.
const wait = 15 * time.Second

// newEngine is the real engine over the embedded facts.
func newEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("knowledge.Load: %v", err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

// question is one line of testdata/questions.txt.
type question struct {
	text, want string
}

// questions reads testdata/questions.txt.
func questions(t *testing.T) map[string]question {
	t.Helper()
	f, err := os.Open("testdata/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs := map[string]question{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("testdata/questions.txt:%d: want name | question | answer contains", n)
		}
		qs[strings.TrimSpace(parts[0])] = question{text: strings.TrimSpace(parts[1]), want: strings.TrimSpace(parts[2])}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// ask returns a question from testdata by name.
func ask(t *testing.T, name string) question {
	t.Helper()
	q, ok := questions(t)[name]
	if !ok {
		t.Fatalf("testdata/questions.txt has no question %q", name)
	}
	return q
}

// observer counts what the adapter reports.
type observer struct {
	connected, errors, limited atomic.Int64

	mu      sync.Mutex
	ops     []string
	changed chan struct{} // closed and replaced on every report
}

func (o *observer) Connected()              { o.connected.Add(1); o.notify() }
func (o *observer) RateLimited()            { o.limited.Add(1); o.notify() }
func (o *observer) PlatformError(op string) { o.errors.Add(1); o.record(op) }

func (o *observer) record(op string) {
	o.mu.Lock()
	o.ops = append(o.ops, op)
	o.mu.Unlock()
	o.notify()
}

func (o *observer) notify() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.changed != nil {
		close(o.changed)
	}
	o.changed = make(chan struct{})
}

// wait waits until cond holds, failing the test after wait.
func (o *observer) wait(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		if o.changed == nil {
			o.changed = make(chan struct{})
		}
		changed := o.changed
		o.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("the observer did not see what the test waits for within %v", wait)
		}
	}
}

// logBuffer collects the adapter's logs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness is a bot running against a fake Discord.
type harness struct {
	t      *testing.T
	fake   *discordtest.Server
	engine *bot.Engine
	obs    *observer
	logs   *logBuffer
	ctx    context.Context // bounds the test's waits
	// allowRejected lets a test expect requests the fake refused.
	allowRejected bool
}

// setup tunes a harness before its bot starts.
type setup struct {
	fake     discordtest.Options
	opts     func(*discord.Options)
	engine   func(*bot.Engine) answerer // wraps the engine (default: itself)
	bot      func(*discord.Bot)
	noReady  bool // do not wait for the command registration
	runError func(error)
}

// start runs a bot against a fresh fake until the test ends, and checks at the
// end that Run returned cleanly, that every request was well formed and
// pinged nobody, and that no token reached the logs.
func start(t *testing.T, su setup) *harness {
	t.Helper()
	fake := discordtest.NewServer(su.fake)
	h := &harness{t: t, fake: fake, engine: newEngine(t), obs: &observer{}, logs: &logBuffer{}}
	ctx, cancelWaits := context.WithTimeout(context.Background(), 2*wait)
	h.ctx = ctx

	opts := discord.Options{
		Token:     fake.Token(),
		APIURL:    fake.URL,
		GuildID:   discordtest.GuildID,
		RateLimit: -1,
		Logger:    slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observer:  h.obs,
	}
	if su.opts != nil {
		su.opts(&opts)
	}
	var a answerer = h.engine
	if su.engine != nil {
		a = su.engine(h.engine)
	}
	b, err := discord.New(a, opts)
	if err != nil {
		t.Fatalf("discord.New: %v", err)
	}
	if su.bot != nil {
		su.bot(b)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()

	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if su.runError != nil {
				su.runError(err)
			} else if err != nil {
				t.Errorf("Run = %v; want nil after the context ends", err)
			}
		case <-time.After(wait):
			t.Errorf("Run did not return %v after its context ended", wait)
		}
		cancelWaits()
		fake.Close()
		h.checkRequests()
		h.checkLogs(opts.Token)
	})
	if !su.noReady {
		h.waitRequests(1, func(r discordtest.Request) bool { return r.Kind == discordtest.KindCommands })
	}
	return h
}

// answerer is what discord.New takes: the engine, or a wrapper of it.
type answerer interface {
	Answer(ctx context.Context, q bot.Question) bot.Answer
	Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer
	Suggested(key string, locale bot.Locale) (string, bool)
}

// checkRequests fails the test for any request Discord would have refused,
// and for any message that could ping someone.
func (h *harness) checkRequests() {
	h.t.Helper()
	for _, r := range h.fake.Requests() {
		if (r.Status >= 400 || r.Problem != "") && !h.allowRejected {
			h.t.Errorf("%s %s: answered %d: %s\nbody: %.300s", r.Method, r.Path, r.Status, r.Problem, r.Body)
		}
		if r.Shows() && !r.Message.PingsNobody() {
			h.t.Errorf("%s %s: allowed_mentions = %s; want an explicitly empty parse list", r.Method, r.Path, r.Message.AllowedMentions)
		}
	}
}

// checkLogs fails the test if a secret reached the logs.
func (h *harness) checkLogs(token string) {
	h.t.Helper()
	logs := h.logs.String()
	for _, secret := range []string{token, "itoken-"} {
		if strings.Contains(logs, secret) {
			h.t.Errorf("logs contain a secret (%q):\n%s", secret, logs)
		}
	}
}

// waitRequests waits for n requests matching, failing the test on timeout.
func (h *harness) waitRequests(n int, match func(discordtest.Request) bool) []discordtest.Request {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	got, err := h.fake.WaitRequests(ctx, n, match)
	if err != nil {
		h.t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	return got
}

// waitGateway waits for n gateway events matching, failing the test on timeout.
func (h *harness) waitGateway(n int, match func(discordtest.GatewayEvent) bool) []discordtest.GatewayEvent {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	got, err := h.fake.WaitGateway(ctx, n, match)
	if err != nil {
		h.t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	return got
}

// inChannel matches the messages the bot posted in a channel.
func inChannel(channelID string) func(discordtest.Request) bool {
	return func(r discordtest.Request) bool {
		return r.Kind == discordtest.KindMessage && r.ChannelID == channelID
	}
}

// forInteraction matches the messages answering an interaction.
func forInteraction(id string) func(discordtest.Request) bool {
	return func(r discordtest.Request) bool { return r.InteractionID == id && r.Shows() }
}

// dispatched matches gateway dispatches of one event name sent by the fake.
func dispatched(name string) func(discordtest.GatewayEvent) bool {
	return func(e discordtest.GatewayEvent) bool {
		return !e.FromBot && e.Op == discordtest.OpDispatch && e.Name == name
	}
}

// mention posts a guild message mentioning the bot and waits for n replies.
func (h *harness) mention(channelID, userID, text string, n int) []discordtest.Request {
	h.t.Helper()
	_, ch := h.fake.PostMessage(discordtest.UserMessage{
		ChannelID: channelID, UserID: userID, MentionBot: true,
		Content: "<@" + discordtest.BotID + "> " + text,
	})
	return h.waitRequests(n, inChannel(ch))
}

// slash runs /command with an option and waits for the first message answering it.
func (h *harness) slash(channelID, userID, locale, command string, opts ...discordtest.Option) (string, discordtest.Request) {
	h.t.Helper()
	id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
		Type: discordtest.InteractionCommand, ChannelID: channelID, UserID: userID,
		Locale: locale, Command: command, Options: opts,
	})
	return id, h.waitRequests(1, forInteraction(id))[0]
}

// shown is what Discord shows for message content: markdown escapes removed.
func shown(content string) string {
	var b strings.Builder
	for i := 0; i < len(content); i++ {
		if content[i] == '\\' && i+1 < len(content) && isASCIIPunct(content[i+1]) {
			i++
		}
		b.WriteByte(content[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')
}

// contains reports whether the shown content contains want, ignoring case.
func contains(content, want string) bool {
	return strings.Contains(strings.ToLower(shown(content)), strings.ToLower(want))
}
