package bot_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// evalSet is one labelled set of conversations the real engine is scored on,
// like an NLU evaluation: a few misses are tolerated (minAccuracy), a wrong
// pairing never is.
type evalSet struct {
	name        string
	path        string
	minAccuracy float64
	// size is the number of questions: at least this many in the dev set,
	// which grows; exactly this many, half in each language, in a held-out
	// set, which is frozen.
	size int
	// heldOutOf are the files the engine's author has tuned on or seen the
	// failures of. A set with any is held out: a question of it found in one
	// of them measures recall, not generalisation.
	heldOutOf []string
}

func (s evalSet) heldOut() bool { return len(s.heldOutOf) > 0 }

// evalSets are the sets, each run by its own test (go test ./bot -run
// 'Devset|Heldout' -v logs the per-category tables).
var evalSets = map[string]evalSet{
	// The public dev set is what the engine is tuned on, so its bar is high.
	"devset": {name: "devset", path: devsetPath, minAccuracy: 0.97, size: 320},
	// The held-out set was written without seeing the dev set or the engine's
	// phrasing data. Its floor is a generalisation measure, not a tuning
	// target: fix the general weaknesses its failures reveal, not its questions.
	"heldout": {name: "heldout", path: "testdata/heldout.yaml", minAccuracy: 0.85, size: 240,
		heldOutOf: []string{devsetPath, "data/intents.yaml"}},
	// The second held-out set was written from the fact sheet alone by someone
	// who had seen neither the other sets (the engine's author has seen the
	// first one's failures, so it no longer measures generalisation cleanly)
	// nor the phrasing data. Tuning on its failures spends it, and a third set
	// is then needed.
	"heldout2": {name: "heldout2", path: "testdata/heldout2.yaml", minAccuracy: 0.80, size: 200,
		heldOutOf: []string{devsetPath, "testdata/heldout.yaml", "data/intents.yaml", "testdata/hostile.yaml"}},
	// The third held-out set was written from the fact sheet alone by someone
	// who had seen none of the other sets nor the phrasing data, after the
	// engine's author had seen the failures of the first two.
	"heldout3": {name: "heldout3", path: "testdata/heldout3.yaml", minAccuracy: 0.80, size: 160,
		heldOutOf: []string{devsetPath, "testdata/heldout.yaml", "testdata/heldout2.yaml", "data/intents.yaml", "testdata/hostile.yaml"}},
}

const devsetPath = "testdata/devset.yaml"

// TestDevset, TestHeldout, TestHeldout2 and TestHeldout3 each score one set;
// -run Devset or -run Heldout picks them.
func TestDevset(t *testing.T)   { evalSets["devset"].test(t) }
func TestHeldout(t *testing.T)  { evalSets["heldout"].test(t) }
func TestHeldout2(t *testing.T) { evalSets["heldout2"].test(t) }
func TestHeldout3(t *testing.T) { evalSets["heldout3"].test(t) }

// test loads and validates the set (a broken label stops the test as such,
// not as an engine failure), checks it is held out, then asks every
// conversation of the real engine, each in a fresh conversation id, and
// scores the answers as a whole: it deliberately does not fail per question.
func (s evalSet) test(t *testing.T) {
	items := s.load(t)
	for _, path := range s.heldOutOf {
		t.Run("held out of "+path, func(t *testing.T) { s.checkHeldOut(t, items, path) })
	}
	e := newEngine(t)
	ctx := t.Context()

	// The plan's full list of pairs, as the engine words it in each language.
	allPairs := map[string]string{}
	for _, lang := range []string{"en", "zh"} {
		allPairs[lang] = claimBody(e.Command(ctx, bot.CommandPairs, bot.Question{Locale: lang}))
		if !containsFact(allPairs[lang], "Ganzhou|赣州") {
			t.Fatalf("the %s list of pairs does not name Ganzhou: %q", lang, allPairs[lang])
		}
	}

	var results []turnResult
	passed, wrong := 0, 0
	for i := range items {
		it := &items[i]
		conv := fmt.Sprintf("%s-%04d", s.name, i)
		for j, tr := range it.Turns {
			a := e.Answer(ctx, bot.Question{Text: tr.Q, ConversationID: conv, Locale: it.Lang})
			r := checkTurn(it, j, a, allPairs[it.Lang])
			results = append(results, r)
			if len(r.problems) == 0 {
				passed++
			}
			if len(r.wrong) > 0 {
				wrong++
			}
		}
	}
	t.Log("\n" + report(results))

	acc := float64(passed) / float64(len(results))
	if acc < s.minAccuracy {
		t.Errorf("%s accuracy %.1f%% (%d/%d); want at least %.0f%%", s.name, 100*acc, passed, len(results), 100*s.minAccuracy)
	}
	if wrong > 0 {
		t.Errorf("%d answers named a wrong pairing (see WRONG PAIRINGS above); want none", wrong)
	}
}

// evalItem is one conversation of a set; the file format is described at the
// top of testdata/devset.yaml.
type evalItem struct {
	Category string     `yaml:"category"`
	Lang     string     `yaml:"lang"`
	Turns    []evalTurn `yaml:"turns"`

	id string // category/lang/Lline, set by parseSet
}

// evalTurn is one question of a conversation and what its answer must satisfy.
type evalTurn struct {
	Q           string   `yaml:"q"`
	Contains    []string `yaml:"contains"`
	NotContains []string `yaml:"not_contains"`
	Fallback    *bool    `yaml:"fallback"`
	Intent      string   `yaml:"intent"`
}

// categories are the categories a set may use, in report order; every set
// has a question in each.
var categories = []string{
	"partner", "reverse", "pair_check", "not_in_plan", "region", "count", "list",
	"document", "background", "dates", "period", "tasks", "task_detail", "mechanisms",
	"aims", "sources", "unknown", "smalltalk", "followup", "typo", "offtopic",
}

// pairingCategories are those where a not_contains hit means the engine named a
// wrong pairing (or invented one): a hard failure whatever the accuracy.
var pairingCategories = map[string]bool{
	"partner": true, "reverse": true, "pair_check": true, "followup": true, "typo": true,
	"not_in_plan": true, "offtopic": true, "unknown": true,
}

// knownIntents are the intents a turn may name; using the constants ties the
// sets to bot/intent.go at compile time.
var knownIntents = map[bot.Intent]bool{
	bot.IntentFallback: true, bot.IntentPartnerOf: true, bot.IntentKeyCitiesOf: true,
	bot.IntentPairCheck: true, bot.IntentNotInPlan: true, bot.IntentListPairs: true,
	bot.IntentUnknownPair: true, bot.IntentPairsInRegion: true, bot.IntentSameProvince: true,
	bot.IntentMultiPartners: true, bot.IntentRegionOf: true, bot.IntentCount: true,
	bot.IntentIssuer: true, bot.IntentDocNumber: true, bot.IntentTitle: true,
	bot.IntentIssueDate: true, bot.IntentPublishDate: true, bot.IntentPeriod: true,
	bot.IntentTasks: true, bot.IntentTaskDetail: true, bot.IntentExchanges: true,
	bot.IntentFinance: true, bot.IntentDepartmentSupport: true, bot.IntentOtherCities: true,
	bot.IntentAims: true, bot.IntentSources: true, bot.IntentSelection: true,
	bot.IntentPolicyBasis: true, bot.IntentImplementation: true, bot.IntentEvaluation: true,
	bot.IntentMechanisms: true, bot.IntentOverview: true, bot.IntentGreeting: true,
	bot.IntentHelp: true, bot.IntentThanks: true,
}

// load reads and validates the set; a malformed set stops the test.
func (s evalSet) load(tb testing.TB) []evalItem {
	tb.Helper()
	data, err := os.ReadFile(s.path)
	if err != nil {
		tb.Fatalf("read %s set: %v", s.name, err)
	}
	items, err := parseSet(data)
	if err == nil {
		if p := s.shape(items); len(p) > 0 {
			err = errors.New(strings.Join(p, "\n"))
		}
	}
	if err != nil {
		tb.Fatalf("%s: %v", s.path, err)
	}
	return items
}

// parseSet decodes a set strictly (unknown keys are errors) and checks every
// item, returning all problems at once.
func parseSet(data []byte) ([]evalItem, error) {
	var items []evalItem
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	// A second pass over the node tree only to name items by their line.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if len(root.Content) != 1 || len(root.Content[0].Content) != len(items) {
		return nil, errors.New("want a list of items at the top level")
	}

	var problems []string
	seen := map[string]int{} // lang + the conversation's questions -> line
	for i := range items {
		it := &items[i]
		line := root.Content[0].Content[i].Line
		it.id = fmt.Sprintf("%s/%s/L%d", it.Category, it.Lang, line)
		for _, p := range validateItem(*it) {
			problems = append(problems, fmt.Sprintf("line %d (%s): %s", line, it.Category, p))
		}
		// A conversation asked twice measures nothing new; an opener may
		// recur with different follow-ups.
		key := it.Lang
		for _, tr := range it.Turns {
			key += "\x00" + fold(strings.TrimSpace(tr.Q))
		}
		if prev, dup := seen[key]; dup {
			problems = append(problems, fmt.Sprintf("line %d: conversation repeats line %d", line, prev))
		}
		seen[key] = line
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return items, nil
}

// shape lists what is wrong with the set as a whole: its size, its balance of
// languages, and a category without a question.
func (s evalSet) shape(items []evalItem) []string {
	var problems []string
	turns, cats := map[string]int{}, map[string]int{}
	total := 0
	for _, it := range items {
		turns[it.Lang] += len(it.Turns)
		cats[it.Category] += len(it.Turns)
		total += len(it.Turns)
	}
	switch {
	case s.heldOut() && total != s.size:
		problems = append(problems, fmt.Sprintf("%d questions; want %d", total, s.size))
	case !s.heldOut() && total < s.size:
		problems = append(problems, fmt.Sprintf("%d questions; want at least %d", total, s.size))
	}
	for _, lang := range []string{"en", "zh"} {
		share := float64(turns[lang]) / float64(max(total, 1))
		if (s.heldOut() && 2*turns[lang] != total) || share < 0.4 || share > 0.6 {
			problems = append(problems, fmt.Sprintf("%s has %d of the %d questions; want half", lang, turns[lang], total))
		}
	}
	for _, c := range categories {
		if cats[c] == 0 {
			problems = append(problems, fmt.Sprintf("category %q has no question; every fact area needs one", c))
		}
	}
	return problems
}

// validateItem lists what is wrong with one item.
func validateItem(it evalItem) []string {
	var p []string
	if !slices.Contains(categories, it.Category) {
		p = append(p, fmt.Sprintf("unknown category %q", it.Category))
	}
	if it.Lang != "en" && it.Lang != "zh" {
		p = append(p, fmt.Sprintf("lang %q: want en or zh", it.Lang))
	}
	if len(it.Turns) == 0 || len(it.Turns) > 4 {
		p = append(p, fmt.Sprintf("%d turns: want 1 to 4", len(it.Turns)))
	}
	if it.Category == "followup" && len(it.Turns) < 2 {
		p = append(p, "a followup needs at least two turns")
	}
	for i, tr := range it.Turns {
		where := fmt.Sprintf("turn %d", i+1)
		if strings.TrimSpace(tr.Q) == "" {
			p = append(p, where+": empty q")
			continue
		}
		where = fmt.Sprintf("turn %d %q", i+1, tr.Q)
		if len(tr.Contains) == 0 && len(tr.NotContains) == 0 && tr.Fallback == nil && tr.Intent == "" {
			p = append(p, where+": no expectation (contains, not_contains, fallback or intent)")
		}
		if han := strings.ContainsFunc(tr.Q, func(r rune) bool { return unicode.Is(unicode.Han, r) }); han && it.Lang == "en" {
			p = append(p, where+": Chinese characters in an en question")
		} else if !han && it.Lang == "zh" {
			p = append(p, where+": no Chinese characters in a zh question")
		}
		if tr.Intent != "" && !knownIntents[bot.Intent(tr.Intent)] {
			p = append(p, fmt.Sprintf("%s: unknown intent %q", where, tr.Intent))
		}
		if tr.Fallback != nil && *tr.Fallback && tr.Intent != "" && tr.Intent != string(bot.IntentFallback) {
			p = append(p, fmt.Sprintf("%s: fallback with intent %q", where, tr.Intent))
		}
		for _, s := range append(slices.Clone(tr.Contains), tr.NotContains...) {
			for _, alt := range strings.Split(s, "|") {
				if strings.TrimSpace(alt) == "" || alt != strings.TrimSpace(alt) {
					p = append(p, fmt.Sprintf("%s: bad fact %q", where, s))
				}
			}
		}
		for _, c := range tr.Contains {
			for _, alt := range strings.Split(c, "|") {
				for _, nc := range tr.NotContains {
					if strings.Contains(fold(alt), fold(nc)) {
						p = append(p, fmt.Sprintf("%s: %q both wanted and forbidden (%q)", where, c, nc))
					}
				}
			}
		}
		switch it.Category {
		case "not_in_plan":
			if i == 0 && tr.Intent != string(bot.IntentNotInPlan) {
				p = append(p, where+": a not_in_plan question needs intent: not_in_plan")
			}
		case "offtopic":
			if tr.Fallback == nil || !*tr.Fallback {
				p = append(p, where+": an offtopic question needs fallback: true")
			}
		case "unknown":
			if len(tr.Contains) > 0 || len(tr.NotContains) == 0 {
				p = append(p, where+": an unknown question asserts only not_contains (no made-up city)")
			}
		}
	}
	return p
}

// fold makes matching insensitive to case and to typographic variants the
// engine may legitimately use (’ for ', – for -, no-break spaces).
var folder = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u02bc", "'",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-",
	"\u00a0", " ", "\u202f", " ", "\u2009", " ",
)

func fold(s string) string { return strings.ToLower(folder.Replace(s)) }

// containsFact reports whether text holds fact, where "a|b" means either.
func containsFact(text, fact string) bool {
	text = fold(text)
	for _, alt := range strings.Split(fact, "|") {
		if strings.Contains(text, fold(alt)) {
			return true
		}
	}
	return false
}

// answerItself is what an answer says: its text without the suggestion
// buttons' questions and without any line that is itself a question ("Did
// you mean: Which key cities is Shanghai paired with?" answers nothing). The
// source line stays: it answers "where is this from?".
func answerItself(a bot.Answer) string { return withoutQuestions(a.Text, a) }

// claimBody is the part of an answer that states facts: answerItself without
// the source line, whose names are no claim either.
func claimBody(a bot.Answer) string {
	body := a.Text
	if a.Source != "" {
		body = strings.Replace(body, a.Source, "", 1)
	}
	return withoutQuestions(body, a)
}

func withoutQuestions(body string, a bot.Answer) string {
	for _, s := range a.Suggestions {
		if s.Text != "" {
			body = strings.ReplaceAll(body, s.Text, "")
		}
	}
	var kept []string
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasSuffix(l, "?") && !strings.HasSuffix(l, "？") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// turnResult is the verdict on one question.
type turnResult struct {
	item     *evalItem
	turn     int
	problems []string
	wrong    []string // forbidden facts found in a pairing category
	got      bot.Answer
}

// checkTurn scores one answer against its turn's expectations, the same way
// for every set. A wanted fact counts only in the answer itself. A forbidden
// fact in a pairing category is a wrong pairing unless it only occurs inside
// allPairs, the verbatim list of all the plan's pairs: answering "who is
// Shenzhen paired with?" with the whole list is a wrong answer, not a wrong
// pairing.
func checkTurn(it *evalItem, i int, a bot.Answer, allPairs string) turnResult {
	tr := it.Turns[i]
	r := turnResult{item: it, turn: i, got: a}
	said := answerItself(a)
	for _, c := range tr.Contains {
		switch {
		case containsFact(said, c):
		case containsFact(a.Text, c):
			r.problems = append(r.problems, fmt.Sprintf("%q only in a suggestion or question", c))
		default:
			r.problems = append(r.problems, fmt.Sprintf("missing %q", c))
		}
	}
	body := claimBody(a)
	beyondList := body
	if allPairs != "" {
		beyondList = strings.Replace(body, allPairs, "", 1)
	}
	for _, nc := range tr.NotContains {
		if containsFact(body, nc) {
			r.problems = append(r.problems, fmt.Sprintf("forbidden %q", nc))
			if pairingCategories[it.Category] && containsFact(beyondList, nc) {
				r.wrong = append(r.wrong, nc)
			}
		}
	}
	if tr.Fallback != nil && a.Fallback != *tr.Fallback {
		r.problems = append(r.problems, fmt.Sprintf("fallback = %v; want %v", a.Fallback, *tr.Fallback))
	}
	if tr.Intent != "" && a.Why.Intent != bot.Intent(tr.Intent) {
		r.problems = append(r.problems, fmt.Sprintf("intent = %q; want %q", a.Why.Intent, tr.Intent))
	}
	if string(a.Lang) != it.Lang {
		r.problems = append(r.problems, fmt.Sprintf("answered in %q; want %q", a.Lang, it.Lang))
	}
	return r
}

// report renders the per-category table, the wrong pairings and the failures.
func report(results []turnResult) string {
	type tally struct{ n, ok int }
	rows := map[string]map[string]*tally{} // category or TOTAL -> en, zh, all
	for _, r := range results {
		for _, c := range []string{r.item.Category, "TOTAL"} {
			if rows[c] == nil {
				rows[c] = map[string]*tally{"en": {}, "zh": {}, "all": {}}
			}
			for _, k := range []string{r.item.Lang, "all"} {
				rows[c][k].n++
				if len(r.problems) == 0 {
					rows[c][k].ok++
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %9s %7s %9s %9s %9s\n", "category", "questions", "passed", "accuracy", "en", "zh")
	for _, c := range append(slices.Clone(categories), "TOTAL") {
		if m := rows[c]; m != nil {
			fmt.Fprintf(&b, "%-12s %9d %7d %8.1f%% %9s %9s\n", c, m["all"].n, m["all"].ok, 100*float64(m["all"].ok)/float64(m["all"].n),
				fmt.Sprintf("%d/%d", m["en"].ok, m["en"].n), fmt.Sprintf("%d/%d", m["zh"].ok, m["zh"].n))
		}
	}

	var failed, wrong []turnResult
	for _, r := range results {
		if len(r.wrong) > 0 {
			wrong = append(wrong, r)
		}
		if len(r.problems) > 0 {
			failed = append(failed, r)
		}
	}
	sort.SliceStable(failed, func(i, j int) bool {
		return slices.Index(categories, failed[i].item.Category) < slices.Index(categories, failed[j].item.Category)
	})
	list := func(title string, rs []turnResult) {
		if len(rs) > 0 {
			fmt.Fprintf(&b, "\n%s (%d):\n", title, len(rs))
		}
		for _, r := range rs {
			tr := r.item.Turns[r.turn]
			var want []string
			if len(tr.Contains) > 0 {
				want = append(want, "contains "+strings.Join(tr.Contains, ", "))
			}
			if len(tr.NotContains) > 0 {
				want = append(want, "not "+strings.Join(tr.NotContains, ", "))
			}
			if tr.Fallback != nil {
				want = append(want, fmt.Sprintf("fallback %v", *tr.Fallback))
			}
			if tr.Intent != "" {
				want = append(want, "intent "+tr.Intent)
			}
			fmt.Fprintf(&b, "  %s turn %d: %q\n    problems: %s\n    want: %s\n    got (%s, conf %.2f): %q\n",
				r.item.id, r.turn+1, tr.Q, strings.Join(r.problems, "; "), strings.Join(want, " | "),
				r.got.Why.Intent, r.got.Why.Confidence, clip(r.got.Text, 300))
		}
	}
	list("WRONG PAIRINGS", wrong)
	list("FAILURES", failed)
	return b.String()
}

// clip shortens s to about n bytes for a report, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// squash keeps only letters and digits, folded, so that punctuation, spacing
// and case do not hide a copied question.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, fold(s))
}

// knownCopies are held-out questions (set name + "\x00" + question) allowed
// to stand in a file they should be held out of; none are now. A copy listed
// here that is no longer found fails the check, so the list cannot go stale.
var knownCopies = map[string]string{}

// checkHeldOut fails when a question of the set appears in the file at path.
// The file is read here, by the test, so that a set's author never had to.
// What a question could have been copied from is every YAML scalar when the
// file parses as YAML (a question inside a flow mapping too) and every line. A
// short question must equal a whole text to count; a longer one counts
// anywhere inside one. Greetings and thanks are exempt: they are few enough
// that the same words are expected.
func (s evalSet) checkHeldOut(t *testing.T, items []evalItem, path string) {
	const longRunes = 16
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var texts []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && squash(n.Value) != "" {
			texts = append(texts, squash(n.Value))
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
		l = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(l), "- "), "q:")
		if s := squash(l); s != "" {
			texts = append(texts, s)
		}
	}
	for _, it := range items {
		if it.Category == "smalltalk" {
			continue
		}
		for _, tr := range it.Turns {
			q := squash(tr.Q)
			found := slices.ContainsFunc(texts, func(s string) bool {
				return s == q || utf8.RuneCountInString(q) >= longRunes && strings.Contains(s, q)
			})
			switch known := knownCopies[s.name+"\x00"+tr.Q] == path; {
			case found && !known:
				t.Errorf("held-out question %q (%s) appears in %s; rephrase it", tr.Q, it.id, path)
			case !found && known:
				t.Errorf("held-out question %q (%s) is no longer in %s; remove it from knownCopies", tr.Q, it.id, path)
			}
		}
	}
}

// newEngine builds the engine the way every adapter does.
func newEngine(tb testing.TB) *bot.Engine {
	tb.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		tb.Fatalf("knowledge.Load: %v", err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	return e
}

// devQuestion is one dev-set question with its language, for the benchmark and fuzz seeds.
type devQuestion struct{ text, lang string }

// devQuestions flattens the dev set into its questions, in file order.
func devQuestions(tb testing.TB) []devQuestion {
	tb.Helper()
	var qs []devQuestion
	for _, it := range evalSets["devset"].load(tb) {
		for _, tr := range it.Turns {
			qs = append(qs, devQuestion{tr.Q, it.Lang})
		}
	}
	return qs
}

// TestEvalFormat checks the parser and the shape rules, so that a broken
// label is reported as such rather than as an engine failure.
func TestEvalFormat(t *testing.T) {
	const one = "- {category: partner, lang: en, turns: [{q: who is Ganzhou paired with, contains: [Shenzhen]}]}\n"
	parseTests := []struct {
		name    string
		yaml    string
		wantErr string // "" means valid
	}{
		{"valid", one + "- {category: partner, lang: en, turns: [{q: who is Ganzhou paired with, contains: [Shenzhen]}, {q: and Ji'an, contains: [Dongguan]}]}", ""},
		{"unknown item key", "- {category: partner, lang: en, note: x, turns: [{q: hi, intent: greeting}]}", "field note not found"},
		{"unknown turn key", "- {category: partner, lang: en, turns: [{q: hi, contain: [x]}]}", "field contain not found"},
		{"no expectation", "- {category: partner, lang: en, turns: [{q: hi}]}", "no expectation"},
		{"empty question", "- {category: partner, lang: en, turns: [{q: ' ', contains: [x]}]}", "empty q"},
		{"unknown category", "- {category: chat, lang: en, turns: [{q: hi, intent: greeting}]}", "unknown category"},
		{"unknown intent", "- {category: partner, lang: en, turns: [{q: hi, intent: partner}]}", "unknown intent"},
		{"bad lang", "- {category: partner, lang: fr, turns: [{q: hi, intent: greeting}]}", "want en or zh"},
		{"chinese in en", "- {category: partner, lang: en, turns: [{q: 张家界, contains: [x]}]}", "Chinese characters in an en"},
		{"no chinese in zh", "- {category: partner, lang: zh, turns: [{q: Zhangjiajie, contains: [x]}]}", "no Chinese characters"},
		{"contradiction", "- {category: partner, lang: en, turns: [{q: a, contains: [Nanjing], not_contains: [nanjing]}]}", "both wanted and forbidden"},
		{"empty alternative", "- {category: partner, lang: en, turns: [{q: a, contains: ['a|']}]}", "bad fact"},
		{"offtopic without fallback", "- {category: offtopic, lang: en, turns: [{q: a, not_contains: [x]}]}", "needs fallback: true"},
		{"repeated conversation", one + "- {category: partner, lang: en, turns: [{q: Who is Ganzhou paired with, contains: [Shenzhen]}]}", "repeats line 1"},
		{"two documents", one + "---\n" + one, "more than one YAML document"},
	}
	for _, tc := range parseTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSet([]byte(tc.yaml))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("parseSet(%q) = %v; want no error", tc.yaml, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("parseSet(%q) = %v; want error containing %q", tc.yaml, err, tc.wantErr)
			}
		})
	}

	// One single-turn item per category and language: 2*len(categories) questions.
	var both []evalItem
	for _, c := range categories {
		for _, lang := range []string{"en", "zh"} {
			both = append(both, evalItem{Category: c, Lang: lang, Turns: []evalTurn{{Q: "q"}}})
		}
	}
	n := len(both)
	dev := evalSet{name: "dev", size: n}
	held := evalSet{name: "held", size: n, heldOutOf: []string{"x"}}
	extra := evalItem{Category: "partner", Lang: "en", Turns: []evalTurn{{Q: "q"}, {Q: "q"}}}
	shapeTests := []struct {
		name    string
		set     evalSet
		items   []evalItem
		wantErr string // "" means valid
	}{
		{"dev set", dev, both, ""},
		{"dev set grows", dev, append(slices.Clone(both), extra), ""},
		{"dev set too small", evalSet{size: n + 1}, both, fmt.Sprintf("want at least %d", n+1)},
		{"held-out set is frozen", held, append(slices.Clone(both), extra, extra), fmt.Sprintf("want %d", n)},
		{"held-out set is half and half", evalSet{size: n + 2, heldOutOf: held.heldOutOf}, append(slices.Clone(both), extra), "want half"},
		{"dev set is about half", evalSet{size: n}, append(slices.Clone(both), extra, extra, extra, extra, extra, extra, extra, extra), "want half"},
		{"every category", dev, both[2:], `category "partner" has no question`},
	}
	for _, tc := range shapeTests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(tc.set.shape(tc.items), "\n")
			if (tc.wantErr == "") != (got == "") || !strings.Contains(got, tc.wantErr) {
				t.Errorf("shape() = %q; want %q", got, tc.wantErr)
			}
		})
	}
}

// TestEvalScoring proves the scorer itself: a set is only as good as the
// function that marks it.
func TestEvalScoring(t *testing.T) {
	yes, no := true, false
	item := func(cat string, tr evalTurn) *evalItem {
		return &evalItem{Category: cat, Lang: "en", Turns: []evalTurn{tr}, id: "test"}
	}
	const pairs = "Ganzhou – Shenzhen\nJi'an – Dongguan"
	tests := []struct {
		name      string
		item      *evalItem
		answer    bot.Answer
		wantOK    bool
		wantWrong bool
	}{
		{"fact present, any case", item("partner", evalTurn{Q: "q", Contains: []string{"shenzhen"}}),
			bot.Answer{Text: "Ganzhou is paired with Shenzhen.", Lang: bot.English}, true, false},
		{"fact missing", item("partner", evalTurn{Q: "q", Contains: []string{"Shenzhen"}}),
			bot.Answer{Text: "Ganzhou is paired with Guangzhou.", Lang: bot.English}, false, false},
		{"alternative", item("period", evalTurn{Q: "q", Contains: []string{"eight|8"}}),
			bot.Answer{Text: "8 years", Lang: bot.English}, true, false},
		{"typographic apostrophe", item("reverse", evalTurn{Q: "q", Contains: []string{"Ji'an"}}),
			bot.Answer{Text: "Dongguan is paired with Ji\u2019an.", Lang: bot.English}, true, false},
		{"source line holds a wanted fact", item("sources", evalTurn{Q: "q", Contains: []string{"Rednet"}}),
			bot.Answer{Text: "Zhangjiajie is paired with Nanjing.\nSource: Rednet", Source: "Source: Rednet", Lang: bot.English}, true, false},
		{"fact only in a suggestion", item("partner", evalTurn{Q: "Lu'an?", Contains: []string{"Shanghai"}}),
			bot.Answer{Text: "Did you mean:\nWhich key cities is Shanghai paired with", Fallback: true, Lang: bot.English,
				Suggestions: []bot.Suggestion{{Text: "Which key cities is Shanghai paired with", Key: "k"}}}, false, false},
		{"fact only in a question", item("pair_check", evalTurn{Q: "q", Contains: []string{"Shanghai"}}),
			bot.Answer{Text: "Did you mean:\n- Which key cities is Shanghai paired with?", Lang: bot.English}, false, false},
		{"wrong pairing is hard", item("partner", evalTurn{Q: "q", Contains: []string{"Shenzhen"}, NotContains: []string{"Guangzhou"}}),
			bot.Answer{Text: "Ganzhou is paired with Guangzhou and Shenzhen.", Lang: bot.English}, false, true},
		{"forbidden outside pairing categories is soft", item("region", evalTurn{Q: "q", NotContains: []string{"Anhui"}}),
			bot.Answer{Text: "Anhui", Lang: bot.English}, false, false},
		{"the list of all pairs is no wrong pairing", item("partner", evalTurn{Q: "q", NotContains: []string{"Dongguan"}}),
			bot.Answer{Text: "All pairs:\n" + pairs, Lang: bot.English}, false, false},
		{"a pair beyond the list is", item("partner", evalTurn{Q: "q", NotContains: []string{"Dongguan"}}),
			bot.Answer{Text: "Ganzhou is paired with Dongguan.\n" + pairs, Lang: bot.English}, false, true},
		{"source line is not a claim", item("partner", evalTurn{Q: "q", Contains: []string{"Nanjing"}, NotContains: []string{"Foshan"}}),
			bot.Answer{Text: "Zhangjiajie is paired with Nanjing.\nSource: Rednet, Chenzhou & Foshan", Source: "Source: Rednet, Chenzhou & Foshan", Lang: bot.English}, true, false},
		{"example question is not a claim", item("offtopic", evalTurn{Q: "q", Fallback: &yes, NotContains: []string{"Shenzhen"}}),
			bot.Answer{Text: "I can't help with that. For example:\n- Which key cities does Shenzhen support?\n- 深圳和哪些城市结对？", Fallback: true, Lang: bot.English}, true, false},
		{"a claim after a question is still a claim", item("pair_check", evalTurn{Q: "q", NotContains: []string{"yes"}}),
			bot.Answer{Text: "Is Zhangjiajie paired with Foshan? Yes.", Lang: bot.English}, false, true},
		{"suggestion is not a claim", item("offtopic", evalTurn{Q: "q", Fallback: &yes, NotContains: []string{"Shenzhen"}}),
			bot.Answer{Text: "I don't know. Try: Which cities is Shenzhen paired with?", Fallback: true, Lang: bot.English,
				Suggestions: []bot.Suggestion{{Text: "Which cities is Shenzhen paired with?", Key: "k"}}}, true, false},
		{"fallback expected", item("offtopic", evalTurn{Q: "q", Fallback: &yes}),
			bot.Answer{Text: "Sunny.", Lang: bot.English}, false, false},
		{"an honest 'not stated' is no fallback", item("offtopic", evalTurn{Q: "What is the budget?", Fallback: &yes}),
			bot.Answer{Text: "The plan does not state a budget.", Lang: bot.English}, false, false},
		{"no fallback expected", item("smalltalk", evalTurn{Q: "q", Fallback: &no}),
			bot.Answer{Text: "?", Fallback: true, Lang: bot.English}, false, false},
		{"intent", item("partner", evalTurn{Q: "q", Intent: "partner_of"}),
			bot.Answer{Text: "x", Lang: bot.English, Why: bot.Explanation{Intent: bot.IntentPairCheck}}, false, false},
		{"language", item("partner", evalTurn{Q: "q", Contains: []string{"Nanjing"}}),
			bot.Answer{Text: "Nanjing 南京", Lang: bot.Chinese}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := checkTurn(tc.item, 0, tc.answer, pairs)
			if ok := len(r.problems) == 0; ok != tc.wantOK {
				t.Errorf("checkTurn(%q) ok = %v (%v); want %v", tc.answer.Text, ok, r.problems, tc.wantOK)
			}
			if wrong := len(r.wrong) > 0; wrong != tc.wantWrong {
				t.Errorf("checkTurn(%q) wrong pairing = %v; want %v", tc.answer.Text, wrong, tc.wantWrong)
			}
		})
	}
}
