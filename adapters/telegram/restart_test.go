package telegram_test

import (
	"context"
	"testing"
	"time"
)

// TestRestart queues 100 questions, shuts the bot down once 25 are answered,
// and starts it again: every question must be answered exactly once across
// the two runs. The proxy returns at most 10 updates per getUpdates, so the
// shutdown lands in the middle of the queue, with answers in flight.
func TestRestart(t *testing.T) {
	const (
		questions = 100
		stopAfter = 25
	)
	all := readLines(t, "testdata/load.txt")
	h := newHarness(t, nil)
	h.proxy.maxBatch = 10
	opts := h.options()
	opts.RateLimit = -1

	want := map[int64][]string{}
	for i := range questions {
		chat := int64(7000 + i)
		q := all[i%len(all)]
		want[chat] = replay(t, []string{q}, "en")
		h.user(chat, 0, "en").say(q)
	}

	// SIGTERM, as cmd/planbot turns it into a cancelled context, once
	// stopAfter answers are out.
	ctx, sigterm := context.WithCancel(context.Background())
	defer sigterm()
	h.proxy.setOnSent(func(sent int) {
		if sent == stopAfter {
			sigterm()
		}
	})
	first := h.startWith(ctx, opts)
	first.wait()
	answered := h.proxy.sentCount()
	if answered < stopAfter || answered >= questions {
		t.Fatalf("first run answered %d questions; want the shutdown to land midway (%d to %d)", answered, stopAfter, questions-1)
	}
	h.proxy.setOnSent(nil)

	second := h.start(opts)
	if err := h.proxy.waitSent(questions, 60*time.Second); err != nil {
		t.Fatalf("%d of %d answers sent: %v", h.proxy.sentCount(), questions, err)
	}
	second.stop()
	t.Logf("first run answered %d, second run %d", answered, questions-answered)

	checkExactlyOnce(t, h, want)
	if n := h.proxy.pendingCount(h.token); n != 0 {
		t.Errorf("%d updates left unacknowledged after a clean shutdown; want 0", n)
	}
}
