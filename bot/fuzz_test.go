package bot_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

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

// FuzzSuggested drives Engine.Suggested with arbitrary keys: suggestion keys
// come back from the platform as callback data or custom ids, which a client
// can forge. A key is either rejected or turned into a well-formed question
// whose answer is well-formed too. Seeds are the keys the engine itself hands
// out on the dev set.
func FuzzSuggested(f *testing.F) {
	e := newEngine(f)
	for i, q := range devQuestions(f) {
		a := e.Answer(context.Background(), bot.Question{Text: q.text, ConversationID: fmt.Sprintf("seed-%d", i), Locale: q.lang})
		for _, s := range a.Suggestions {
			f.Add(s.Key, q.lang)
		}
	}
	f.Add("", "en")
	f.Add(strings.Repeat("k", 4096), "zh")
	f.Add("\xff\x00", "")

	f.Fuzz(func(t *testing.T, key, locale string) {
		text, ok := e.Suggested(key, bot.LocaleOf(locale))
		if !ok {
			return
		}
		if strings.TrimSpace(text) == "" || !utf8.ValidString(text) || len(text) > maxAnswerBytes {
			t.Fatalf("Suggested(%q) = %q; want a non-empty, valid, bounded question", clip(key, 80), clip(text, 120))
		}
		if r, bad := badRune(text); bad {
			t.Fatalf("Suggested(%q) = %q contains %U", clip(key, 80), clip(text, 120), r)
		}
		a := answerWithin(t, e, bot.Question{Text: text, ConversationID: "fuzz-suggested", Locale: locale}, answerLimit)
		checkWellFormed(t, text, a)
	})
}

// FuzzCommand drives Engine.Command with arbitrary command words, texts and
// locale tags, as an adapter passes them on: every command gets a well-formed
// answer, and an unknown one does not panic.
func FuzzCommand(f *testing.F) {
	for _, c := range []bot.Command{bot.CommandStart, bot.CommandHelp, bot.CommandAsk, bot.CommandPairs, bot.CommandTasks, bot.CommandAbout} {
		f.Add(string(c), "", "en")
		f.Add(string(c), "张家界和哪个城市结对？", "zh-CN")
		f.Add(string(c), "who is ganzhou paired with@planbot_bot", "")
	}
	f.Add("unknown", "hi", "en")
	f.Add("", "", "")

	e := newEngine(f)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, cmd, text, locale string) {
		q := bot.Question{Text: text, ConversationID: fmt.Sprintf("fuzz-cmd-%d", n.Add(1)), Locale: locale}
		ctx, cancel := context.WithTimeout(context.Background(), answerLimit)
		defer cancel()
		done := make(chan bot.Answer, 1)
		go func() { done <- e.Command(ctx, bot.Command(cmd), q) }()
		select {
		case a := <-done:
			checkWellFormed(t, text, a)
		case <-ctx.Done():
			t.Fatalf("Command(%q, %q) did not return within %v", clip(cmd, 40), clip(text, 80), answerLimit)
		}
	})
}
