package knowledge_test

import (
	"testing"

	"github.com/planbot/planbot/knowledge"
)

// BenchmarkLoad measures decoding, validating and indexing the embedded
// facts: what every process pays once at start.
//
//	go test ./knowledge -run '^$' -bench Load -benchmem -cpu 1
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := knowledge.Load(); err != nil {
			b.Fatalf("knowledge.Load: %v", err)
		}
	}
}
