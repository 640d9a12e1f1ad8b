package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/planbot/planbot/adapters/admin"
	"github.com/planbot/planbot/adapters/console"
	"github.com/planbot/planbot/adapters/discord"
	"github.com/planbot/planbot/adapters/telegram"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/config"
)

// serve runs the bot: a terminal chat when no platform token is configured,
// otherwise the configured platform adapters and the admin listener.
func serve(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("planbot", flag.ContinueOnError)
	cfg, err := loadConfig("", usage, fs, args, getenv, stderr)
	if err != nil {
		return err
	}
	if len(fs.Args()) > 0 {
		return fmt.Errorf("unexpected arguments %q; run \"planbot help\" for the commands", fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration (\"planbot config check\" shows it all):\n%w", err)
	}
	logger := cfg.NewLogger(stderr)
	e, err := newEngine(cfg)
	if err != nil {
		return err
	}
	if !cfg.Telegram.Enabled() && !cfg.Discord.Enabled() {
		c := console.New(e, console.Options{In: stdin, Out: stdout, Locale: terminalLocale(getenv), Logger: logger})
		return c.Run(ctx)
	}
	return servePlatforms(ctx, cfg, e, logger)
}

// terminalLocale is the user's language from the POSIX locale variables, in
// their order of precedence.
func terminalLocale(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// servePlatforms runs the configured platform adapters, each with the engine
// instrumented for its platform, and the admin listener if an address is set,
// until ctx ends or one of them fails.
func servePlatforms(ctx context.Context, cfg config.Config, e *bot.Engine, logger *slog.Logger) error {
	metrics := admin.NewMetrics()
	engineFor := func(platform string) *admin.Instrumented {
		return admin.Instrument(e, platform, metrics, logger, cfg.LogQuestions)
	}
	var tasks []task
	if cfg.Telegram.Enabled() {
		tg, err := telegram.New(engineFor("telegram"), telegramOptions(cfg, logger, metrics.Observer("telegram")))
		if err != nil {
			return err
		}
		tasks = append(tasks, task{"telegram", tg.Run})
	}
	if cfg.Discord.Enabled() {
		dc, err := discord.New(engineFor("discord"), discordOptions(cfg, logger, metrics.Observer("discord")))
		if err != nil {
			return err
		}
		tasks = append(tasks, task{"discord", dc.Run})
	}
	if cfg.AdminAddr != "" {
		tasks = append(tasks, task{"admin", admin.NewServer(cfg.AdminAddr, metrics, logger).Run})
	}
	return runAll(ctx, cfg.ShutdownTimeout, logger, tasks)
}

// rateLimit is the configured burst in the adapters' terms: the configuration
// turns limiting off with 0, the adapters with a negative number (their 0
// means the default).
func rateLimit(cfg config.Config) int {
	if cfg.RateLimit == 0 {
		return -1
	}
	return cfg.RateLimit
}

func telegramOptions(cfg config.Config, logger *slog.Logger, obs telegram.Observer) telegram.Options {
	t := cfg.Telegram
	return telegram.Options{
		Token:           t.Token.Reveal(),
		APIURL:          t.APIURL,
		Mode:            t.Mode,
		WebhookListen:   t.WebhookListen,
		WebhookURL:      t.WebhookURL,
		WebhookSecret:   t.WebhookSecret.Reveal(),
		PollInterval:    t.PollInterval,
		RateLimit:       rateLimit(cfg),
		RateLimitWindow: cfg.RateLimitWindow,
		Logger:          logger,
		Observer:        obs,
	}
}

func discordOptions(cfg config.Config, logger *slog.Logger, obs discord.Observer) discord.Options {
	d := cfg.Discord
	return discord.Options{
		Token:           d.Token.Reveal(),
		APIURL:          d.APIURL,
		GuildID:         d.GuildID,
		ShardID:         d.ShardID,
		ShardCount:      d.ShardCount,
		RateLimit:       rateLimit(cfg),
		RateLimitWindow: cfg.RateLimitWindow,
		Logger:          logger,
		Observer:        obs,
	}
}

// task is a part of the process that runs until its context ends.
type task struct {
	name string
	run  func(context.Context) error
}

// runAll runs tasks until ctx ends or one of them stops, then stops the rest
// and waits for them, at most grace after the stop began. A task that stops
// on its own, even without an error, is an error: they are meant to run
// until told to stop.
func runAll(ctx context.Context, grace time.Duration, logger *slog.Logger, tasks []task) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(tasks))
	names := make([]string, len(tasks))
	for i, t := range tasks {
		names[i] = t.name
		go func() { results <- result{t.name, t.run(ctx)} }()
	}
	logger.Info("planbot serving", "tasks", names)

	var errs []error
	stopping, deadline := ctx.Done(), (<-chan time.Time)(nil)
	for running := len(tasks); running > 0; {
		select {
		case r := <-results:
			running--
			switch {
			case ctx.Err() != nil:
				if r.err != nil && !errors.Is(r.err, context.Canceled) {
					errs = append(errs, fmt.Errorf("%s: %w", r.name, r.err))
				}
			case r.err != nil:
				errs = append(errs, fmt.Errorf("%s: %w", r.name, r.err))
				cancel()
			default:
				errs = append(errs, fmt.Errorf("%s stopped on its own", r.name))
				cancel()
			}
		case <-stopping:
			stopping = nil
			logger.Info("planbot shutting down", "grace", grace)
			timer := time.NewTimer(grace)
			defer timer.Stop()
			deadline = timer.C
		case <-deadline:
			errs = append(errs, fmt.Errorf("shutdown: %d of %d tasks still running after %s", running, len(tasks), grace))
			return errors.Join(errs...)
		}
	}
	return errors.Join(errs...)
}
