// Package discord serves planbot on Discord through a discordgo gateway
// session: the /ask, /pairs and /help slash commands (with the other commands
// bot publishes), messages that mention the bot, direct messages and the
// buttons of "did you mean" suggestions.
//
// The adapter is thin: the engine words every answer; this package only turns
// Discord events into bot.Questions and answers into Discord messages, which
// never ping anyone, never exceed Discord's length limit and are always sent
// within an interaction's three-second window.
//
// The adapter runs the gateway's reconnect loop itself (discordgo's own loop
// retries forever and cannot be stopped): it resumes after a dropped
// connection, an op 7 reconnect or an op 9 invalid session, and it gives up
// with ErrRejected when Discord refuses the bot for good (bad token,
// disallowed intents).
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/planbot/planbot/bot"
)

// The intents the bot asks for. None is privileged: mentions and direct
// messages carry their content without the Message Content intent.
const intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

const (
	defaultAPIURL    = "https://discord.com"
	defaultRateLimit = 5
	defaultWindow    = 10 * time.Second
	maxLimitedUsers  = 100_000

	// deferAfter is how long an interaction may wait for its answer before the
	// adapter acknowledges it with a deferred response, leaving the rest of
	// Discord's three seconds for the network.
	deferAfter = 1500 * time.Millisecond
	// drainTimeout bounds how long Run waits for answers in flight at shutdown.
	drainTimeout = 10 * time.Second
	// maxBackoff caps the wait between reconnection attempts.
	maxBackoff = time.Minute
)

// ErrRejected is wrapped by the error Run returns when Discord refuses the bot
// for good (a bad token, disallowed intents, a bad shard): retrying cannot help.
var ErrRejected = errors.New("discord rejected the bot")

// answerer is the part of the engine the adapter uses.
type answerer interface {
	Answer(ctx context.Context, q bot.Question) bot.Answer
	Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer
	Suggested(key string, locale bot.Locale) (string, bool)
}

// Observer hears about what an operator counts; nil is allowed (nobody listens).
type Observer interface {
	Connected()              // the adapter is connected and serving (drives /readyz)
	PlatformError(op string) // a platform call failed
	RateLimited()            // a user was rate limited
}

// Options configures a Bot.
type Options struct {
	// Token is the bot token, without the "Bot " prefix.
	Token string
	// APIURL is the REST API base (default https://discord.com). Requests
	// discordgo addresses to discord.com go there instead; the gateway URL
	// comes from that API's /gateway answer.
	APIURL string
	// GuildID registers the slash commands in one guild, where they appear at
	// once (for testing); empty registers them globally.
	GuildID string
	// ShardID and ShardCount split the bot's guilds over several processes;
	// a ShardCount of 0 or 1 means no sharding.
	ShardID, ShardCount int
	// RateLimit questions per RateLimitWindow per user (default 5 per 10 s);
	// a negative RateLimit turns the limit off.
	RateLimit       int
	RateLimitWindow time.Duration
	// Logger receives the adapter's logs (required).
	Logger *slog.Logger
	// Observer counts connections, platform errors and rate limiting; may be nil.
	Observer Observer
}

// Bot serves the engine on Discord. Create it with New and start it with Run.
type Bot struct {
	engine   answerer
	session  *discordgo.Session
	log      *slog.Logger
	observer Observer
	limiter  *bot.Limiter
	guildID  string
	token    string // kept only to scrub it out of error text
	commands map[string]bot.Command
	lanes    lanes

	// deferAfter is deferAfter; tests set it to zero, which defers every
	// interaction first.
	deferAfter time.Duration

	self         atomic.Pointer[identity]
	disconnected chan struct{} // a gateway connection ended
	dialCtx      context.Context
	abortDials   context.CancelFunc
	started      atomic.Bool

	mu       sync.Mutex // guards stopping and wg.Add
	stopping bool
	wg       sync.WaitGroup
}

// identity is who the bot is, learnt from READY.
type identity struct {
	userID, appID string
}

// New returns a Bot answering with a. It checks the options but does not
// connect; Run does.
func New(a answerer, opts Options) (*Bot, error) {
	if a == nil {
		return nil, errors.New("discord: no engine")
	}
	if opts.Token == "" {
		return nil, errors.New("discord: no bot token")
	}
	if opts.Logger == nil {
		return nil, errors.New("discord: no logger")
	}
	if opts.ShardCount < 0 || opts.ShardID < 0 || (opts.ShardCount > 1 && opts.ShardID >= opts.ShardCount) || (opts.ShardCount <= 1 && opts.ShardID != 0) {
		return nil, fmt.Errorf("discord: shard %d of %d: the shard id must be below the shard count", opts.ShardID, opts.ShardCount)
	}
	api := opts.APIURL
	if api == "" {
		api = defaultAPIURL
	}
	base, err := url.Parse(api)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q: want an http or https URL such as %s", api, defaultAPIURL)
	}
	burst, window := opts.RateLimit, opts.RateLimitWindow
	if burst == 0 {
		burst = defaultRateLimit
	}
	if window <= 0 {
		window = defaultWindow
	}

	s, err := discordgo.New("Bot " + opts.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	dialCtx, abort := context.WithCancel(context.Background())
	b := &Bot{
		engine:       a,
		session:      s,
		log:          opts.Logger.With("adapter", "discord"),
		observer:     opts.Observer,
		limiter:      bot.NewLimiter(burst, window, maxLimitedUsers),
		guildID:      opts.GuildID,
		token:        opts.Token,
		commands:     commandNames(),
		deferAfter:   deferAfter,
		disconnected: make(chan struct{}, 1),
		dialCtx:      dialCtx,
		abortDials:   abort,
	}
	if b.observer == nil {
		b.observer = nobody{}
	}
	b.lanes.spawn = b.spawn

	s.Identify.Intents = intents
	if opts.ShardCount > 1 {
		s.ShardID, s.ShardCount = opts.ShardID, opts.ShardCount
	}
	// Run reconnects (see serve); discordgo's loop could not be stopped.
	s.ShouldReconnectOnError = false
	// Handlers run on the gateway goroutine and hand work to tracked
	// goroutines, so Run can wait for every one of them.
	s.SyncEvents = true
	// Nothing reads the guild cache; the session id lives outside it.
	s.StateEnabled = false
	// discordgo logs with the standard logger; the adapter logs what it sees.
	s.LogLevel = discordgo.LogError - 1
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: rewrite(base, http.DefaultTransport)}
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 20 * time.Second,
		NetDialContext:   b.dial,
	}
	return b, nil
}

// Run connects to Discord and serves until ctx ends, then closes the gateway
// (discordgo gives Discord a second to acknowledge), lets the answers in
// flight finish and returns once its goroutines have exited. It returns nil
// after ctx ends, and an error wrapping ErrRejected as soon as Discord refuses
// the bot for good. Transient failures are retried with backoff.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	// Answers in flight at shutdown still get sent, within drainTimeout.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	for _, remove := range b.addHandlers(sendCtx) {
		defer remove()
	}
	err := b.serve(ctx, sendCtx)
	b.shutdown(cancelSends)
	return err
}

// addHandlers subscribes to the gateway events the bot serves.
func (b *Bot) addHandlers(ctx context.Context) []func() {
	s := b.session
	return []func(){
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { b.onReady(r) }),
		s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
			select {
			case b.disconnected <- struct{}{}:
			default: // one pending signal is enough
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { b.onMessage(ctx, m.Message) }),
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { b.onInteraction(ctx, i.Interaction) }),
	}
}

func (b *Bot) onReady(r *discordgo.Ready) {
	if r.User == nil {
		return
	}
	id := &identity{userID: r.User.ID, appID: r.User.ID}
	if r.Application != nil && r.Application.ID != "" {
		id.appID = r.Application.ID
	}
	b.self.Store(id)
	b.log.Info("ready", "user", r.User.ID, "session_guilds", len(r.Guilds))
}

// spawn runs fn on a goroutine Run waits for, unless Run is stopping.
func (b *Bot) spawn(fn func()) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopping {
		return false
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn()
	}()
	return true
}

// scrub renders err for a log line without the bot token or any other secret
// given (interaction tokens appear in webhook URLs).
func (b *Bot) scrub(err error, secrets ...string) string {
	text := err.Error()
	for _, s := range append(secrets, b.token) {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	return text
}

// nobody is the Observer used when none is given.
type nobody struct{}

func (nobody) Connected()           {}
func (nobody) PlatformError(string) {}
func (nobody) RateLimited()         {}
