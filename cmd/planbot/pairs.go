package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/planbot/planbot/bot"
)

// pairs prints the engine's list of every pair, in English or Chinese.
func pairs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pairs", flag.ContinueOnError)
	lang := fs.String("lang", "en", "list in `en` or zh")
	cfg, err := loadConfig("pairs", "planbot pairs [flags]", fs, args, getenv, stderr)
	if err != nil {
		return err
	}
	if *lang != string(bot.English) && *lang != string(bot.Chinese) {
		return fmt.Errorf("pairs: --lang %q: want en or zh", *lang)
	}
	if len(fs.Args()) > 0 {
		return fmt.Errorf("pairs: unexpected arguments %q", fs.Args())
	}
	e, err := newEngine(cfg)
	if err != nil {
		return err
	}
	a := e.Command(ctx, bot.CommandPairs, bot.Question{ConversationID: "pairs", Locale: *lang})
	if _, err := fmt.Fprintln(stdout, strings.TrimRight(a.Text, "\n")); err != nil {
		return fmt.Errorf("pairs: write: %w", err)
	}
	return nil
}
