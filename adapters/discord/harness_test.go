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

// sharedEngine is the real engine over the embedded facts, built once: it is
// safe for concurrent use, and the fake's ids keep conversations apart.
var sharedEngine = sync.OnceValues(func() (*bot.Engine, error) {
	kb, err := knowledge.Load()
	if err != nil {
		return nil, err
	}
	return bot.New(kb, bot.Options{})
})

func engine(t *testing.T) *bot.Engine {
	t.Helper()
	e, err := sharedEngine()
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	return e
}

// question is one line of testdata/questions.txt.
type question struct {
	text, want string
}

// ask returns a question from testdata/questions.txt by name.
func ask(t *testing.T, name string) question {
	t.Helper()
	f, err := os.Open("testdata/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
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
		if strings.TrimSpace(parts[0]) == name {
			return question{text: strings.TrimSpace(parts[1]), want: strings.TrimSpace(parts[2])}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("testdata/questions.txt has no question %q", name)
	return question{}
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
	fake   *discordtest.Server
	engine *bot.Engine
	obs    *observer
	logs   *logBuffer
	ctx    context.Context // bounds the test's waits
	// allowRejected lets a test expect requests the fake refused.
	allowRejected bool

	stop           context.CancelFunc // ends Run's context
	done           chan struct{}      // closed when Run has returned
	runErr         error              // what Run returned, once done is closed
	expectRunError bool               // the test checks runErr itself
}

// setup tunes a harness before its bot starts.
type setup struct {
	fake    discordtest.Options
	before  func(*discordtest.Server) // runs before the bot starts
	opts    func(*discord.Options)
	bot     func(*discord.Bot)
	noReady bool // do not wait for the command registration
}

// start runs a bot against a fresh fake until the test ends, and checks at the
// end that Run returned cleanly, that every request was well formed and
// pinged nobody, and that no token reached the logs.
func start(t *testing.T, su setup) *harness {
	t.Helper()
	fake := discordtest.NewServer(su.fake)
	if su.before != nil {
		su.before(fake)
	}
	h := &harness{fake: fake, engine: engine(t), obs: &observer{}, logs: &logBuffer{}}
	ctx, cancelWaits := context.WithTimeout(context.Background(), 4*wait)
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
	b, err := discord.New(h.engine, opts)
	if err != nil {
		t.Fatalf("discord.New: %v", err)
	}
	if su.bot != nil {
		su.bot(b)
	}
	runCtx, stop := context.WithCancel(context.Background())
	h.stop = stop
	h.done = make(chan struct{})
	go func() {
		h.runErr = b.Run(runCtx)
		close(h.done)
	}()

	t.Cleanup(func() {
		stop()
		select {
		case <-h.done:
			if !h.expectRunError && h.runErr != nil {
				t.Errorf("Run = %v; want nil after the context ends", h.runErr)
			}
		case <-time.After(wait):
			t.Errorf("Run did not return %v after its context ended", wait)
		}
		cancelWaits()
		fake.Close()
		h.checkRequests(t)
		h.checkLogs(t, opts.Token)
	})
	if !su.noReady {
		h.waitRequests(t, 1, func(r discordtest.Request) bool { return r.Kind == discordtest.KindCommands })
	}
	return h
}

// waitRun waits for Run to return on its own, without cancelling it, and
// returns its error.
func (h *harness) waitRun(t *testing.T) error {
	t.Helper()
	h.expectRunError = true
	select {
	case <-h.done:
		return h.runErr
	case <-time.After(wait):
		t.Fatalf("Run is still running after %v; want it to give up\nlogs:\n%s", wait, h.logs.String())
		return nil
	}
}

// checkRequests fails the test for any request Discord would have refused,
// and for any message that could ping someone.
func (h *harness) checkRequests(t *testing.T) {
	t.Helper()
	for _, r := range h.fake.Requests() {
		if (r.Status >= 400 || r.Problem != "") && !h.allowRejected {
			t.Errorf("%s %s: answered %d: %s\nbody: %.300s", r.Method, r.Path, r.Status, r.Problem, r.Body)
		}
		if r.Shows() && !r.Message.PingsNobody() {
			t.Errorf("%s %s: allowed_mentions = %s; want an explicitly empty parse list", r.Method, r.Path, r.Message.AllowedMentions)
		}
	}
}

// checkLogs fails the test if a secret reached the logs.
func (h *harness) checkLogs(t *testing.T, token string) {
	t.Helper()
	logs := h.logs.String()
	for _, secret := range []string{token, "itoken-"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain a secret (%q):\n%s", secret, logs)
		}
	}
}

// waitRequests waits for n requests matching, failing the test on timeout.
func (h *harness) waitRequests(t *testing.T, n int, match func(discordtest.Request) bool) []discordtest.Request {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	got, err := h.fake.WaitRequests(ctx, n, match)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	return got
}

// waitGateway waits for n gateway events matching, failing the test on timeout.
func (h *harness) waitGateway(t *testing.T, n int, match func(discordtest.GatewayEvent) bool) []discordtest.GatewayEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	got, err := h.fake.WaitGateway(ctx, n, match)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	return got
}

// waitUntilShown waits until the matching messages together show want (up
// to white space), returning them.
func (h *harness) waitUntilShown(t *testing.T, match func(discordtest.Request) bool, want string) []discordtest.Request {
	t.Helper()
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	var got []discordtest.Request
	ctx, cancel := context.WithTimeout(h.ctx, wait)
	defer cancel()
	err := h.fake.Wait(ctx, func() bool {
		got = got[:0]
		var all strings.Builder
		for _, r := range h.fake.Requests() {
			if match(r) {
				got = append(got, r)
				all.WriteString(shown(r.Message.Content))
			}
		}
		return squash(all.String()) == squash(want)
	})
	if err != nil {
		t.Fatalf("%v: %d messages, not showing the whole answer %q\nlogs:\n%s", err, len(got), want, h.logs.String())
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

// mentionBot is text as a guild message that mentions the bot.
func mentionBot(text string) string { return "<@" + discordtest.BotID + "> " + text }

// mention posts a guild message mentioning the bot in channelID ("" for a
// new channel) and waits for n replies there.
func (h *harness) mention(t *testing.T, channelID, userID, text string, n int) []discordtest.Request {
	t.Helper()
	_, ch := h.fake.PostMessage(discordtest.UserMessage{ChannelID: channelID, UserID: userID, MentionBot: true, Content: mentionBot(text)})
	return h.waitRequests(t, n, inChannel(ch))
}

// slash runs /command in channelID ("" for a new channel) and waits for the
// first message answering it.
func (h *harness) slash(t *testing.T, channelID, userID, locale, command string, opts ...discordtest.Option) (string, discordtest.Request) {
	t.Helper()
	id, _ := h.fake.PostInteraction(discordtest.UserInteraction{
		Type: discordtest.InteractionCommand, ChannelID: channelID, UserID: userID,
		Locale: locale, Command: command, Options: opts,
	})
	return id, h.waitRequests(t, 1, forInteraction(id))[0]
}

// questionOption is the /ask option holding text.
func questionOption(text string) discordtest.Option {
	return discordtest.Option{Name: "question", Value: text}
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
