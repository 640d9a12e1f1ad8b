package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/planbot/planbot/adapters/console"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/config"
)

// serve runs the bot: a terminal chat when no platform token is configured,
// otherwise the configured platform adapters and the admin listener.
func serve(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("planbot", flag.ContinueOnError)
	cfg, err := loadConfig("planbot", "planbot [flags]", fs, args, getenv, stderr)
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

// servePlatforms runs the platform adapters and the admin listener until ctx ends.
func servePlatforms(ctx context.Context, cfg config.Config, e *bot.Engine, logger *slog.Logger) error {
	return fmt.Errorf("platform adapters are not wired yet")
}
