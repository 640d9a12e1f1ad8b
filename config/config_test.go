package config_test

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/config"
)

// Tokens shaped like real ones, so that Validate accepts them.
const (
	telegramToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
	discordToken  = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"
)

// env turns a map into a getenv function.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes a file in a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func load(t *testing.T, args []string, vars map[string]string) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("planbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return config.Load(fs, args, env(vars))
}

func TestLoadPrecedence(t *testing.T) {
	file := writeFile(t, "planbot.yaml", `
log_format: json
log_level: warn
rate_limit: 7
context_ttl: 5m
telegram:
  mode: polling
  poll_interval: 250ms
discord:
  shard_count: 4
`)
	other := writeFile(t, "other.yaml", "log_level: debug\n")

	tests := []struct {
		name  string
		args  []string
		vars  map[string]string
		check func(c config.Config) (got, want any)
	}{
		{name: "default", check: func(c config.Config) (any, any) { return c.LogFormat, "text" }},
		{name: "default duration", check: func(c config.Config) (any, any) { return c.ContextTTL, 10 * time.Minute }},
		{name: "default admin off", check: func(c config.Config) (any, any) { return c.AdminAddr, "" }},
		{name: "file over default", args: []string{"--config", file},
			check: func(c config.Config) (any, any) { return c.RateLimit, 7 }},
		{name: "file section", args: []string{"--config", file},
			check: func(c config.Config) (any, any) { return c.Telegram.PollInterval, 250 * time.Millisecond }},
		{name: "file keeps other defaults", args: []string{"--config", file},
			check: func(c config.Config) (any, any) { return c.Discord.APIURL, "https://discord.com" }},
		{name: "file named by env", vars: map[string]string{"PLANBOT_CONFIG": file},
			check: func(c config.Config) (any, any) { return c.LogFormat, "json" }},
		{name: "flag config over env config", args: []string{"--config", other}, vars: map[string]string{"PLANBOT_CONFIG": file},
			check: func(c config.Config) (any, any) { return c.LogLevel + " " + c.LogFormat, "debug text" }},
		{name: "env over file", args: []string{"--config", file}, vars: map[string]string{"PLANBOT_RATE_LIMIT": "9"},
			check: func(c config.Config) (any, any) { return c.RateLimit, 9 }},
		{name: "flag over env and file", args: []string{"--config", file, "--rate-limit", "3"}, vars: map[string]string{"PLANBOT_RATE_LIMIT": "9"},
			check: func(c config.Config) (any, any) { return c.RateLimit, 3 }},
		{name: "flag before config flag still wins", args: []string{"--log-level=error", "--config", file},
			check: func(c config.Config) (any, any) { return c.LogLevel, "error" }},
		{name: "conventional token variables", vars: map[string]string{"TELEGRAM_BOT_TOKEN": telegramToken, "DISCORD_BOT_TOKEN": discordToken},
			check: func(c config.Config) (any, any) {
				return c.Telegram.Token.Reveal() + " " + c.Discord.Token.Reveal(), telegramToken + " " + discordToken
			}},
		{name: "API URL variables", vars: map[string]string{"TELEGRAM_API_URL": "http://127.0.0.1:9001", "DISCORD_API_URL": "http://127.0.0.1:9002"},
			check: func(c config.Config) (any, any) {
				return c.Telegram.APIURL + " " + c.Discord.APIURL, "http://127.0.0.1:9001 http://127.0.0.1:9002"
			}},
		{name: "empty env var is unset", vars: map[string]string{"PLANBOT_LOG_FORMAT": ""},
			check: func(c config.Config) (any, any) { return c.LogFormat, "text" }},
		{name: "bare bool flag", args: []string{"--log-questions"},
			check: func(c config.Config) (any, any) { return c.LogQuestions, true }},
		{name: "bool env yes", vars: map[string]string{"PLANBOT_LOG_QUESTIONS": "yes"},
			check: func(c config.Config) (any, any) { return c.LogQuestions, true }},
		{name: "flag false over env true", args: []string{"--log-questions=false"}, vars: map[string]string{"PLANBOT_LOG_QUESTIONS": "true"},
			check: func(c config.Config) (any, any) { return c.LogQuestions, false }},
		{name: "admin port alone binds loopback", args: []string{"--admin-addr", ":9090"},
			check: func(c config.Config) (any, any) { return c.AdminAddr, "127.0.0.1:9090" }},
		{name: "admin explicit host kept", vars: map[string]string{"PLANBOT_ADMIN_ADDR": "0.0.0.0:9090"},
			check: func(c config.Config) (any, any) { return c.AdminAddr, "0.0.0.0:9090" }},
		{name: "config file recorded", args: []string{"--config", file},
			check: func(c config.Config) (any, any) { return c.ConfigFile, file }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.args, tc.vars)
			if err != nil {
				t.Fatalf("Load(%q) error: %v", tc.args, err)
			}
			if got, want := tc.check(c); got != want {
				t.Errorf("Load(%q, %v) = %v; want %v", tc.args, tc.vars, got, want)
			}
		})
	}
}

func TestLoadLeavesSubcommandArgs(t *testing.T) {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	c, err := config.Load(fs, []string{"--json", "--log-format", "json", "Who is Zhangjiajie paired with?"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !*jsonOut || c.LogFormat != "json" {
		t.Errorf("json = %v, log format = %q; want true, json", *jsonOut, c.LogFormat)
	}
	if got := fs.Args(); len(got) != 1 || got[0] != "Who is Zhangjiajie paired with?" {
		t.Errorf("fs.Args() = %q; want the question", got)
	}
}

func TestLoadHelp(t *testing.T) {
	fs := flag.NewFlagSet("planbot", flag.ContinueOnError)
	var usage strings.Builder
	fs.SetOutput(&usage)
	_, err := config.Load(fs, []string{"-h"}, env(nil))
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Load(-h) error = %v; want flag.ErrHelp", err)
	}
	for _, want := range []string{"-telegram-token", "TELEGRAM_BOT_TOKEN", "-admin-addr", "PLANBOT_ADMIN_ADDR", "(default 10m0s)", "-config"} {
		if !strings.Contains(usage.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, usage.String())
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		file string // YAML written to a config file, if not empty
		args []string
		vars map[string]string
		want []string // every one must appear in the error
	}{
		{name: "unknown key", file: "log_format: json\nlog_formt: text\n", want: []string{`:2: unknown setting "log_formt"`, `did you mean "log_format"`}},
		{name: "unknown key in section", file: "telegram:\n  webhok_url: https://x\n", want: []string{`:2: unknown setting "telegram.webhok_url"`, `"telegram.webhook_url"`}},
		{name: "kebab key", file: "knowledge-file: facts.yaml\n", want: []string{`did you mean "knowledge_file"`}},
		{name: "section not a mapping", file: "telegram: polling\n", want: []string{":1: telegram must be a section", "mode"}},
		{name: "list value", file: "log_level: [info]\n", want: []string{":1: log_level (--log-level, PLANBOT_LOG_LEVEL) must be a single value"}},
		{name: "wrong type in file", file: "rate_limit: lots\n", want: []string{":1: rate_limit (--rate-limit, PLANBOT_RATE_LIMIT)", `"lots" is not a whole number`}},
		{name: "bad duration in file", file: "context_ttl: 10\n", want: []string{"context_ttl", "write it like 30s"}},
		{name: "set twice", file: "log_level: info\nlog_level: debug\n", want: []string{":2: log_level is set twice"}},
		{name: "not a mapping", file: "- a\n- b\n", want: []string{"must be a mapping"}},
		{name: "bad yaml", file: "a: [\n", want: []string{"config file"}},
		{name: "every file problem at once", file: "nope: 1\nrate_limit: x\n", want: []string{`unknown setting "nope"`, "rate_limit"}},
		{name: "missing file", args: []string{"--config", "/nonexistent/planbot.yaml"}, want: []string{"--config, PLANBOT_CONFIG", "/nonexistent/planbot.yaml"}},
		{name: "bad env int", vars: map[string]string{"PLANBOT_MAX_CONVERSATIONS": "many"}, want: []string{"environment variable PLANBOT_MAX_CONVERSATIONS", `"many" is not a whole number`}},
		{name: "bad env bool", vars: map[string]string{"PLANBOT_LOG_QUESTIONS": "sometimes"}, want: []string{"PLANBOT_LOG_QUESTIONS", "write true or false"}},
		{name: "bad env duration", vars: map[string]string{"PLANBOT_SHUTDOWN_TIMEOUT": "soon"}, want: []string{"PLANBOT_SHUTDOWN_TIMEOUT", "not a duration"}},
		{name: "bad flag", args: []string{"--discord-shard-id", "one"}, want: []string{"-discord-shard-id", "not a whole number"}},
		{name: "unknown flag", args: []string{"--colour"}, want: []string{"colour"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append([]string{"--config", writeFile(t, "planbot.yaml", tc.file)}, args...)
			}
			_, err := load(t, args, tc.vars)
			if err == nil {
				t.Fatalf("Load(%q) = nil error; want %q", args, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load(%q) error = %q; want it to contain %q", args, err, w)
				}
			}
		})
	}
}

// valid returns a configuration with both adapters on that Validate accepts.
func valid() config.Config {
	c := config.Default()
	c.Telegram.Token = telegramToken
	c.Discord.Token = discordToken
	return c
}

func TestValidateAccepts(t *testing.T) {
	facts := writeFile(t, "facts.yaml", "pairs: []\n")
	tests := []struct {
		name   string
		change func(c *config.Config)
	}{
		{name: "defaults", change: func(c *config.Config) { *c = config.Default() }},
		{name: "both adapters", change: func(c *config.Config) {}},
		{name: "webhook", change: func(c *config.Config) {
			c.Telegram.Mode = "webhook"
			c.Telegram.WebhookURL = "https://bot.example.com/telegram"
			c.Telegram.WebhookSecret = "s3cr3t_-token"
		}},
		{name: "json logs, admin on", change: func(c *config.Config) { c.LogFormat, c.LogLevel, c.AdminAddr = "json", "debug", "127.0.0.1:0" }},
		{name: "knowledge file", change: func(c *config.Config) { c.KnowledgeFile = facts }},
		{name: "rate limit off", change: func(c *config.Config) { c.RateLimit, c.RateLimitWindow = 0, 0 }},
		{name: "last shard", change: func(c *config.Config) { c.Discord.ShardID, c.Discord.ShardCount = 3, 4 }},
		{name: "guild", change: func(c *config.Config) { c.Discord.GuildID = "81384788765712384" }},
		{name: "emulator URL", change: func(c *config.Config) { c.Telegram.APIURL = "http://127.0.0.1:9000" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.change(&c)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate() = %v; want nil", err)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	dir := t.TempDir()
	webhook := func(c *config.Config) {
		c.Telegram.Mode = "webhook"
		c.Telegram.WebhookURL = "https://bot.example.com/telegram"
		c.Telegram.WebhookSecret = "s3cr3t"
	}
	tests := []struct {
		name   string
		change func(c *config.Config)
		want   []string // the setting's three names and the fix
	}{
		{name: "telegram token shape", change: func(c *config.Config) { c.Telegram.Token = "not-a-token" },
			want: []string{"telegram.token", "--telegram-token", "TELEGRAM_BOT_TOKEN", "123456:ABC", "@BotFather"}},
		{name: "telegram token truncated", change: func(c *config.Config) { c.Telegram.Token = "123456:ABC" },
			want: []string{"TELEGRAM_BOT_TOKEN", "copy the whole token"}},
		{name: "webhook without secret", change: func(c *config.Config) { webhook(c); c.Telegram.WebhookSecret = "" },
			want: []string{"telegram.webhook_secret", "--telegram-webhook-secret", "PLANBOT_TELEGRAM_WEBHOOK_SECRET", "required in webhook mode", "openssl rand"}},
		{name: "webhook secret bad characters", change: func(c *config.Config) { webhook(c); c.Telegram.WebhookSecret = "has spaces!" },
			want: []string{"PLANBOT_TELEGRAM_WEBHOOK_SECRET", "A-Z, a-z, 0-9, _ and -"}},
		{name: "webhook without URL", change: func(c *config.Config) { webhook(c); c.Telegram.WebhookURL = "" },
			want: []string{"telegram.webhook_url", "--telegram-webhook-url", "PLANBOT_TELEGRAM_WEBHOOK_URL", "required in webhook mode"}},
		{name: "webhook URL not https", change: func(c *config.Config) { webhook(c); c.Telegram.WebhookURL = "http://bot.example.com/" },
			want: []string{"PLANBOT_TELEGRAM_WEBHOOK_URL", "not an https URL"}},
		{name: "webhook without token", change: func(c *config.Config) { webhook(c); c.Telegram.Token = "" },
			want: []string{"TELEGRAM_BOT_TOKEN", "mode is webhook"}},
		{name: "webhook listen", change: func(c *config.Config) { webhook(c); c.Telegram.WebhookListen = "8080" },
			want: []string{"telegram.webhook_listen", "PLANBOT_TELEGRAM_WEBHOOK_LISTEN", "host:port"}},
		{name: "webhook settings in polling mode", change: func(c *config.Config) { c.Telegram.WebhookURL = "https://bot.example.com/" },
			want: []string{"telegram.mode", "PLANBOT_TELEGRAM_MODE", "set the mode to webhook"}},
		{name: "telegram mode", change: func(c *config.Config) { c.Telegram.Mode = "push" },
			want: []string{"--telegram-mode", `"push" is not a mode`, "polling or webhook"}},
		{name: "telegram API URL", change: func(c *config.Config) { c.Telegram.APIURL = "api.telegram.org" },
			want: []string{"TELEGRAM_API_URL", "not an http(s) URL"}},
		{name: "negative poll interval", change: func(c *config.Config) { c.Telegram.PollInterval = -time.Second },
			want: []string{"PLANBOT_TELEGRAM_POLL_INTERVAL", "negative"}},
		{name: "missing knowledge file", change: func(c *config.Config) { c.KnowledgeFile = filepath.Join(dir, "nope.yaml") },
			want: []string{"knowledge_file", "--knowledge-file", "PLANBOT_KNOWLEDGE_FILE", "cannot read", "no such file", "built-in facts"}},
		{name: "knowledge file is a directory", change: func(c *config.Config) { c.KnowledgeFile = dir },
			want: []string{"PLANBOT_KNOWLEDGE_FILE", "is a directory"}},
		{name: "admin addr", change: func(c *config.Config) { c.AdminAddr = "localhost" },
			want: []string{"admin_addr", "--admin-addr", "PLANBOT_ADMIN_ADDR", "not host:port", "127.0.0.1:9090"}},
		{name: "admin port", change: func(c *config.Config) { c.AdminAddr = "127.0.0.1:http" },
			want: []string{"PLANBOT_ADMIN_ADDR", "no valid port"}},
		{name: "log format", change: func(c *config.Config) { c.LogFormat = "xml" },
			want: []string{"log_format", "--log-format", "PLANBOT_LOG_FORMAT", "use text or json"}},
		{name: "log level", change: func(c *config.Config) { c.LogLevel = "loud" },
			want: []string{"PLANBOT_LOG_LEVEL", "debug, info, warn or error"}},
		{name: "negative shutdown timeout", change: func(c *config.Config) { c.ShutdownTimeout = -time.Second },
			want: []string{"shutdown_timeout", "--shutdown-timeout", "PLANBOT_SHUTDOWN_TIMEOUT", "must be positive"}},
		{name: "negative context ttl", change: func(c *config.Config) { c.ContextTTL = -time.Minute },
			want: []string{"PLANBOT_CONTEXT_TTL", "must be positive"}},
		{name: "negative rate window", change: func(c *config.Config) { c.RateLimitWindow = -time.Second },
			want: []string{"PLANBOT_RATE_LIMIT_WINDOW", "must be positive"}},
		{name: "negative rate limit", change: func(c *config.Config) { c.RateLimit = -1 },
			want: []string{"PLANBOT_RATE_LIMIT", "0 for no limit"}},
		{name: "max conversations", change: func(c *config.Config) { c.MaxConversations = 0 },
			want: []string{"PLANBOT_MAX_CONVERSATIONS", "at least 1"}},
		{name: "discord Bot prefix", change: func(c *config.Config) { c.Discord.Token = "Bot " + discordToken },
			want: []string{"discord.token", "--discord-token", "DISCORD_BOT_TOKEN", "planbot adds the prefix"}},
		{name: "discord API URL", change: func(c *config.Config) { c.Discord.APIURL = "ftp://discord.com" },
			want: []string{"DISCORD_API_URL", "not an http(s) URL"}},
		{name: "shard id too big", change: func(c *config.Config) { c.Discord.ShardID, c.Discord.ShardCount = 2, 2 },
			want: []string{"discord.shard_id", "PLANBOT_DISCORD_SHARD_ID", "from 0 to 1"}},
		{name: "shard count", change: func(c *config.Config) { c.Discord.ShardCount = 0 },
			want: []string{"PLANBOT_DISCORD_SHARD_COUNT", "at least 1"}},
		{name: "guild id", change: func(c *config.Config) { c.Discord.GuildID = "my-server" },
			want: []string{"PLANBOT_DISCORD_GUILD_ID", "not a Discord id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.change(&c)
			err := c.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil; want an error containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q; want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := valid()
	c.LogFormat = "xml"
	c.AdminAddr = "nowhere"
	c.Telegram.Mode = "webhook"
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil; want errors")
	}
	for _, w := range []string{"PLANBOT_LOG_FORMAT", "PLANBOT_ADMIN_ADDR", "PLANBOT_TELEGRAM_WEBHOOK_URL", "PLANBOT_TELEGRAM_WEBHOOK_SECRET"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %q; want it to name %s", err, w)
		}
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 4 {
		t.Errorf("Validate() gave %d lines; want 4, one per problem:\n%v", n, err)
	}
}

func TestPrint(t *testing.T) {
	c, err := load(t, []string{"--rate-limit", "3"}, map[string]string{"TELEGRAM_BOT_TOKEN": telegramToken, "PLANBOT_LOG_FORMAT": "json"})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := c.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"rate_limit: 3", "# flag --rate-limit",
		`log_format: "json"`, "# env PLANBOT_LOG_FORMAT",
		`context_ttl: 10m0s`, "# default",
		"telegram:\n", `  token: "[REDACTED]"`, "# env TELEGRAM_BOT_TOKEN",
		"discord:\n", `  token: ""`, "# not set",
		"# serves: telegram (polling)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Print() lacks %q:\n%s", want, out.String())
		}
	}
}

// TestPrintReadsBack checks that Print's output is itself a configuration
// file that loads to the same settings (secrets aside).
func TestPrintReadsBack(t *testing.T) {
	want := config.Default()
	want.LogFormat, want.LogQuestions, want.AdminAddr = "json", true, "127.0.0.1:9090"
	want.RateLimitWindow = 90 * time.Second
	want.Telegram.Mode, want.Telegram.WebhookURL = "webhook", `https://bot.example.com/t?a="b"`
	want.Discord.ShardID, want.Discord.ShardCount, want.Discord.GuildID = 1, 2, "81384788765712384"
	var out strings.Builder
	if err := want.Print(&out); err != nil {
		t.Fatal(err)
	}
	got, err := load(t, []string{"--config", writeFile(t, "printed.yaml", out.String())}, nil)
	if err != nil {
		t.Fatalf("Load(printed config) error: %v\n%s", err, out.String())
	}
	want.ConfigFile = got.ConfigFile
	var gotOut, wantOut strings.Builder
	if err := got.Print(&gotOut); err != nil {
		t.Fatal(err)
	}
	if err := want.Print(&wantOut); err != nil {
		t.Fatal(err)
	}
	stripComments := func(s string) string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if i := strings.Index(l, " # "); i >= 0 {
				l = strings.TrimRight(l[:i], " ")
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	if g, w := stripComments(gotOut.String()), stripComments(wantOut.String()); g != w {
		t.Errorf("printed config read back as\n%s\nwant\n%s", g, w)
	}
}
