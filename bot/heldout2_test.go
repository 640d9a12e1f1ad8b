package bot_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/bot"
)

// The second held-out set is a fresh measure of generalisation. Its 200
// questions were written from the fact sheet alone by someone who had seen
// neither the dev set, the first held-out set (whose failures the engine's
// author has seen, so it no longer measures generalisation cleanly) nor the
// engine's phrasing data. The floor is a floor, not a target: tuning the
// engine on this file's failures spends it, and a third set is then needed.
// A wrong pairing is never tolerated.
const (
	heldout2Path        = "testdata/heldout2.yaml"
	heldout2MinAccuracy = 0.80
	heldout2Turns       = 200
)

// heldout2SeenFiles are the files the engine's author has tuned on or seen the
// failures of; a question of the second held-out set found in one of them is
// no longer held out.
var heldout2SeenFiles = []string{devsetPath, heldoutPath, "data/intents.yaml", "testdata/hostile.yaml"}

// notKnownMarkers are what an honest "the plan does not say" answer contains.
// A question about something the plan does not state (a budget, a mayor, the
// weather) is answered well either by the fallback or by saying so; it is
// answered badly by any confident fact.
var notKnownMarkers = []string{
	"not state", "n't state", "not say", "n't say", "not mention", "n't mention",
	"not give", "n't give", "not known", "not know", "n't know", "no information",
	"not covered", "not specif", "not in the plan", "not part of the plan",
	"没有提到", "没有提及", "未提及", "没有说明", "未说明", "不知道", "未知", "没有公布",
	"未公布", "没有给出", "未给出", "不清楚", "没有相关", "无法回答", "没有涉及", "未涉及",
	"没有写", "未写明", "没有列出", "未列出",
}

// loadHeldout2 reads and validates the second held-out set.
func loadHeldout2(tb testing.TB) []devItem {
	tb.Helper()
	data, err := os.ReadFile(heldout2Path)
	if err != nil {
		tb.Fatalf("read second held-out set: %v", err)
	}
	items, err := parseHeldout(data, heldout2Turns)
	if err != nil {
		tb.Fatalf("%s: %v", heldout2Path, err)
	}
	return items
}

// saysNotKnown reports whether a is a fallback or an answer that says the
// plan does not state what was asked.
func saysNotKnown(a bot.Answer) bool {
	if a.Fallback {
		return true
	}
	body := claimBody(a)
	for _, m := range notKnownMarkers {
		if containsFact(body, m) {
			return true
		}
	}
	return false
}

// checkHeldout2Turn scores one answer like the first held-out set (checkTurn,
// with wanted facts in the answer itself, not only in a suggestion), except
// that "fallback: true" also accepts an honest "the plan does not say".
func checkHeldout2Turn(it *devItem, j int, a bot.Answer, allPairs string) turnResult {
	scored := a
	if tr := it.Turns[j]; tr.Fallback != nil && *tr.Fallback && saysNotKnown(a) {
		scored.Fallback = true
	}
	r := checkTurn(it, j, scored)
	r.got = a
	r.wrong = wrongBeyondList(r, allPairs)
	r.problems = append(r.problems, onlyInQuestions(it.Turns[j], a)...)
	return r
}

// TestHeldout2Valid checks the second held-out file and its scorer, so a
// broken label or a broken relaxation is reported as such rather than as an
// engine failure.
func TestHeldout2Valid(t *testing.T) {
	t.Run("size, balance and coverage", func(t *testing.T) {
		items := loadHeldout2(t)
		turns := map[string]int{}
		cats := map[string]int{}
		for _, it := range items {
			turns[it.Lang] += len(it.Turns)
			cats[it.Category] += len(it.Turns)
		}
		if n := turns["en"] + turns["zh"]; n != heldout2Turns {
			t.Errorf("second held-out set has %d questions; want %d", n, heldout2Turns)
		}
		if turns["en"] != turns["zh"] {
			t.Errorf("second held-out set has %d English and %d Chinese questions; want half each", turns["en"], turns["zh"])
		}
		for _, c := range devCategories {
			if cats[c] == 0 {
				t.Errorf("category %q has no question; every fact area needs one", c)
			}
		}
	})

	yes := true
	offtopic := &devItem{Category: "offtopic", Lang: "en", id: "test",
		Turns: []devTurn{{Q: "What is the budget?", Fallback: &yes, NotContains: []string{"Shenzhen"}}}}
	tests := []struct {
		name      string
		item      *devItem
		answer    bot.Answer
		wantOK    bool
		wantWrong bool
	}{
		{"fallback", offtopic,
			bot.Answer{Text: "Sorry, I can only answer questions about the plan.", Fallback: true, Lang: bot.English}, true, false},
		{"honest not known", offtopic,
			bot.Answer{Text: "The plan does not state a budget.", Lang: bot.English}, true, false},
		{"honest not known in Chinese", &devItem{Category: "offtopic", Lang: "zh", id: "test",
			Turns: []devTurn{{Q: "预算多少", Fallback: &yes}}},
			bot.Answer{Text: "方案没有提到预算。", Lang: bot.Chinese}, true, false},
		{"confident answer", offtopic,
			bot.Answer{Text: "The plan was issued in May 2022.", Lang: bot.English}, false, false},
		{"not known in a suggestion only", offtopic,
			bot.Answer{Text: "The plan runs to 2030.\nWhat does the plan not state?", Lang: bot.English,
				Suggestions: []bot.Suggestion{{Text: "What does the plan not state?", Key: "k"}}}, false, false},
		{"fact only in a suggestion", &devItem{Category: "partner", Lang: "en", id: "test",
			Turns: []devTurn{{Q: "Lu'an?", Contains: []string{"Shanghai"}}}},
			bot.Answer{Text: "Did you mean:\nWhich key cities is Shanghai paired with?", Fallback: true, Lang: bot.English,
				Suggestions: []bot.Suggestion{{Text: "Which key cities is Shanghai paired with?", Key: "k"}}}, false, false},
		{"wrong pairing", &devItem{Category: "partner", Lang: "en", id: "test",
			Turns: []devTurn{{Q: "Ganzhou?", Contains: []string{"Shenzhen"}, NotContains: []string{"Guangzhou"}}}},
			bot.Answer{Text: "Ganzhou is paired with Guangzhou and Shenzhen.", Lang: bot.English}, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := checkHeldout2Turn(tc.item, 0, tc.answer, "")
			if ok := len(r.problems) == 0; ok != tc.wantOK {
				t.Errorf("checkHeldout2Turn(%q) ok = %v (%v); want %v", tc.answer.Text, ok, r.problems, tc.wantOK)
			}
			if wrong := len(r.wrong) > 0; wrong != tc.wantWrong {
				t.Errorf("checkHeldout2Turn(%q) wrong pairing = %v; want %v", tc.answer.Text, wrong, tc.wantWrong)
			}
		})
	}
}

// seenTexts returns what a file holds that a question could have been copied
// from, squashed: every YAML scalar when the file parses as YAML (so a
// question inside a flow mapping is found too), and every line.
func seenTexts(data []byte) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			if s := squash(n.Value); s != "" {
				out = append(out, s)
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil {
		walk(&root)
	}
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(l, "- ")
		l = strings.TrimPrefix(l, "q:")
		if s := squash(l); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// TestHeldout2IsHeldOut fails when a question of the second held-out set
// appears in a file the engine's author has tuned on or seen the failures of.
// The files are read here, by the test, so that the set's author never had to.
// A short question must equal a whole text to count; a longer one counts
// anywhere inside one. Greetings and thanks are exempt.
func TestHeldout2IsHeldOut(t *testing.T) {
	const longRunes = 16
	items := loadHeldout2(t)
	for _, path := range heldout2SeenFiles {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			texts := seenTexts(data)
			whole := map[string]bool{}
			for _, s := range texts {
				whole[s] = true
			}
			for _, it := range items {
				if it.Category == "smalltalk" {
					continue
				}
				for _, tr := range it.Turns {
					q := squash(tr.Q)
					found := whole[q]
					if !found && len([]rune(q)) >= longRunes {
						found = slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, q) })
					}
					if found {
						t.Errorf("second held-out question %q (%s) appears in %s; rephrase it", tr.Q, it.id, path)
					}
				}
			}
		})
	}
}

// TestHeldout2 asks every conversation of the second held-out set of the real
// engine and scores the answers: overall accuracy at least
// heldout2MinAccuracy, and no wrong pairing at all. The per-category table and
// every failure are logged (go test ./bot -run Heldout2 -v).
func TestHeldout2(t *testing.T) {
	items := loadHeldout2(t)
	e := newEngine(t)
	ctx := t.Context()

	allPairs := map[string]string{}
	for _, lang := range []string{"en", "zh"} {
		allPairs[lang] = claimBody(e.Command(ctx, bot.CommandPairs, bot.Question{Locale: lang}))
		if !containsFact(allPairs[lang], "Ganzhou|赣州") {
			t.Fatalf("the %s list of pairs does not name Ganzhou: %q", lang, allPairs[lang])
		}
	}

	var results []turnResult
	for i := range items {
		it := &items[i]
		conv := fmt.Sprintf("heldout2-%04d", i)
		for j, tr := range it.Turns {
			a := e.Answer(ctx, bot.Question{Text: tr.Q, ConversationID: conv, Locale: it.Lang})
			results = append(results, checkHeldout2Turn(it, j, a, allPairs[it.Lang]))
		}
	}

	t.Log("\n" + devsetReport(results))

	passed, wrong := 0, 0
	for _, r := range results {
		if len(r.problems) == 0 {
			passed++
		}
		if len(r.wrong) > 0 {
			wrong++
		}
	}
	acc := float64(passed) / float64(len(results))
	t.Logf("second held-out accuracy %.1f%% (%d/%d)", 100*acc, passed, len(results))
	if acc < heldout2MinAccuracy {
		t.Errorf("second held-out accuracy %.1f%% (%d/%d); want at least %.0f%%", 100*acc, passed, len(results), 100*heldout2MinAccuracy)
	}
	if wrong > 0 {
		t.Errorf("%d answers named a wrong pairing (see WRONG PAIRINGS above); want none", wrong)
	}
}
