package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// result is what one in-process run of the program did.
type result struct {
	stdout, stderr string
	err            error
}

// runWith runs the program with args (without the program name), the
// environment env and standard input stdin.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), append([]string{"planbot"}, args...), getenv, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), err}
}

// testEngine is the engine the commands build, for the answers they should print.
func testEngine(t *testing.T) *bot.Engine {
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

// answer is the engine's answer to text, asked in a conversation of its own.
func answer(e *bot.Engine, text, locale string) bot.Answer {
	return e.Answer(context.Background(), bot.Question{Text: text, ConversationID: "fresh:" + text, Locale: locale})
}

func command(e *bot.Engine, cmd bot.Command, locale string) bot.Answer {
	return e.Command(context.Background(), cmd, bot.Question{ConversationID: "fresh:" + string(cmd), Locale: locale})
}

func TestRun(t *testing.T) {
	zhTag := "zh_CN.UTF-8"
	e := testEngine(t)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		stdin   string
		want    []string // each must appear in stdout
		wantErr string   // "" for success; else a part of the error
		stderr  string   // a part of stderr, if set
	}{
		{name: "help", args: []string{"help"}, want: []string{"Usage:", "planbot ask", "planbot test", "planbot pairs", "planbot config check"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`},
		{name: "version", args: []string{"version"}, want: []string{"planbot ", "go1."}},
		{name: "version takes no arguments", args: []string{"version", "x"}, wantErr: "version: unexpected arguments"},

		{name: "ask one question", args: []string{"ask", "Who", "is", "Zhangjiajie", "paired", "with?"},
			want: []string{answer(e, "Who is Zhangjiajie paired with?", "").Text}},
		{name: "ask in Chinese", args: []string{"ask", "张家界和哪个城市结对？"},
			want: []string{answer(e, "张家界和哪个城市结对？", "").Text}},
		{name: "ask forcing Chinese", args: []string{"ask", "--lang", "zh", "Who is Zhangjiajie paired with?"}, want: []string{"南京"}},
		{name: "ask forcing English", args: []string{"ask", "--lang", "en", "张家界和哪个城市结对？"}, want: []string{"Nanjing"}},
		{name: "ask with a bad language", args: []string{"ask", "--lang", "fr", "bonjour"}, wantErr: `--lang "fr": want en or zh`},
		{name: "ask with a flag after the question", args: []string{"ask", "Who is Zhangjiajie paired with?", "--json"}, wantErr: "flag --json after the arguments"},
		{name: "ask help", args: []string{"ask", "-h"}, stderr: "-session"},
		{name: "ask help lists the configuration flags apart", args: []string{"ask", "-h"}, stderr: "Configuration flags (docs/configuration.md):\n  -admin-addr"},
		{name: "an unknown flag", args: []string{"--bogus"}, wantErr: "flag provided but not defined: -bogus"},
		{name: "-h lists the commands and the flags", args: []string{"-h"}, stderr: "planbot ask [flags] [question]"},
		{name: "ask reads questions from stdin", args: []string{"ask"}, stdin: "what is the weather like?\n\nWho is Chenzhou paired with?",
			want: []string{"> what is the weather like?\n" + answer(e, "what is the weather like?", "").Text, "> Who is Chenzhou paired with?\n"}},

		{name: "test passes the project's scripts", args: []string{"test", "../../testdata/scripts"}, want: []string{" passed, 0 failed\n"}},
		{name: "test fails a failing script", args: []string{"test", "testdata/failing.yaml"}, wantErr: "1 of 2 turns failed",
			want: []string{"--- FAIL: testdata/failing.yaml:", "1 passed, 1 failed\n"}},
		{name: "test rejects a bad script", args: []string{"test", "testdata/bad.yaml"}, wantErr: `testdata/bad.yaml:6: unknown key "contain"`},
		{name: "test needs a path", args: []string{"test"}, wantErr: "name at least one script file or directory"},
		{name: "test with a flag after the files", args: []string{"test", "testdata/failing.yaml", "--junit", "x.xml"}, wantErr: "flag --junit after the arguments"},

		{name: "pairs with a bad language", args: []string{"pairs", "--lang", "de"}, wantErr: `--lang "de"`},

		{name: "config check", args: []string{"config", "check"}, want: []string{"log_format:", "terminal chat"}},
		{name: "config check rejects a bad token and hides it", args: []string{"config", "check"},
			env:     map[string]string{"TELEGRAM_BOT_TOKEN": "not-a-token-s3cr3t"},
			wantErr: "telegram"},
		{name: "config needs check", args: []string{"config"}, wantErr: `want "planbot config check [flags]"`},

		{name: "serve chats in the terminal without tokens", stdin: "quit\n", want: []string{bot.ConnectHint(), "> "}},
		{name: "serve greets in the terminal's language", env: map[string]string{"LANG": zhTag}, stdin: "",
			want: []string{command(e, bot.CommandStart, zhTag).Text}},
		{name: "serve answers in the terminal", stdin: "Who is Zhangjiajie paired with?\nwhy\n",
			want: []string{answer(e, "Who is Zhangjiajie paired with?", "").Text, "intent:"}},
		{name: "serve rejects stray arguments", args: []string{"serve", "extra"}, wantErr: `unexpected arguments ["extra"]`},
		{name: "serve refuses an invalid configuration", env: map[string]string{"PLANBOT_LOG_FORMAT": "xml"}, wantErr: "invalid configuration"},
		{name: "serve with a missing knowledge file", args: []string{"--knowledge-file", "testdata/no-such-facts.yaml"}, wantErr: "knowledge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runWith(t, tc.env, tc.stdin, tc.args...)
			switch {
			case tc.wantErr == "" && r.err != nil:
				t.Fatalf("run(%q) = %v; want success\nstdout:\n%s\nstderr:\n%s", tc.args, r.err, r.stdout, r.stderr)
			case tc.wantErr != "" && (r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr)):
				t.Fatalf("run(%q) = %v; want an error containing %q\nstdout:\n%s", tc.args, r.err, tc.wantErr, r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("run(%q) printed:\n%s\nwant it to contain %q", tc.args, r.stdout, w)
				}
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("run(%q) stderr:\n%s\nwant it to contain %q", tc.args, r.stderr, tc.stderr)
			}
			for _, secret := range tc.env {
				if strings.Contains(secret, "s3cr3t") && strings.Contains(r.stdout+r.stderr+errText(r.err), secret) {
					t.Errorf("run(%q) revealed the token %q", tc.args, secret)
				}
			}
		})
	}
}

func TestPairsTable(t *testing.T) {
	e := testEngine(t)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			a := command(e, bot.CommandPairs, lang)
			r := runWith(t, nil, "", "pairs", "--lang", lang)
			if r.err != nil {
				t.Fatal(r.err)
			}
			out := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
			if len(out) != len(a.Lines)+2 || out[0] != a.Title || out[len(out)-1] != a.Source {
				t.Fatalf("pairs --lang %s printed:\n%s\nwant the title, %d rows and the source line", lang, r.stdout, len(a.Lines))
			}
			partnerColumn := -1
			for i, line := range a.Lines {
				row := out[i+1]
				_, rest, _ := strings.Cut(line, ". ")
				key, partner, paired := strings.Cut(rest, pairSeparator)
				if !paired {
					if !strings.HasSuffix(row, rest) {
						t.Errorf("row %d = %q; want it to end with %q", i+1, row, rest)
					}
					continue
				}
				at := strings.Index(row, partner)
				if !strings.Contains(row, key) || at < 0 {
					t.Errorf("row %d = %q; want %q and %q", i+1, row, key, partner)
					continue
				}
				if col := displayWidth(row[:at]); partnerColumn < 0 {
					partnerColumn = col
				} else if col != partnerColumn {
					t.Errorf("row %d = %q: partner at column %d; want %d, aligned", i+1, row, col, partnerColumn)
				}
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestTestCommand(t *testing.T) {
	t.Run("failures end with the summary and are not repeated by main", func(t *testing.T) {
		r := runWith(t, nil, "", "test", "testdata/failing.yaml")
		if !errors.Is(r.err, errReported) {
			t.Errorf("run(test failing.yaml) = %v; want an error wrapping errReported, so main prints nothing after the summary", r.err)
		}
		if !strings.HasSuffix(r.stdout, "\n1 passed, 1 failed\n") {
			t.Errorf("output does not end with the summary:\n%s", r.stdout)
		}
	})
	t.Run("junit", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "scripts.xml")
		r := runWith(t, nil, "", "test", "--junit", path, "testdata/failing.yaml")
		if !errors.Is(r.err, errReported) {
			t.Fatalf("run(test --junit) = %v; want the failures reported", r.err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("--junit wrote no file: %v", err)
		}
		var doc struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil || doc.Tests != 2 || doc.Failures != 1 {
			t.Errorf("JUnit file = %d tests, %d failures (%v); want 2 and 1:\n%s", doc.Tests, doc.Failures, err, data)
		}
	})
}

// askLine is one line of "ask --json" output.
type askLine struct {
	Question    string   `json:"question"`
	Answer      string   `json:"answer"`
	Lang        string   `json:"lang"`
	Intent      string   `json:"intent"`
	Confidence  *float64 `json:"confidence"`
	Fallback    *bool    `json:"fallback"`
	Entities    []string `json:"entities"`
	Sources     []string `json:"sources"`
	FromContext bool     `json:"from_context"`
}

func decodeLines(t *testing.T, out string) []askLine {
	t.Helper()
	var lines []askLine
	for _, text := range strings.SplitAfter(out, "\n") {
		if text == "" {
			continue
		}
		var l askLine
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			t.Fatalf("ask --json line %d = %q: %v", len(lines)+1, text, err)
		}
		lines = append(lines, l)
	}
	return lines
}

func TestAskJSON(t *testing.T) {
	r := runWith(t, nil, "", "ask", "--json", "Who is Zhangjiajie paired with?")
	if r.err != nil {
		t.Fatal(r.err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("ask --json = %q: %v", r.stdout, err)
	}
	for _, field := range []string{"question", "answer", "lang", "intent", "confidence", "fallback", "entities", "sources"} {
		if _, ok := raw[field]; !ok {
			t.Errorf("ask --json lacks %q: %s", field, r.stdout)
		}
	}
	for _, list := range []string{"entities", "sources"} {
		if s := string(raw[list]); !strings.HasPrefix(s, "[") {
			t.Errorf("ask --json %s = %s; want a list, never null", list, s)
		}
	}
	want := answer(testEngine(t), "Who is Zhangjiajie paired with?", "")
	var got askLine
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Question != "Who is Zhangjiajie paired with?" || got.Answer != want.Text || got.Intent != string(want.Why.Intent) ||
		got.Lang != string(want.Lang) || *got.Fallback != want.Fallback {
		t.Errorf("ask --json = %+v; want the engine's answer %+v", got, want)
	}
}

func TestAskSession(t *testing.T) {
	// The second question makes sense only after the first.
	stdin := "Who is Zhangjiajie paired with?\nwhich province is it in?\n"
	tests := []struct {
		name        string
		args        []string
		fromContext bool
		contains    string
	}{
		{"lines are independent", []string{"ask", "--json"}, false, ""},
		{"--session keeps the conversation", []string{"ask", "--json", "--session"}, true, "Hunan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runWith(t, nil, stdin, tc.args...)
			if r.err != nil {
				t.Fatal(r.err)
			}
			lines := decodeLines(t, r.stdout)
			if len(lines) != 2 {
				t.Fatalf("ask %q printed %d lines; want 2:\n%s", tc.args, len(lines), r.stdout)
			}
			follow := lines[1]
			if follow.FromContext != tc.fromContext || *follow.Fallback == tc.fromContext || !strings.Contains(follow.Answer, tc.contains) {
				t.Errorf("ask %q: follow-up = %q (from_context %t, fallback %t); want from_context %t, fallback %t, containing %q",
					tc.args, follow.Answer, follow.FromContext, *follow.Fallback, tc.fromContext, !tc.fromContext, tc.contains)
			}
		})
	}
}
