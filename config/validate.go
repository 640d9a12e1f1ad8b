package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// telegramToken is the shape of a Bot API token: the bot's numeric id, a
// colon, and a secret of URL-safe characters (35 of them from @BotFather).
var telegramToken = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$`)

// webhookSecret is what the Bot API accepts as secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Validate reports every problem with c, joined with errors.Join. Each error
// names the setting by its YAML key, flag and environment variable, and says
// how to fix it; none contains a secret. It checks that the knowledge file can
// be opened (its contents are checked when the knowledge package loads it).
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		s, ok := lookupSetting(key)
		if !ok {
			panic("config: no setting " + key) // a programming error in this file
		}
		errs = append(errs, fmt.Errorf("%s: %s", s.names(), fmt.Sprintf(format, args...)))
	}

	if c.KnowledgeFile != "" {
		if err := readable(c.KnowledgeFile); err != nil {
			bad("knowledge_file", "cannot read %q (%v); fix the path or permissions, or unset it to use the built-in facts", c.KnowledgeFile, cause(err))
		}
	}
	if c.LogFormat != LogText && c.LogFormat != LogJSON {
		bad("log_format", "%q is not a log format; use text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "%q is not a log level; use debug, info, warn or error", c.LogLevel)
	}
	if c.AdminAddr != "" {
		if err := checkHostPort(c.AdminAddr); err != nil {
			bad("admin_addr", "%q %v; write host:port such as 127.0.0.1:9090 (0.0.0.0:9090 to reach it from outside), or leave it empty to turn the admin listener off", c.AdminAddr, err)
		}
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad(key, "%s must be positive; write a duration such as 30s or 10m", d)
		}
	}
	positive("shutdown_timeout", c.ShutdownTimeout)
	positive("context_ttl", c.ContextTTL)
	if c.MaxConversations < 1 {
		bad("max_conversations", "%d must be at least 1; the default is 100000", c.MaxConversations)
	}
	if c.RateLimit < 0 {
		bad("rate_limit", "%d is negative; use a number of questions such as 5, or 0 for no limit", c.RateLimit)
	}
	if c.RateLimit > 0 {
		positive("rate_limit_window", c.RateLimitWindow)
	}

	c.Telegram.validate(bad)
	c.Discord.validate(bad)
	return errors.Join(errs...)
}

func (t Telegram) validate(bad func(key, format string, args ...any)) {
	if t.Token.IsSet() && !telegramToken.MatchString(t.Token.Reveal()) {
		bad("telegram.token", "does not look like a Telegram bot token (123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11); copy the whole token @BotFather gave you")
	}
	if err := checkURL(t.APIURL); err != nil {
		bad("telegram.api_url", "%v; use https://api.telegram.org or your Bot API server's URL", err)
	}
	if t.PollInterval < 0 {
		bad("telegram.poll_interval", "%s is negative; use 0 for the default or a pause such as 100ms", t.PollInterval)
	}
	switch t.Mode {
	case TelegramPolling:
		if t.WebhookURL != "" || t.WebhookSecret.IsSet() {
			bad("telegram.mode", "is polling but a webhook URL or secret is set; set the mode to webhook, or unset the webhook settings")
		}
	case TelegramWebhook:
		if !t.Token.IsSet() {
			bad("telegram.token", "is empty but the Telegram mode is webhook; set TELEGRAM_BOT_TOKEN, or unset the mode")
		}
		if t.WebhookURL == "" {
			bad("telegram.webhook_url", "is required in webhook mode; set the public https URL that reaches this server, such as https://bot.example.com/telegram")
		} else if u, err := url.Parse(t.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad("telegram.webhook_url", "%q is not an https URL; Telegram only posts to https, such as https://bot.example.com/telegram", t.WebhookURL)
		}
		if !t.WebhookSecret.IsSet() {
			bad("telegram.webhook_secret", "is required in webhook mode so forged updates are refused; set 1-256 characters of A-Z, a-z, 0-9, _ and - (for example: openssl rand -hex 32)")
		} else if !webhookSecret.MatchString(t.WebhookSecret.Reveal()) {
			bad("telegram.webhook_secret", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -, as the Bot API requires (for example: openssl rand -hex 32)")
		}
		if err := checkHostPort(t.WebhookListen); err != nil {
			bad("telegram.webhook_listen", "%q %v; write host:port such as :8080", t.WebhookListen, err)
		}
	default:
		bad("telegram.mode", "%q is not a mode; use polling or webhook", t.Mode)
	}
}

func (d Discord) validate(bad func(key, format string, args ...any)) {
	if tok := d.Token.Reveal(); tok != "" {
		switch {
		case strings.HasPrefix(strings.ToLower(tok), "bot "):
			bad("discord.token", "starts with \"Bot \"; give the token alone, planbot adds the prefix")
		case strings.ContainsAny(tok, " \t\r\n"):
			bad("discord.token", "contains spaces; copy the token from the Developer Portal's Bot page without spaces")
		}
	}
	if err := checkURL(d.APIURL); err != nil {
		bad("discord.api_url", "%v; use https://discord.com or your proxy's URL", err)
	}
	if d.ShardCount < 1 {
		bad("discord.shard_count", "%d must be at least 1; use 1 unless the bot is in more than 2,500 servers", d.ShardCount)
	} else if d.ShardID < 0 || d.ShardID >= d.ShardCount {
		bad("discord.shard_id", "%d must be from 0 to %d (the shard count minus one); give each replica its own id", d.ShardID, d.ShardCount-1)
	}
	if d.GuildID != "" {
		if _, err := strconv.ParseUint(d.GuildID, 10, 64); err != nil {
			bad("discord.guild_id", "%q is not a Discord id; copy the server id with Developer Mode on, or leave it empty to register commands globally", d.GuildID)
		}
	}
}

// readable checks that path opens for reading and is not a directory.
func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return &os.PathError{Op: "read", Path: path, Err: errors.New("is a directory")}
	}
	return nil
}

// cause drops the path from a file error: the message quotes the path already.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func checkHostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("is not host:port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("has no valid port (0-65535)")
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}
