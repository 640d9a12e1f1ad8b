package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/planbot/planbot/adapters/script"
)

// test runs scripted conversations and prints one block per failing turn,
// then the "N passed, M failed" summary, which is always the last line.
func test(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	junit := fs.String("junit", "", "also write the results as JUnit XML to `file`")
	cfg, err := loadConfig("test", "Usage: planbot test [flags] FILE|DIR...\n", fs, args, getenv, stderr)
	if err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		return fmt.Errorf("test: name at least one script file or directory, such as testdata/scripts")
	}
	if err := noFlagsAfter("test", paths); err != nil {
		return err
	}
	files, err := script.Load(paths...)
	if err != nil {
		return err
	}
	e, err := newEngine(cfg)
	if err != nil {
		return err
	}
	rep, err := script.Run(ctx, e, files)
	if err != nil {
		return fmt.Errorf("test: %w", err)
	}
	if *junit != "" {
		if err := writeJUnit(*junit, rep); err != nil {
			return err
		}
	}
	if err := rep.WriteText(stdout); err != nil {
		return fmt.Errorf("test: write: %w", err)
	}
	if n := rep.Failed(); n > 0 {
		return fmt.Errorf("test: %d of %d turns failed: %w", n, len(rep.Results), errReported)
	}
	return nil
}

func writeJUnit(path string, rep script.Report) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("test: --junit: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("test: --junit: %w", cerr)
		}
	}()
	return rep.WriteJUnit(f)
}
