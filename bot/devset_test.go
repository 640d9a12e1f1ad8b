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

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// The dev set is scored as a whole, like an NLU evaluation: a few misses are
// tolerated (minAccuracy), a wrong pairing never is.
const (
	devsetPath  = "testdata/devset.yaml"
	minAccuracy = 0.97
	minTurns    = 320
)

// devItem is one conversation of the dev set (see the header of testdata/devset.yaml).
type devItem struct {
	Category string    `yaml:"category"`
	Lang     string    `yaml:"lang"`
	Turns    []devTurn `yaml:"turns"`

	// Set by loadDevset, not read from the file.
	id   string
	line int
}

// devTurn is one question of a conversation and what its answer must satisfy.
type devTurn struct {
	Q           string   `yaml:"q"`
	Contains    []string `yaml:"contains"`
	NotContains []string `yaml:"not_contains"`
	Fallback    *bool    `yaml:"fallback"`
	Intent      string   `yaml:"intent"`
}

// devCategories are the categories the dev set may use, in report order.
var devCategories = []string{
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
// dev set to bot/intent.go at compile time.
var knownIntents = map[bot.Intent]bool{
	bot.IntentFallback: true, bot.IntentPartnerOf: true, bot.IntentKeyCitiesOf: true,
	bot.IntentPairCheck: true, bot.IntentNotInPlan: true, bot.IntentListPairs: true,
	bot.IntentPairsInRegion: true, bot.IntentRegionOf: true, bot.IntentCount: true,
	bot.IntentIssuer: true, bot.IntentDocNumber: true, bot.IntentTitle: true,
	bot.IntentIssueDate: true, bot.IntentPublishDate: true, bot.IntentPeriod: true,
	bot.IntentTasks: true, bot.IntentTaskDetail: true, bot.IntentExchanges: true,
	bot.IntentFinance: true, bot.IntentDepartmentSupport: true, bot.IntentOtherCities: true,
	bot.IntentAims: true, bot.IntentSources: true, bot.IntentSelection: true,
	bot.IntentPolicyBasis: true, bot.IntentImplementation: true, bot.IntentEvaluation: true,
	bot.IntentMechanisms: true, bot.IntentOverview: true, bot.IntentGreeting: true,
	bot.IntentHelp: true, bot.IntentThanks: true,
}

// loadDevset reads and validates the dev set; a malformed dev set stops the test.
func loadDevset(tb testing.TB) []devItem {
	tb.Helper()
	data, err := os.ReadFile(devsetPath)
	if err != nil {
		tb.Fatalf("read dev set: %v", err)
	}
	items, err := parseDevset(data)
	if err != nil {
		tb.Fatalf("%s: %v", devsetPath, err)
	}
	return items
}

// parseDevset decodes the dev set strictly (unknown keys are errors) and
// checks every item, returning all problems at once.
func parseDevset(data []byte) ([]devItem, error) {
	var items []devItem
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
	seen := map[string]int{} // lang + question of single-turn items -> line
	for i := range items {
		it := &items[i]
		it.line = root.Content[0].Content[i].Line
		it.id = fmt.Sprintf("%s/%s/L%d", it.Category, it.Lang, it.line)
		for _, p := range validateItem(*it) {
			problems = append(problems, fmt.Sprintf("line %d (%s): %s", it.line, it.Category, p))
		}
		if len(it.Turns) == 1 {
			key := it.Lang + "\x00" + fold(strings.TrimSpace(it.Turns[0].Q))
			if prev, dup := seen[key]; dup {
				problems = append(problems, fmt.Sprintf("line %d: question %q repeats line %d", it.line, it.Turns[0].Q, prev))
			}
			seen[key] = it.line
		}
	}

	// The set as a whole: big enough and about half English, half Chinese.
	turns := map[string]int{}
	total := 0
	for _, it := range items {
		turns[it.Lang] += len(it.Turns)
		total += len(it.Turns)
	}
	if total < minTurns {
		problems = append(problems, fmt.Sprintf("%d questions; want at least %d", total, minTurns))
	}
	if total > 0 {
		for _, lang := range []string{"en", "zh"} {
			if share := float64(turns[lang]) / float64(total); share < 0.4 || share > 0.6 {
				problems = append(problems, fmt.Sprintf("%s is %.0f%% of the questions; want about half", lang, 100*share))
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return items, nil
}

// validateItem lists what is wrong with one dev-set item.
func validateItem(it devItem) []string {
	var p []string
	if !slices.Contains(devCategories, it.Category) {
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
		if han := hasHan(tr.Q); han && it.Lang == "en" {
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

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
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

// claimBody is the part of an answer that states facts: the text without its
// source line, without the suggestion buttons' questions, and without any line
// that is itself a question ("- Which key cities does Shenzhen support?" in a
// help text). A question asserts nothing, so a city it names is no claim.
func claimBody(a bot.Answer) string {
	body := a.Text
	if a.Source != "" {
		body = strings.Replace(body, a.Source, "", 1)
	}
	for _, s := range a.Suggestions {
		if s.Text != "" {
			body = strings.ReplaceAll(body, s.Text, "")
		}
	}
	lines := strings.Split(body, "\n")
	kept := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasSuffix(l, "?") || strings.HasSuffix(l, "？") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

// turnResult is the verdict on one question.
type turnResult struct {
	item     *devItem
	turn     int
	problems []string
	wrong    []string // forbidden facts found in a pairing category
	got      bot.Answer
}

// checkTurn scores one answer against its turn's expectations.
func checkTurn(it *devItem, i int, a bot.Answer) turnResult {
	tr := it.Turns[i]
	r := turnResult{item: it, turn: i, got: a}
	for _, c := range tr.Contains {
		if !containsFact(a.Text, c) {
			r.problems = append(r.problems, fmt.Sprintf("missing %q", c))
		}
	}
	body := claimBody(a)
	for _, nc := range tr.NotContains {
		if containsFact(body, nc) {
			r.problems = append(r.problems, fmt.Sprintf("forbidden %q", nc))
			if pairingCategories[it.Category] {
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

// TestDevsetValid checks the dev set file itself, so a broken label is
// reported as such rather than as an engine failure.
func TestDevsetValid(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{"unknown item key", "- {category: partner, lang: en, note: x, turns: [{q: hi, intent: greeting}]}", "field note not found"},
		{"unknown turn key", "- {category: partner, lang: en, turns: [{q: hi, contain: [x]}]}", "field contain not found"},
		{"no expectation", "- {category: partner, lang: en, turns: [{q: hi}]}", "no expectation"},
		{"empty question", "- {category: partner, lang: en, turns: [{q: ' ', contains: [x]}]}", "empty q"},
		{"unknown category", "- {category: chat, lang: en, turns: [{q: hi, intent: greeting}]}", "unknown category"},
		{"unknown intent", "- {category: partner, lang: en, turns: [{q: hi, intent: partner}]}", "unknown intent"},
		{"bad lang", "- {category: partner, lang: fr, turns: [{q: hi, intent: greeting}]}", "want en or zh"},
		{"chinese in en", "- {category: partner, lang: en, turns: [{q: 张家界, contains: [x]}]}", "Chinese characters in an en"},
		{"contradiction", "- {category: partner, lang: en, turns: [{q: a, contains: [Nanjing], not_contains: [nanjing]}]}", "both wanted and forbidden"},
		{"empty alternative", "- {category: partner, lang: en, turns: [{q: a, contains: ['a|']}]}", "bad fact"},
		{"offtopic without fallback", "- {category: offtopic, lang: en, turns: [{q: a, not_contains: [x]}]}", "needs fallback: true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDevset([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseDevset(%s) = %v; want error containing %q", tc.yaml, err, tc.wantErr)
			}
		})
	}

	t.Run("dev set", func(t *testing.T) {
		items := loadDevset(t)
		if len(items) == 0 {
			t.Fatal("empty dev set")
		}
	})
}

// TestDevset asks every dev-set conversation of the real engine and scores
// the answers. It deliberately does not fail per question: the bar is overall
// accuracy, plus zero wrong pairings.
func TestDevset(t *testing.T) {
	items := loadDevset(t)
	e := newEngine(t)
	ctx := t.Context()

	var results []turnResult
	for i := range items {
		it := &items[i]
		conv := fmt.Sprintf("devset-%04d", i)
		for j, tr := range it.Turns {
			a := e.Answer(ctx, bot.Question{Text: tr.Q, ConversationID: conv, Locale: it.Lang})
			results = append(results, checkTurn(it, j, a))
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
	if acc < minAccuracy {
		t.Errorf("dev set accuracy %.1f%% (%d/%d); want at least %.0f%%", 100*acc, passed, len(results), 100*minAccuracy)
	}
	if wrong > 0 {
		t.Errorf("%d answers named a wrong pairing (see WRONG PAIRINGS above); want none", wrong)
	}
}

// devsetReport renders the per-category table and the failures.
func devsetReport(results []turnResult) string {
	type tally struct{ n, ok int }
	byCat := map[string]map[string]*tally{}
	for _, r := range results {
		c := r.item.Category
		if byCat[c] == nil {
			byCat[c] = map[string]*tally{"en": {}, "zh": {}, "all": {}}
		}
		for _, k := range []string{r.item.Lang, "all"} {
			byCat[c][k].n++
			if len(r.problems) == 0 {
				byCat[c][k].ok++
			}
		}
	}
	pct := func(t *tally) string {
		if t.n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(t.ok)/float64(t.n))
	}
	frac := func(t *tally) string { return fmt.Sprintf("%d/%d", t.ok, t.n) }

	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %9s %7s %9s %9s %9s\n", "category", "questions", "passed", "accuracy", "en", "zh")
	total := map[string]*tally{"en": {}, "zh": {}, "all": {}}
	for _, c := range devCategories {
		m := byCat[c]
		if m == nil {
			continue
		}
		fmt.Fprintf(&b, "%-12s %9d %7d %9s %9s %9s\n", c, m["all"].n, m["all"].ok, pct(m["all"]), frac(m["en"]), frac(m["zh"]))
		for k, v := range m {
			total[k].n += v.n
			total[k].ok += v.ok
		}
	}
	fmt.Fprintf(&b, "%-12s %9d %7d %9s %9s %9s\n", "TOTAL", total["all"].n, total["all"].ok, pct(total["all"]), frac(total["en"]), frac(total["zh"]))

	var failed, wrong []turnResult
	for _, r := range results {
		if len(r.wrong) > 0 {
			wrong = append(wrong, r)
		}
		if len(r.problems) > 0 {
			failed = append(failed, r)
		}
	}
	line := func(r turnResult) string {
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
		return fmt.Sprintf("  %s turn %d: %q\n    problems: %s\n    want: %s\n    got (%s, conf %.2f): %q\n",
			r.item.id, r.turn+1, tr.Q, strings.Join(r.problems, "; "), strings.Join(want, " | "),
			r.got.Why.Intent, r.got.Why.Confidence, clip(r.got.Text, 300))
	}
	if len(wrong) > 0 {
		fmt.Fprintf(&b, "\nWRONG PAIRINGS (%d):\n", len(wrong))
		for _, r := range wrong {
			b.WriteString(line(r))
		}
	}
	if len(failed) > 0 {
		sort.SliceStable(failed, func(i, j int) bool {
			return slices.Index(devCategories, failed[i].item.Category) < slices.Index(devCategories, failed[j].item.Category)
		})
		fmt.Fprintf(&b, "\nFAILURES (%d):\n", len(failed))
		for _, r := range failed {
			b.WriteString(line(r))
		}
	}
	return b.String()
}

// clip shortens s to about n bytes for the report, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// devQuestion is one dev-set question with its language, for the benchmark and fuzz seeds.
type devQuestion struct{ text, lang string }

// devQuestions flattens the dev set into its questions, in file order.
func devQuestions(tb testing.TB) []devQuestion {
	tb.Helper()
	var qs []devQuestion
	for _, it := range loadDevset(tb) {
		for _, tr := range it.Turns {
			qs = append(qs, devQuestion{tr.Q, it.Lang})
		}
	}
	return qs
}

// TestDevsetScoring proves the scorer itself: a dev set is only as good as
// the function that marks it.
func TestDevsetScoring(t *testing.T) {
	yes, no := true, false
	item := func(cat string, tr devTurn) *devItem {
		return &devItem{Category: cat, Lang: "en", Turns: []devTurn{tr}, id: "test"}
	}
	tests := []struct {
		name      string
		item      *devItem
		answer    bot.Answer
		wantOK    bool
		wantWrong bool
	}{
		{"fact present, any case", item("partner", devTurn{Q: "q", Contains: []string{"shenzhen"}}),
			bot.Answer{Text: "Ganzhou is paired with Shenzhen.", Lang: bot.English}, true, false},
		{"fact missing", item("partner", devTurn{Q: "q", Contains: []string{"Shenzhen"}}),
			bot.Answer{Text: "Ganzhou is paired with Guangzhou.", Lang: bot.English}, false, false},
		{"alternative", item("period", devTurn{Q: "q", Contains: []string{"eight|8"}}),
			bot.Answer{Text: "8 years", Lang: bot.English}, true, false},
		{"typographic apostrophe", item("reverse", devTurn{Q: "q", Contains: []string{"Ji'an"}}),
			bot.Answer{Text: "Dongguan is paired with Ji\u2019an.", Lang: bot.English}, true, false},
		{"wrong pairing is hard", item("partner", devTurn{Q: "q", NotContains: []string{"Guangzhou"}}),
			bot.Answer{Text: "Ganzhou is paired with Guangzhou.", Lang: bot.English}, false, true},
		{"forbidden outside pairing categories is soft", item("region", devTurn{Q: "q", NotContains: []string{"Anhui"}}),
			bot.Answer{Text: "Anhui", Lang: bot.English}, false, false},
		{"source line is not a claim", item("partner", devTurn{Q: "q", Contains: []string{"Nanjing"}, NotContains: []string{"Foshan"}}),
			bot.Answer{Text: "Zhangjiajie is paired with Nanjing.\nSource: Rednet, Chenzhou & Foshan", Source: "Source: Rednet, Chenzhou & Foshan", Lang: bot.English}, true, false},
		{"example question is not a claim", item("offtopic", devTurn{Q: "q", Fallback: &yes, NotContains: []string{"Shenzhen"}}),
			bot.Answer{Text: "I can't help with that. For example:\n- Which key cities does Shenzhen support?\n- 深圳和哪些城市结对？", Fallback: true, Lang: bot.English}, true, false},
		{"a claim after a question is still a claim", item("pair_check", devTurn{Q: "q", NotContains: []string{"yes"}}),
			bot.Answer{Text: "Is Zhangjiajie paired with Foshan? Yes.", Lang: bot.English}, false, true},
		{"suggestion is not a claim", item("offtopic", devTurn{Q: "q", Fallback: &yes, NotContains: []string{"Shenzhen"}}),
			bot.Answer{Text: "I don't know. Try: Which cities is Shenzhen paired with?", Fallback: true, Lang: bot.English,
				Suggestions: []bot.Suggestion{{Text: "Which cities is Shenzhen paired with?", Key: "k"}}}, true, false},
		{"fallback expected", item("offtopic", devTurn{Q: "q", Fallback: &yes}),
			bot.Answer{Text: "Sunny.", Lang: bot.English}, false, false},
		{"no fallback expected", item("smalltalk", devTurn{Q: "q", Fallback: &no}),
			bot.Answer{Text: "?", Fallback: true, Lang: bot.English}, false, false},
		{"intent", item("partner", devTurn{Q: "q", Intent: "partner_of"}),
			bot.Answer{Text: "x", Lang: bot.English, Why: bot.Explanation{Intent: bot.IntentPairCheck}}, false, false},
		{"language", item("partner", devTurn{Q: "q", Contains: []string{"Nanjing"}}),
			bot.Answer{Text: "Nanjing 南京", Lang: bot.Chinese}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := checkTurn(tc.item, 0, tc.answer)
			if ok := len(r.problems) == 0; ok != tc.wantOK {
				t.Errorf("checkTurn(%q) ok = %v (%v); want %v", tc.answer.Text, ok, r.problems, tc.wantOK)
			}
			if wrong := len(r.wrong) > 0; wrong != tc.wantWrong {
				t.Errorf("checkTurn(%q) wrong pairing = %v; want %v", tc.answer.Text, wrong, tc.wantWrong)
			}
		})
	}
}
