// Command planbot answers questions about the 2022 Work Plan for Paired
// Cooperation in Key Cities in Old Revolutionary Base Areas, in a terminal, on
// Discord and on Telegram. Run "planbot help" for its commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop) // after the first signal, a second one kills at once
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintf(os.Stderr, "planbot: %v\n", err)
		}
		os.Exit(1)
	}
}
