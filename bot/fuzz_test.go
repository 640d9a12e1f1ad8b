package bot_test

import (
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/planbot/planbot/bot"
)

// maxSeedBytes keeps fuzz seeds small enough for the mutator to work on; the
// full-size hostile inputs run in TestHostile.
const maxSeedBytes = 4096

// FuzzAnswer drives the whole answer path with arbitrary text and locale tags:
// no panic, a well-formed answer within the time bound, and the same answer for
// the same input and context (two fresh conversations, and two conversations
// that first asked the same question).
//
// Seeds are the dev set and the hostile table. Run it with
//
//	go test ./bot -run '^$' -fuzz FuzzAnswer -fuzztime 60s
//
// and commit any crasher it writes under testdata/fuzz/FuzzAnswer: plain
// `go test` then replays it as a regression test.
func FuzzAnswer(f *testing.F) {
	for _, q := range devQuestions(f) {
		f.Add(q.text, q.lang)
	}
	for _, c := range loadHostile(f) {
		in := c.input
		if len(in) > maxSeedBytes {
			in = in[:maxSeedBytes]
		}
		f.Add(in, c.Lang)
	}
	f.Add("", "")
	f.Add("who is ganzhou paired with", "zh-Hant-TW")
	f.Add("张家界和哪个城市结对", "en-US")

	e := newEngine(f)
	var n atomic.Int64
	conv := func(kind string) string { return fmt.Sprintf("fuzz-%s-%d", kind, n.Add(1)) }
	const opener = "Who is Zhangjiajie paired with?"

	f.Fuzz(func(t *testing.T, text, locale string) {
		ask := func(id string) bot.Answer {
			return answerWithin(t, e, bot.Question{Text: text, ConversationID: id, Locale: locale}, answerLimit)
		}
		a1, a2 := ask(conv("a")), ask(conv("b"))
		checkWellFormed(t, text, a1)
		if !reflect.DeepEqual(a1, a2) {
			t.Fatalf("Answer(%q) differs between two fresh conversations:\n%#v\n%#v", clip(text, 80), a1, a2)
		}

		withContext := func() bot.Answer {
			id := conv("c")
			answerWithin(t, e, bot.Question{Text: opener, ConversationID: id, Locale: locale}, answerLimit)
			return ask(id)
		}
		c1, c2 := withContext(), withContext()
		checkWellFormed(t, text, c1)
		if !reflect.DeepEqual(c1, c2) {
			t.Fatalf("Answer(%q) after %q differs between two conversations:\n%#v\n%#v", clip(text, 80), opener, c1, c2)
		}
	})
}
