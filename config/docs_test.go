package config

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// markdownTable renders the settings table as docs/configuration.md shows it.
func markdownTable() string {
	var b strings.Builder
	b.WriteString("| YAML key | Flag | Environment variable | Default | Meaning |\n")
	b.WriteString("|---|---|---|---|---|\n")
	d := Default()
	for _, s := range settings {
		def := "`" + s.format(d) + "`"
		if def == "``" {
			def = "(empty)"
		}
		usage := strings.ReplaceAll(s.usage, "`", "")
		usage = strings.ReplaceAll(usage, "|", `\|`)
		b.WriteString("| `" + s.key + "` | `--" + s.flag + "` | `" + s.env + "` | " + def + " | " + usage + " |\n")
	}
	b.WriteString("| (none) | `--config` | `PLANBOT_CONFIG` | (empty) | YAML configuration file to read |\n")
	return b.String()
}

// TestConfigurationDoc keeps docs/configuration.md in step with the settings
// table: a setting added, renamed or re-defaulted here fails until the docs say so.
func TestConfigurationDoc(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatalf("read the configuration docs: %v", err)
	}
	if want := markdownTable(); !strings.Contains(string(doc), want) {
		t.Errorf("docs/configuration.md does not contain the current settings table; replace its table with:\n\n%s", want)
	}
}

// TestConfigurationDocExample loads the example file the docs show, so the
// example stays a working configuration.
func TestConfigurationDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatalf("read the configuration docs: %v", err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/configuration.md has no ```yaml example")
	}
	path := t.TempDir() + "/planbot.yaml"
	if err := os.WriteFile(path, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN":              "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
		"PLANBOT_TELEGRAM_WEBHOOK_SECRET": "0123456789abcdef",
	}
	c, err := Load(flag.NewFlagSet("planbot", flag.ContinueOnError), []string{"--config", path}, func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("Load(docs example) error: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("docs example does not validate: %v", err)
	}
	if c.Telegram.Mode != TelegramWebhook || c.AdminAddr != "0.0.0.0:9090" || c.Telegram.WebhookListen != ":8080" {
		t.Errorf("docs example loaded as mode %q, admin %q, listen %q; want webhook, 0.0.0.0:9090, :8080", c.Telegram.Mode, c.AdminAddr, c.Telegram.WebhookListen)
	}
}
