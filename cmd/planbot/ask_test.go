package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// TestAskManyLines feeds ask --json 100,000 questions on stdin and checks
// that every one is answered, once, in input order. The output is checked as
// it streams, so the test holds one line at a time, as a pipeline would.
func TestAskManyLines(t *testing.T) {
	const n = 100_000
	data, err := os.ReadFile("testdata/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	questions := strings.Split(strings.TrimSpace(string(data)), "\n")
	question := func(i int) string { return fmt.Sprintf("%s %d", questions[i%len(questions)], i) }
	var in strings.Builder
	for i := range n {
		in.WriteString(question(i) + "\n")
	}

	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), []string{"planbot", "ask", "--json"}, func(string) string { return "" },
			strings.NewReader(in.String()), w, io.Discard)
		w.Close()
		done <- err
	}()

	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		want := question(i)
		// encoding/json writes fields in struct order, so the line answering
		// want starts with it; every 1000th line is decoded in full.
		quoted, _ := json.Marshal(want) // a string always marshals
		if !bytes.HasPrefix(sc.Bytes(), append([]byte(`{"question":`), quoted...)) {
			out.CloseWithError(fmt.Errorf("test failed"))
			t.Fatalf("output line %d = %q; want the answer to %q", i+1, sc.Text(), want)
		}
		if i%1000 == 0 {
			var line struct {
				Question string `json:"question"`
				Answer   string `json:"answer"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Question != want || line.Answer == "" {
				out.CloseWithError(fmt.Errorf("test failed"))
				t.Fatalf("output line %d = %q (%v); want an answer to %q", i+1, sc.Text(), err, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("ask --json over %d lines: %v", n, err)
	}
	if i != n {
		t.Errorf("ask --json printed %d lines for %d questions", i, n)
	}
}
