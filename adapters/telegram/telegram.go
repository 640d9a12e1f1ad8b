// Package telegram serves planbot in Telegram over the Bot API (github.com/mymmrac/telego).
//
// It is a thin adapter: it turns updates into bot.Questions, asks the engine,
// and formats the bot.Answer as plain-text messages. All wording comes from
// the engine. Updates arrive by long polling (default) or by webhook; in both
// modes an update is acknowledged only after it has been answered, so a
// graceful restart neither loses nor repeats a question.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/mymmrac/telego"

	"github.com/planbot/planbot/bot"
)

// answerer is the part of *bot.Engine the adapter uses.
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

// The modes Options.Mode selects.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Options configures a Bot. Only Token is required in polling mode; webhook
// mode also needs WebhookListen, WebhookURL and WebhookSecret.
type Options struct {
	Token  string
	APIURL string // Bot API server, default https://api.telegram.org
	Mode   string // ModePolling (default) or ModeWebhook

	WebhookListen string // address the webhook server listens on, e.g. ":8443"
	WebhookURL    string // public URL Telegram posts updates to; its path is served
	WebhookSecret string // sent by Telegram in X-Telegram-Bot-Api-Secret-Token

	// PollInterval is the pause after a getUpdates call that returned nothing
	// (default 500ms). Telegram's long polling rarely returns empty; servers
	// that answer at once (the test emulator) need it.
	PollInterval time.Duration

	// RateLimit questions per RateLimitWindow per user (default 5 per 10s);
	// a negative RateLimit turns the limit off.
	RateLimit       int
	RateLimitWindow time.Duration

	Logger   *slog.Logger // nil discards logs
	Observer Observer     // may be nil
}

const (
	defaultAPIURL          = "https://api.telegram.org"
	defaultPollInterval    = 500 * time.Millisecond
	defaultRateLimit       = 5
	defaultRateLimitWindow = 10 * time.Second
)

// secretPattern is what Telegram accepts as a webhook secret token.
var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Bot serves the engine in Telegram. Create it with New and start it with Run.
type Bot struct {
	engine  answerer
	api     *telego.Bot
	client  *client
	opts    Options
	log     *slog.Logger
	obs     Observer
	limiter *bot.Limiter

	// me is the bot's own account, learnt from getMe when Run starts; groups
	// need it to tell mentions of the bot and replies to it.
	me telego.User

	connectOnce sync.Once
}

// New checks opts and returns a Bot that answers with a. It makes no network calls.
func New(a answerer, opts Options) (*Bot, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	log := opts.Logger.With("adapter", "telegram")
	c, api, err := newClient(opts.Token, opts.APIURL, log, opts.Observer)
	if err != nil {
		return nil, err
	}
	b := &Bot{
		engine: a,
		api:    api,
		client: c,
		opts:   opts,
		log:    log,
		obs:    opts.Observer,
	}
	if opts.RateLimit > 0 {
		b.limiter = bot.NewLimiter(opts.RateLimit, opts.RateLimitWindow, 0)
	}
	return b, nil
}

// defaults fills in defaults and reports every invalid option at once.
// Errors never contain the token or the webhook secret.
func (o *Options) defaults() error {
	var errs []error
	if o.Token == "" {
		errs = append(errs, errors.New("telegram: token is empty: set TELEGRAM_BOT_TOKEN"))
	}
	if o.APIURL == "" {
		o.APIURL = defaultAPIURL
	}
	o.APIURL = strings.TrimRight(o.APIURL, "/")
	if u, err := url.Parse(o.APIURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("telegram: API URL %q is not an http(s) URL: set TELEGRAM_API_URL", o.APIURL))
	}
	switch o.Mode {
	case "":
		o.Mode = ModePolling
	case ModePolling:
	case ModeWebhook:
		if o.WebhookListen == "" {
			errs = append(errs, errors.New("telegram: webhook mode needs a listen address"))
		}
		if u, err := url.Parse(o.WebhookURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, errors.New("telegram: webhook mode needs the public http(s) webhook URL"))
		}
		if !secretPattern.MatchString(o.WebhookSecret) {
			errs = append(errs, errors.New("telegram: webhook mode needs a secret of 1-256 characters A-Z, a-z, 0-9, _ or -"))
		}
	default:
		errs = append(errs, fmt.Errorf("telegram: unknown mode %q: use %q or %q", o.Mode, ModePolling, ModeWebhook))
	}
	if o.PollInterval <= 0 {
		o.PollInterval = defaultPollInterval
	}
	if o.RateLimit == 0 {
		o.RateLimit = defaultRateLimit
	}
	if o.RateLimitWindow <= 0 {
		o.RateLimitWindow = defaultRateLimitWindow
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	return errors.Join(errs...)
}

// Run serves Telegram until ctx ends. On shutdown it stops fetching updates,
// finishes the answers in flight, acknowledges what it answered, and returns
// once its goroutines have exited. It returns an error only when it cannot
// start (an invalid token, an unreachable Bot API, a webhook that cannot be set).
func (b *Bot) Run(ctx context.Context) error {
	defer b.client.close()
	if err := b.start(ctx); err != nil {
		return err
	}
	if b.opts.Mode == ModeWebhook {
		return b.serveWebhook(ctx)
	}
	return b.poll(ctx)
}

// start learns who the bot is and publishes its commands.
func (b *Bot) start(ctx context.Context) error {
	err := b.client.do(ctx, "getMe", retryAttempts, func(ctx context.Context) error {
		me, err := b.api.GetMe(ctx)
		if err == nil {
			b.me = *me
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: connect: %w", err)
	}
	b.log.Info("connected", "username", b.me.Username, "mode", b.opts.Mode)
	b.publishCommands(ctx)
	return nil
}

// publishCommands registers the command menu in English (the default) and
// Chinese. It is best effort: some Bot API servers do not support it, and the
// bot answers commands whether or not the menu shows them.
func (b *Bot) publishCommands(ctx context.Context) {
	for _, loc := range []struct {
		locale bot.Locale
		code   string // Telegram language_code; "" is the default for all languages
	}{{bot.English, ""}, {bot.Chinese, "zh"}} {
		var cmds []telego.BotCommand
		for _, c := range bot.Commands(loc.locale) {
			cmds = append(cmds, telego.BotCommand{Command: string(c.Command), Description: c.Description})
		}
		params := &telego.SetMyCommandsParams{Commands: cmds, LanguageCode: loc.code}
		err := b.client.do(ctx, "setMyCommands", 1, func(ctx context.Context) error {
			return b.api.SetMyCommands(ctx, params)
		})
		if err != nil {
			b.log.Warn("command menu not published; commands still work", "locale", loc.locale, "err", err)
		}
	}
}

// connected tells the observer, once, that the bot is serving.
func (b *Bot) connected() {
	b.connectOnce.Do(b.obs.Connected)
}

type nopObserver struct{}

func (nopObserver) Connected()           {}
func (nopObserver) PlatformError(string) {}
func (nopObserver) RateLimited()         {}
