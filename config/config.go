// Package config reads planbot's one typed configuration from flags,
// environment variables and an optional YAML file, in that order of precedence.
//
// Every setting has one row in the settings table (settings.go) giving its
// YAML key, flag and environment variable, so the three sources, the printed
// configuration and docs/configuration.md cannot drift apart.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"
)

// Config is the whole configuration of a planbot process.
type Config struct {
	ConfigFile    string // --config, PLANBOT_CONFIG
	KnowledgeFile string // knowledge_file: replaces the embedded facts when set

	LogFormat       string // "text" (default) or "json"
	LogLevel        string // "debug", "info" (default), "warn", "error"
	LogQuestions    bool   // include question text in the per-question log line
	AdminAddr       string // admin HTTP listener (/healthz, /readyz, /metrics); "" = off
	ShutdownTimeout time.Duration

	ContextTTL       time.Duration // conversation context lifetime (default 10m)
	MaxConversations int           // bound of the context store

	RateLimit       int           // questions per user per RateLimitWindow (default 5); 0 = off
	RateLimitWindow time.Duration // default 10s

	Telegram Telegram
	Discord  Discord

	// origins records where each setting's value came from, by YAML key, for Print.
	origins map[string]string
}

// Telegram configures the Telegram adapter; it is on when Token is set.
type Telegram struct {
	Token         Secret        // TELEGRAM_BOT_TOKEN
	APIURL        string        // TELEGRAM_API_URL, default https://api.telegram.org
	Mode          string        // "polling" (default) or "webhook"
	WebhookListen string        // address the webhook server listens on
	WebhookURL    string        // public URL Telegram posts to
	WebhookSecret Secret        // required in webhook mode
	PollInterval  time.Duration // pause between getUpdates calls; 0 = the adapter's default
}

// Enabled reports whether the Telegram adapter should run.
func (t Telegram) Enabled() bool { return t.Token.IsSet() }

// Discord configures the Discord adapter; it is on when Token is set.
type Discord struct {
	Token      Secret // DISCORD_BOT_TOKEN
	APIURL     string // DISCORD_API_URL, default https://discord.com
	GuildID    string // register commands to this guild only (instant, for testing)
	ShardID    int
	ShardCount int
}

// Enabled reports whether the Discord adapter should run.
func (d Discord) Enabled() bool { return d.Token.IsSet() }

// The values of the enumerated settings.
const (
	LogText         = "text"
	LogJSON         = "json"
	TelegramPolling = "polling"
	TelegramWebhook = "webhook"
)

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		LogFormat:        LogText,
		LogLevel:         "info",
		ShutdownTimeout:  10 * time.Second,
		ContextTTL:       10 * time.Minute,
		MaxConversations: 100_000,
		RateLimit:        5,
		RateLimitWindow:  10 * time.Second,
		Telegram: Telegram{
			APIURL:        "https://api.telegram.org",
			Mode:          TelegramPolling,
			WebhookListen: ":8080",
		},
		Discord: Discord{
			APIURL:     "https://discord.com",
			ShardCount: 1,
		},
	}
}

// Load builds the configuration: defaults, then the YAML file named by
// --config or PLANBOT_CONFIG, then environment variables, then the flags
// explicitly set. It registers its flags on fs (the caller may have added
// subcommand flags already) and parses args (without the program name) with
// it; fs.Args() holds what is left. -h returns an error matching flag.ErrHelp.
//
// Load reads the configuration file and nothing else from the system: getenv
// stands for os.Getenv. It checks that each value has the right type; Validate
// checks that the values make sense together.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	c.origins = map[string]string{}

	flags := map[string]*flagValue{}
	configFlag := fs.String("config", "", "YAML configuration `file` (env PLANBOT_CONFIG)")
	for _, s := range settings {
		v := &flagValue{s: s, raw: new(string), def: s.format(c)}
		if v.def == "false" || v.def == "0" || v.def == "0s" {
			v.def = "" // -h shows no "(default 0)"
		}
		flags[s.flag] = v
		fs.Var(v, s.flag, s.usage+s.flagNote())
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}

	c.ConfigFile = getenv("PLANBOT_CONFIG")
	if *configFlag != "" {
		c.ConfigFile = *configFlag
	}

	var errs []error
	if c.ConfigFile != "" {
		data, err := os.ReadFile(c.ConfigFile)
		if err != nil {
			return Config{}, fmt.Errorf("config file (--config, PLANBOT_CONFIG): %w; fix the path or unset it", err)
		}
		errs = append(errs, c.applyYAML(c.ConfigFile, data))
	}
	for _, s := range settings {
		raw := getenv(s.env)
		if raw == "" {
			continue
		}
		if err := s.set(&c, raw); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: %w", s.env, err))
			continue
		}
		c.origins[s.key] = "env " + s.env
	}
	fs.Visit(func(f *flag.Flag) {
		v, ok := flags[f.Name]
		if !ok || !v.set {
			return // a subcommand's own flag, or --config
		}
		if err := v.s.set(&c, *v.raw); err != nil {
			errs = append(errs, fmt.Errorf("flag --%s: %w", f.Name, err)) // already checked by Set; kept for safety
			return
		}
		c.origins[v.s.key] = "flag --" + f.Name
	})
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	c.AdminAddr = loopbackDefault(c.AdminAddr)
	return c, nil
}

// loopbackDefault gives an address without a host (":9090") the loopback
// host, so the admin listener is private unless an operator names an interface.
func loopbackDefault(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// NewLogger returns the logger the configuration asks for, writing to w.
// Call it after Validate: an unknown format or level falls back to text and info.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// flagValue is a setting's flag. It keeps the raw text and lets Load apply it
// after the file and the environment, so flags win whatever their position.
type flagValue struct {
	s   setting
	raw *string
	def string
	set bool
}

// String shows the default in -h output; a set secret stays redacted.
func (v *flagValue) String() string {
	if v == nil || v.raw == nil { // flag.PrintDefaults probes a zero value
		return ""
	}
	if !v.set {
		return v.def
	}
	if v.s.secret {
		return Secret(*v.raw).String()
	}
	return *v.raw
}

// Set checks the value's type at parse time, so a bad flag fails like any flag error.
func (v *flagValue) Set(raw string) error {
	probe := Default()
	if err := v.s.set(&probe, raw); err != nil {
		return err
	}
	*v.raw = raw
	v.set = true
	return nil
}

// IsBoolFlag lets boolean settings be given as a bare --flag.
func (v *flagValue) IsBoolFlag() bool { return v.s.isBool() }
