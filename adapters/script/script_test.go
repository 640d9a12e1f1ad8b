package script_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planbot/planbot/adapters/script"
	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

func newEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("knowledge.Load: %v", err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

func TestLoadRejectsBadScripts(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string // the whole error, file and line included
	}{
		{"unknown key", "unknown-key.yaml", `unknown-key.yaml:6: unknown key "expekt" in a turn (allowed: ask, expect)`},
		{"missing ask", "missing-ask.yaml", `missing-ask.yaml:8: turn has no ask: every turn asks a question`},
		{"bad regex", "bad-regex.yaml", `bad-regex.yaml:6: bad regex "(?i)know(": error parsing regexp: missing closing ): ` + "`(?i)know(`"},
		{"empty file", "empty.yaml", `empty.yaml: empty script: want a mapping with name and conversations`},
		{"comments only", "comments-only.yaml", `comments-only.yaml`},
		{"yaml syntax", "syntax.yaml", `syntax.yaml:`},
		{"no expect", "no-expect.yaml", `no-expect.yaml:4: turn "Who is Zhangjiajie paired with?" has no expect`},
		{"empty expect", "empty-expect.yaml", `empty-expect.yaml:5: expect has no checks`},
		{"bad locale", "bad-locale.yaml", `bad-locale.yaml:3: locale "fr": want en or zh`},
		{"bad fallback", "bad-fallback.yaml", `bad-fallback.yaml:6: fallback must be true or false`},
		{"duplicate key", "duplicate-key.yaml", `duplicate-key.yaml:5: key "ask" appears twice in a turn`},
		{"no turns", "no-turns.yaml", `no-turns.yaml:4: turns is empty`},
		{"two documents", "two-documents.yaml", `two-documents.yaml:8: a script holds one YAML document`},
		{"empty contains", "empty-contains.yaml", `empty-contains.yaml:6: contains is empty`},
		{"not a mapping", "top-level-list.yaml", `top-level-list.yaml:1: the script must be a mapping`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tc.file)
			files, err := script.Load(path)
			if err == nil {
				t.Fatalf("Load(%q) = %d files, nil error; want error %q", path, len(files), tc.want)
			}
			var serr *script.Error
			if !errors.As(err, &serr) {
				t.Fatalf("Load(%q) error %v is a %T; want *script.Error", path, err, err)
			}
			if serr.Path != path {
				t.Errorf("Load(%q) error names %q; want the file", path, serr.Path)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load(%q) error = %q; want it to contain %q", path, err, tc.want)
			}
		})
	}
}

func TestLoadSyntaxErrorHasLine(t *testing.T) {
	_, err := script.Load(filepath.Join("testdata", "bad", "syntax.yaml"))
	var serr *script.Error
	if !errors.As(err, &serr) || serr.Line == 0 {
		t.Fatalf("Load(syntax.yaml) error = %v; want a *script.Error with a line", err)
	}
}

func TestLoadMissingAndEmptyPaths(t *testing.T) {
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing file", filepath.Join("testdata", "no-such.yaml"), "no-such.yaml"},
		{"directory without scripts", t.TempDir(), "no .yaml or .yml scripts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := script.Load(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load(%q) error = %v; want it to contain %q", tc.path, err, tc.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	files, err := script.Load(filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatalf("Load(testdata/good): %v", err)
	}
	if len(files) != 1 {
		t.Fatalf("Load(testdata/good) = %d files; want 1", len(files))
	}
	f := files[0]
	if f.Name != "outcomes" || len(f.Conversations) != 2 {
		t.Fatalf("parsed %q with %d conversations; want outcomes with 2", f.Name, len(f.Conversations))
	}
	c := f.Conversations[0]
	if c.Name != "off topic" || c.Locale != "en" || len(c.Turns) != 2 {
		t.Errorf("conversation 1 = %q locale %q with %d turns; want off topic, en, 2", c.Name, c.Locale, len(c.Turns))
	}
	first := c.Turns[0]
	if first.Ask != "what is the weather like?" || first.Line != 8 {
		t.Errorf("turn 1 = %q at line %d; want the weather question at line 8", first.Ask, first.Line)
	}
	if first.Expect.Fallback == nil || !*first.Expect.Fallback {
		t.Errorf("turn 1 fallback = %v; want true", first.Expect.Fallback)
	}
	if got := f.Conversations[1].Turns[0].Expect.Contains; len(got) != 1 || got[0] != "2099" {
		t.Errorf("a number in contains parsed as %q; want [2099]", got)
	}
}

func TestRunCountsAndReports(t *testing.T) {
	files, err := script.Load(filepath.Join("testdata", "good", "outcomes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := script.Run(context.Background(), newEngine(t), files)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Passed() != 1 || rep.Failed() != 2 {
		t.Fatalf("Run = %d passed, %d failed; want 1 passed, 2 failed", rep.Passed(), rep.Failed())
	}

	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		"--- FAIL: testdata/good/outcomes.yaml:12: outcomes / off topic / turn 2\n",
		"    ask:    what is the weather like tomorrow?\n",
		"    want:   fallback false, got true\n",
		`    want:   contains "zzz-never-in-an-answer"` + "\n",
		"--- FAIL: testdata/good/outcomes.yaml:18: outcomes / years as numbers / turn 1\n",
		`    want:   contains "2099"` + "\n",
		"    answer: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "off topic / turn 1\n") {
		t.Errorf("WriteText reported the passing turn:\n%s", out)
	}
	if !strings.HasSuffix(out, "\n1 passed, 2 failed\n") {
		t.Errorf("WriteText output does not end with the summary line:\n%s", out)
	}

	var junit bytes.Buffer
	if err := rep.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &doc); err != nil {
		t.Fatalf("WriteJUnit wrote invalid XML: %v\n%s", err, junit.String())
	}
	if doc.Tests != 3 || doc.Failures != 2 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("JUnit = %d tests, %d failures, %d suites; want 3, 2, 1:\n%s", doc.Tests, doc.Failures, len(doc.Suites), junit.String())
	}
	cases := doc.Suites[0].Cases
	if cases[0].Failure != nil || cases[1].Failure == nil || cases[2].Failure == nil {
		t.Errorf("JUnit failures on cases = %v, %v, %v; want only the last two", cases[0].Failure, cases[1].Failure, cases[2].Failure)
	}
	if got, want := cases[1].Failure.Message, `fallback false, got true`; !strings.Contains(got, want) {
		t.Errorf("JUnit failure message = %q; want it to contain %q", got, want)
	}
}

// recorder answers like the engine and remembers the questions it was asked.
type recorder struct {
	*bot.Engine
	asked []bot.Question
}

func (r *recorder) Answer(ctx context.Context, q bot.Question) bot.Answer {
	r.asked = append(r.asked, q)
	return r.Engine.Answer(ctx, q)
}

func TestRunSessions(t *testing.T) {
	files, err := script.Load(filepath.Join("testdata", "good", "outcomes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Engine: newEngine(t)}
	if _, err := script.Run(context.Background(), rec, files); err != nil {
		t.Fatal(err)
	}
	if len(rec.asked) != 3 {
		t.Fatalf("engine asked %d questions; want 3", len(rec.asked))
	}
	tests := []struct {
		name       string
		a, b       int
		sameThread bool
	}{
		{"turns of one conversation share a session", 0, 1, true},
		{"conversations are separate sessions", 1, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := rec.asked[tc.a], rec.asked[tc.b]
			if a.ConversationID == "" || (a.ConversationID == b.ConversationID) != tc.sameThread {
				t.Errorf("ConversationIDs %q and %q; want same = %t", a.ConversationID, b.ConversationID, tc.sameThread)
			}
		})
	}
	if rec.asked[0].Locale != "en" || rec.asked[2].Locale != "" {
		t.Errorf("locales %q, %q; want the conversation's (en) and none", rec.asked[0].Locale, rec.asked[2].Locale)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	files, err := script.Load(filepath.Join("testdata", "good", "outcomes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := script.Run(ctx, newEngine(t), files)
	if !errors.Is(err, context.Canceled) || len(rep.Results) != 0 {
		t.Errorf("Run on an ended context = %d results, %v; want 0 and context.Canceled", len(rep.Results), err)
	}
}
