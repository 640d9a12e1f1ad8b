package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// setting is one configurable value: its YAML key (dotted for sections), its
// flag, its environment variable and the field it fills.
type setting struct {
	key, flag, env string
	usage          string
	secret         bool
	// field returns a pointer to the value in c: *string, *Secret, *bool, *int
	// or *time.Duration.
	field func(c *Config) any
}

// settings is every setting, in the order Print and the docs list them.
var settings = []setting{
	{key: "knowledge_file", flag: "knowledge-file", env: "PLANBOT_KNOWLEDGE_FILE",
		usage: "fact `file` replacing the embedded facts (no rebuild needed)",
		field: func(c *Config) any { return &c.KnowledgeFile }},
	{key: "log_format", flag: "log-format", env: "PLANBOT_LOG_FORMAT",
		usage: "log format: text or json",
		field: func(c *Config) any { return &c.LogFormat }},
	{key: "log_level", flag: "log-level", env: "PLANBOT_LOG_LEVEL",
		usage: "log level: debug, info, warn or error",
		field: func(c *Config) any { return &c.LogLevel }},
	{key: "log_questions", flag: "log-questions", env: "PLANBOT_LOG_QUESTIONS",
		usage: "include the question text in the per-question log line",
		field: func(c *Config) any { return &c.LogQuestions }},
	{key: "admin_addr", flag: "admin-addr", env: "PLANBOT_ADMIN_ADDR",
		usage: "admin HTTP `host:port` for /healthz, /readyz, /metrics; empty = off, no host = loopback",
		field: func(c *Config) any { return &c.AdminAddr }},
	{key: "shutdown_timeout", flag: "shutdown-timeout", env: "PLANBOT_SHUTDOWN_TIMEOUT",
		usage: "how long to finish answers in flight on SIGINT/SIGTERM",
		field: func(c *Config) any { return &c.ShutdownTimeout }},
	{key: "context_ttl", flag: "context-ttl", env: "PLANBOT_CONTEXT_TTL",
		usage: "how long a conversation's context survives silence (follow-ups)",
		field: func(c *Config) any { return &c.ContextTTL }},
	{key: "max_conversations", flag: "max-conversations", env: "PLANBOT_MAX_CONVERSATIONS",
		usage: "conversations kept in memory (least recent are forgotten)",
		field: func(c *Config) any { return &c.MaxConversations }},
	{key: "rate_limit", flag: "rate-limit", env: "PLANBOT_RATE_LIMIT",
		usage: "questions a user may ask per rate-limit window; 0 = no limit",
		field: func(c *Config) any { return &c.RateLimit }},
	{key: "rate_limit_window", flag: "rate-limit-window", env: "PLANBOT_RATE_LIMIT_WINDOW",
		usage: "the rate-limit window",
		field: func(c *Config) any { return &c.RateLimitWindow }},

	{key: "telegram.token", flag: "telegram-token", env: "TELEGRAM_BOT_TOKEN", secret: true,
		usage: "Telegram bot token from @BotFather; set = serve Telegram (prefer the env var: flags show in ps)",
		field: func(c *Config) any { return &c.Telegram.Token }},
	{key: "telegram.api_url", flag: "telegram-api-url", env: "TELEGRAM_API_URL",
		usage: "Bot API server `URL` (self-hosted server or test emulator)",
		field: func(c *Config) any { return &c.Telegram.APIURL }},
	{key: "telegram.mode", flag: "telegram-mode", env: "PLANBOT_TELEGRAM_MODE",
		usage: "how updates arrive: polling or webhook",
		field: func(c *Config) any { return &c.Telegram.Mode }},
	{key: "telegram.webhook_listen", flag: "telegram-webhook-listen", env: "PLANBOT_TELEGRAM_WEBHOOK_LISTEN",
		usage: "`host:port` the webhook server listens on (webhook mode)",
		field: func(c *Config) any { return &c.Telegram.WebhookListen }},
	{key: "telegram.webhook_url", flag: "telegram-webhook-url", env: "PLANBOT_TELEGRAM_WEBHOOK_URL",
		usage: "public https `URL` Telegram posts updates to (webhook mode)",
		field: func(c *Config) any { return &c.Telegram.WebhookURL }},
	{key: "telegram.webhook_secret", flag: "telegram-webhook-secret", env: "PLANBOT_TELEGRAM_WEBHOOK_SECRET", secret: true,
		usage: "secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode, required)",
		field: func(c *Config) any { return &c.Telegram.WebhookSecret }},
	{key: "telegram.poll_interval", flag: "telegram-poll-interval", env: "PLANBOT_TELEGRAM_POLL_INTERVAL",
		usage: "pause between getUpdates calls (polling mode); 0 = the adapter's default",
		field: func(c *Config) any { return &c.Telegram.PollInterval }},

	{key: "discord.token", flag: "discord-token", env: "DISCORD_BOT_TOKEN", secret: true,
		usage: "Discord bot token; set = serve Discord (prefer the env var: flags show in ps)",
		field: func(c *Config) any { return &c.Discord.Token }},
	{key: "discord.api_url", flag: "discord-api-url", env: "DISCORD_API_URL",
		usage: "Discord API base `URL` (REST proxy or test server)",
		field: func(c *Config) any { return &c.Discord.APIURL }},
	{key: "discord.guild_id", flag: "discord-guild-id", env: "PLANBOT_DISCORD_GUILD_ID",
		usage: "register slash commands in this guild only (instant; for testing)",
		field: func(c *Config) any { return &c.Discord.GuildID }},
	{key: "discord.shard_id", flag: "discord-shard-id", env: "PLANBOT_DISCORD_SHARD_ID",
		usage: "this replica's Discord shard, 0 to shard count - 1",
		field: func(c *Config) any { return &c.Discord.ShardID }},
	{key: "discord.shard_count", flag: "discord-shard-count", env: "PLANBOT_DISCORD_SHARD_COUNT",
		usage: "total number of Discord shards across all replicas",
		field: func(c *Config) any { return &c.Discord.ShardCount }},
}

// lookupSetting finds a setting by its YAML key.
func lookupSetting(key string) (setting, bool) {
	for _, s := range settings {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// names is how errors refer to a setting: by all three of its names.
func (s setting) names() string {
	return fmt.Sprintf("%s (--%s, %s)", s.key, s.flag, s.env)
}

// flagNote ends a flag's usage with its type (shown by -h as the argument
// name, unless the usage names one) and its environment variable.
func (s setting) flagNote() string {
	if strings.Contains(s.usage, "`") || s.isBool() {
		return " (env " + s.env + ")"
	}
	var kind string
	switch s.field(&Config{}).(type) {
	case *Secret:
		kind = "token"
	case *int:
		kind = "int"
	case *time.Duration:
		kind = "duration"
	default:
		kind = "string"
	}
	return " (`" + kind + "`; env " + s.env + ")"
}

func (s setting) isBool() bool {
	_, ok := s.field(&Config{}).(*bool)
	return ok
}

// set parses raw into the setting's field. Errors never contain a secret's value.
func (s setting) set(c *Config, raw string) error {
	switch p := s.field(c).(type) {
	case *string:
		*p = raw
	case *Secret:
		*p = Secret(strings.TrimSpace(raw))
	case *bool:
		b, err := parseBool(raw)
		if err != nil {
			return err
		}
		*p = b
	case *int:
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%q is not a duration; write it like 30s, 10m or 1h30m", raw)
		}
		*p = d
	default:
		return fmt.Errorf("setting %s has unsupported type %T", s.key, p)
	}
	return nil
}

// format renders the setting's value in c as YAML would hold it; secrets redact.
func (s setting) format(c Config) string {
	switch p := s.field(&c).(type) {
	case *string:
		return *p
	case *Secret:
		return p.String()
	case *bool:
		return strconv.FormatBool(*p)
	case *int:
		return strconv.Itoa(*p)
	case *time.Duration:
		return p.String()
	default:
		return fmt.Sprint(p)
	}
}

func parseBool(raw string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "1", "t", "true", "yes", "y", "on":
		return true, nil
	case "0", "f", "false", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean; write true or false", raw)
}
