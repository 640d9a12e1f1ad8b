// Package config reads planbot's one typed configuration from flags,
// environment variables and an optional YAML file, in that order of precedence.
package config

import "time"

// Secret is a token that never prints: String, GoString, LogValue and
// MarshalJSON all redact it. Reveal returns the value for the one place that needs it.
type Secret string

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

	RateLimit       int           // questions per user per RateLimitWindow (default 5)
	RateLimitWindow time.Duration // default 10s

	Telegram Telegram
	Discord  Discord
}

// Telegram configures the Telegram adapter; it is on when Token is set.
type Telegram struct {
	Token         Secret        // TELEGRAM_BOT_TOKEN
	APIURL        string        // TELEGRAM_API_URL, default https://api.telegram.org
	Mode          string        // "polling" (default) or "webhook"
	WebhookListen string        // address the webhook server listens on
	WebhookURL    string        // public URL Telegram posts to
	WebhookSecret Secret        // required in webhook mode
	PollInterval  time.Duration // pause between getUpdates calls
}

// Discord configures the Discord adapter; it is on when Token is set.
type Discord struct {
	Token      Secret // DISCORD_BOT_TOKEN
	APIURL     string // DISCORD_API_URL, default https://discord.com
	GuildID    string // register commands to this guild only (instant, for testing)
	ShardID    int
	ShardCount int
}
