package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/config"
	"github.com/planbot/planbot/knowledge"
)

const usage = `planbot answers questions, in English and Chinese, about China's 2022 Work Plan
for Paired Cooperation in Key Cities in Old Revolutionary Base Areas.

Usage:
  planbot [flags]                   chat in the terminal; with a Discord or Telegram
                                    token set, serve those platforms instead
  planbot ask [flags] [question]    answer one question, or each line of standard input
  planbot test [flags] FILE|DIR...  run scripted conversations (YAML) and report failures
  planbot pairs [flags]             list every pair of cities
  planbot config check [flags]      validate and print the effective configuration
  planbot version                   print the version
  planbot help                      print this help

Run "planbot COMMAND -h" for a command's flags; every command also takes the
configuration flags (docs/configuration.md).
`

// errReported marks an error the user has already been shown, such as a test
// run's failures; main exits with status 1 without repeating it.
var errReported = errors.New("already reported")

// run is the whole program: main hands it the process's arguments,
// environment and standard streams, so tests can run every command in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cmd string
	if len(args) > 1 {
		args = args[1:]
	} else {
		args = nil
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "", "serve":
		err = serve(ctx, args, getenv, stdin, stdout, stderr)
	case "ask":
		err = ask(ctx, args, getenv, stdin, stdout, stderr)
	case "test":
		err = test(ctx, args, getenv, stdout, stderr)
	case "pairs":
		err = pairs(ctx, args, getenv, stdout, stderr)
	case "config":
		err = configCmd(args, getenv, stdout, stderr)
	case "version":
		err = version(args, stdout, stderr)
	case "help":
		_, err = io.WriteString(stdout, usage)
	default:
		return fmt.Errorf("unknown command %q; run \"planbot help\" for the commands", cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag set has printed its usage
	}
	return err
}

// loadConfig gives a command's flag set the configuration flags and parses
// args with it; the command's own flags must be defined on fs already. Its
// usage is head, then the command's own flags, then the configuration flags.
// Errors start with name, unless it is empty.
func loadConfig(name, head string, fs *flag.FlagSet, args []string, getenv func(string) string, stderr io.Writer) (config.Config, error) {
	own := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { own[f.Name] = true })
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), head)
		if len(own) > 0 {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			printFlags(fs, func(name string) bool { return own[name] })
		}
		fmt.Fprint(fs.Output(), "\nConfiguration flags (docs/configuration.md):\n")
		printFlags(fs, func(name string) bool { return !own[name] })
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil && name != "" && !errors.Is(err, flag.ErrHelp) {
		return cfg, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, err
}

// printFlags prints the defaults of fs's flags that keep selects.
func printFlags(fs *flag.FlagSet, keep func(name string) bool) {
	part := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	part.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if keep(f.Name) {
			part.Var(f.Value, f.Name, f.Usage)
			part.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	part.PrintDefaults()
}

// newEngine builds the engine over the embedded facts, or over the knowledge
// file the configuration names.
func newEngine(cfg config.Config) (*bot.Engine, error) {
	load := knowledge.Load
	if cfg.KnowledgeFile != "" {
		load = func() (*knowledge.Base, error) { return knowledge.LoadFile(cfg.KnowledgeFile) }
	}
	kb, err := load()
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	return bot.New(kb, bot.Options{ContextTTL: cfg.ContextTTL, MaxConversations: cfg.MaxConversations})
}

// noFlagsAfter rejects positional arguments that look like flags: Go's flag
// parsing stops at the first argument, so "test DIR --junit x" would
// otherwise take "--junit" for a file.
func noFlagsAfter(name string, positional []string) error {
	for _, a := range positional {
		if strings.HasPrefix(a, "-") && a != "-" {
			return fmt.Errorf("%s: flag %s after the arguments; put flags first", name, a)
		}
	}
	return nil
}
