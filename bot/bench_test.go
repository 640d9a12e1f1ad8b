package bot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// benchAnswer keeps the compiler from discarding the benchmarked work.
var benchAnswer bot.Answer

// BenchmarkAnswer answers the dev-set questions round-robin, one per
// iteration, over a small fixed set of conversations so that follow-ups and
// the context store are exercised as in a busy chat. ns/op is the mean time
// per question (issue 3 target: < 25 µs and <= 40 allocs on one core).
//
//	go test ./bot -run '^$' -bench . -benchmem -cpu 1
func BenchmarkAnswer(b *testing.B) {
	qs := devQuestions(b)
	e := newEngine(b)
	ids := make([]string, 8)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%d", i)
	}
	questions := make([]bot.Question, len(qs))
	for i, q := range qs {
		questions[i] = bot.Question{Text: q.text, Locale: q.lang}
	}
	ctx := context.Background()

	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := questions[i%len(questions)]
		q.ConversationID = ids[i%len(ids)]
		benchAnswer = e.Answer(ctx, q)
		i++
	}
}

// BenchmarkLoad measures loading and indexing the knowledge and building the
// engine, what a process pays at start (issue 3 target: < 5 ms).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		kb, err := knowledge.Load()
		if err != nil {
			b.Fatalf("knowledge.Load: %v", err)
		}
		if _, err := bot.New(kb, bot.Options{}); err != nil {
			b.Fatalf("bot.New: %v", err)
		}
	}
}
