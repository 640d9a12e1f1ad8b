package main

import (
	"flag"
	"fmt"
	"io"
)

// configCmd runs "config check": it prints the effective configuration, with
// secrets redacted, then fails if any setting is invalid.
func configCmd(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("config: want \"planbot config check [flags]\"")
	}
	fs := flag.NewFlagSet("config check", flag.ContinueOnError)
	cfg, err := loadConfig("config check", "Usage: planbot config check [flags]\n", fs, args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	if len(fs.Args()) > 0 {
		return fmt.Errorf("config check: unexpected arguments %q", fs.Args())
	}
	if err := cfg.Print(stdout); err != nil {
		return fmt.Errorf("config check: write: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("config check: the configuration is invalid:\n%w", err)
	}
	return nil
}
