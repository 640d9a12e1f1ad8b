package bot

import (
	"os"
	"strings"
	"testing"

	"github.com/planbot/planbot/knowledge"
)

func TestDbg(t *testing.T) {
	if os.Getenv("DEBUGQ") == "" {
		t.Skip()
	}
	kb, _ := knowledge.Load()
	e, _ := New(kb, Options{})
	for _, q := range strings.Split(os.Getenv("DEBUGQ"), "|") {
		qa := e.analyzer.analyze(q)
		var f featureSink
		e.scorer.features(qa, &f)
		var names []string
		for _, id := range f.ids {
			for w, i := range e.scorer.vocab {
				if i == id {
					names = append(names, w)
				}
			}
		}
		r := e.scorer.score(&f, nil)
		t.Logf("%q norm=%q ents=%v feats=%v unk=%d ranked=%v", q, qa.text, qa.entities, names, f.unknown, r[:min(4, len(r))])
	}
}
