package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestAskManyLines feeds ask --json 100,000 questions on stdin and checks
// that every one is answered, once, in input order.
func TestAskManyLines(t *testing.T) {
	const n = 100_000
	data, err := os.ReadFile("testdata/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	questions := strings.Split(strings.TrimSpace(string(data)), "\n")
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, "%s (%d)\n", questions[i%len(questions)], i)
	}

	r := runWith(t, nil, in.String(), "ask", "--json")
	if r.err != nil {
		t.Fatalf("ask --json over %d lines: %v", n, r.err)
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var line struct {
			Question string `json:"question"`
			Answer   string `json:"answer"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("output line %d = %q: %v", i+1, sc.Text(), err)
		}
		if want := fmt.Sprintf("%s (%d)", questions[i%len(questions)], i); line.Question != want || line.Answer == "" {
			t.Fatalf("output line %d answers %q (answer %q); want an answer to %q", i+1, line.Question, line.Answer, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Errorf("ask --json printed %d lines for %d questions", i, n)
	}
}
