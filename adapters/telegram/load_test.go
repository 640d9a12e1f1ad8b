package telegram_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// TestLoad has 50 users ask 40 questions each, all at once, through the
// emulator. Every question must be answered exactly once and in order within
// its chat, and the bot must leave no goroutines or memory behind. With -v
// it prints the throughput and latency figures of docs/telegram-load.md.
func TestLoad(t *testing.T) {
	const users = 50
	questions := readLines(t, "testdata/load.txt")
	h := newHarness(t, nil)
	opts := h.options()
	opts.RateLimit = -1 // 40 questions at once would be rate limited

	// Each user starts at a different question; a chat's answers depend
	// on its own questions only, so a fresh engine's replay is the truth.
	want := map[int64][]string{}
	asked := map[int64][]string{}
	for i := range users {
		id := int64(5000 + i)
		qs := append(slices.Clone(questions[i%len(questions):]), questions[:i%len(questions)]...)
		asked[id] = qs
		want[id] = replay(t, qs, langOf(i))
	}

	// Warm the bot's engine up first, so its lazily built indexes do not
	// count as growth.
	for _, q := range questions {
		h.engine.Answer(context.Background(), bot.Question{Text: q, ConversationID: "warm-up"})
	}
	goroutines, heap := settle()
	r := h.start(opts)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range users {
		id := int64(5000 + i)
		u := h.user(id, 0, langOf(i))
		wg.Go(func() {
			for _, q := range asked[id] {
				if err := postJSON(u.api+"/sendMessage", u.message(q), nil); err != nil {
					t.Errorf("user %d: %v", id, err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := users * len(questions)
	if err := h.proxy.waitSent(total, 60*time.Second); err != nil {
		t.Fatalf("%d of %d answers sent: %v", h.proxy.sentCount(), total, err)
	}
	elapsed := time.Since(start)
	r.stop()

	// Nothing the bot started may outlive Run.
	userClient.CloseIdleConnections()
	afterGoroutines, afterHeap := settleTo(goroutines + 2)
	if afterGoroutines > goroutines+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before the bot ran, %d after it stopped\n%s", goroutines, afterGoroutines, buf[:runtime.Stack(buf, true)])
	}
	const heapSlack = 16 << 20
	if afterHeap > heap+heapSlack {
		t.Errorf("live heap grew from %d to %d bytes over the run; want under %d bytes growth", heap, afterHeap, heapSlack)
	}

	t.Logf("goroutines %d before, %d after; live heap %.1f MiB before, %.1f MiB after",
		goroutines, afterGoroutines, float64(heap)/(1<<20), float64(afterHeap)/(1<<20))
	checkExactlyOnce(t, h, want)
	reportLatency(t, h, total, elapsed)
}

func langOf(i int) string {
	if i%2 == 0 {
		return "en"
	}
	return "zh-hans"
}

// settle collects garbage and returns the goroutine count and live heap.
func settle() (int, uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

// settleTo waits up to 5s for the goroutine count to fall to max (closed
// connections take a moment to notice), then settles.
func settleTo(max int) (int, uint64) {
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for runtime.NumGoroutine() > max && time.Now().Before(deadline) {
		<-tick.C
	}
	return settle()
}

// reportLatency logs throughput and latency percentiles, measured on the
// emulator's clock from a user's message to the bot's answer.
func reportLatency(t *testing.T, h *harness, total int, elapsed time.Duration) {
	t.Helper()
	asks := map[int64][]int64{}
	answers := map[int64][]int64{}
	for _, item := range history(t, h.api, h.token) {
		switch {
		case item.Message == nil:
		case item.Message.ChatID != nil:
			answers[*item.Message.ChatID] = append(answers[*item.Message.ChatID], item.Time)
		case item.Message.Chat != nil:
			asks[item.Message.Chat.ID] = append(asks[item.Message.Chat.ID], item.Time)
		}
	}
	var latencies []time.Duration
	for chat, times := range asks {
		for i, at := range times {
			if i < len(answers[chat]) {
				latencies = append(latencies, time.Duration(answers[chat][i]-at)*time.Millisecond)
			}
		}
	}
	slices.Sort(latencies)
	if len(latencies) == 0 {
		t.Fatal("no latencies measured")
	}
	pct := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	t.Logf("%d questions from 50 users in %v: %.0f answers/s", total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
	t.Logf("latency p50 %v, p90 %v, p99 %v, max %v (GOMAXPROCS %d, race detector %t)",
		pct(0.5), pct(0.9), pct(0.99), latencies[len(latencies)-1], runtime.GOMAXPROCS(0), raceEnabled)
}
