package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/planbot/planbot/config"
)

// leaky tokens: shaped wrongly on purpose where Validate must reject them, so
// the errors that mention them are exercised too.
const (
	secretPart     = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
	webhookSecret  = "whsec_do_not_print_me_42"
	badTokenSecret = "NOT A TOKEN but still secret 9f8e7d"
)

// secrets lists strings that must never be printed.
var secrets = []string{secretPart, discordToken, webhookSecret, badTokenSecret, "9f8e7d"}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s leaks secret %q:\n%s", where, s, text)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c, err := load(t, []string{"--telegram-webhook-secret", webhookSecret}, map[string]string{
		"TELEGRAM_BOT_TOKEN":    "123456789:" + secretPart,
		"DISCORD_BOT_TOKEN":     discordToken,
		"PLANBOT_TELEGRAM_MODE": "webhook",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Token.Reveal() != "123456789:"+secretPart || c.Telegram.WebhookSecret.Reveal() != webhookSecret {
		t.Fatal("Load did not keep the secrets themselves")
	}

	var jsonLog, textLog bytes.Buffer
	for _, l := range []*slog.Logger{slog.New(slog.NewJSONHandler(&jsonLog, nil)), slog.New(slog.NewTextHandler(&textLog, nil))} {
		l.Info("config", "config", c, "telegram", c.Telegram, "token", c.Telegram.Token, "ptr", &c)
		l.Info("group", slog.Group("g", "discord", c.Discord))
	}
	var printed bytes.Buffer
	if err := c.Print(&printed); err != nil {
		t.Fatal(err)
	}
	marshalled, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}

	outputs := []struct {
		name, text string
	}{
		{name: "slog JSON", text: jsonLog.String()},
		{name: "slog text", text: textLog.String()},
		{name: "Print", text: printed.String()},
		{name: "json.Marshal", text: string(marshalled)},
		{name: "%v", text: fmt.Sprintf("%v", c)},
		{name: "%+v", text: fmt.Sprintf("%+v", c)},
		{name: "%#v", text: fmt.Sprintf("%#v", c)},
		{name: "%s", text: fmt.Sprintf("%s", c.Telegram)},
		{name: "%q", text: fmt.Sprintf("%q", c.Telegram.Token)},
		{name: "%x", text: fmt.Sprintf("%x", c.Telegram.Token)},
		{name: "%v pointer", text: fmt.Sprintf("%+v", &c.Discord)},
		{name: "Sprint", text: fmt.Sprint(c.Discord.Token, c.Telegram.WebhookSecret)},
		{name: "String", text: c.Telegram.Token.String()},
	}
	for _, o := range outputs {
		t.Run(o.name, func(t *testing.T) {
			assertNoSecret(t, o.name, o.text)
			if !strings.Contains(o.text, "[REDACTED]") {
				t.Errorf("%s does not show the secret as [REDACTED]:\n%s", o.name, o.text)
			}
		})
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		vars map[string]string
		file string
	}{
		{name: "bad telegram token", vars: map[string]string{"TELEGRAM_BOT_TOKEN": badTokenSecret}},
		{name: "bad discord token", vars: map[string]string{"DISCORD_BOT_TOKEN": "Bot " + badTokenSecret}},
		{name: "bad webhook secret", args: []string{"--telegram-mode=webhook", "--telegram-webhook-secret", badTokenSecret}},
		{name: "token in a broken file", file: "telegram:\n  token: " + badTokenSecret + "\n  nope: 1\n"},
		{name: "token as a bad flag", args: []string{"--telegram-token", badTokenSecret, "--rate-limit", "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append([]string{"--config", writeFile(t, "planbot.yaml", tc.file)}, args...)
			}
			c, err := load(t, args, tc.vars)
			if err == nil {
				err = c.Validate()
			}
			if err == nil {
				t.Fatal("got no error; want one")
			}
			assertNoSecret(t, "error", err.Error())
			var joined interface{ Unwrap() []error }
			if errors.As(err, &joined) {
				for _, e := range joined.Unwrap() {
					assertNoSecret(t, "wrapped error", fmt.Sprintf("%+v %#v", e, e))
				}
			}
		})
	}
}

func TestSecretEmpty(t *testing.T) {
	var s config.Secret
	if s.String() != "" || s.IsSet() || fmt.Sprint(s) != "" {
		t.Errorf("empty Secret prints %q; want empty, so an operator sees it is unset", s.String())
	}
}
