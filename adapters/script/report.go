package script

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteText writes one block per failing turn (where, the question, each
// missed expectation, the answer), then "N passed, M failed" on its own line.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		if res.Passed() {
			continue
		}
		fmt.Fprintf(bw, "--- FAIL: %s\n", res.where())
		fmt.Fprintf(bw, "    ask:    %s\n", res.Turn.Ask)
		for _, f := range res.Failures {
			fmt.Fprintf(bw, "    want:   %s\n", f)
		}
		fmt.Fprintf(bw, "    answer: %s\n\n", strings.ReplaceAll(strings.TrimRight(res.Answer.Text, "\n"), "\n", "\n            "))
	}
	fmt.Fprintf(bw, "%d passed, %d failed\n", r.Passed(), r.Failed())
	return bw.Flush()
}

// where locates a turn as "file:line: script / conversation / turn N".
func (r Result) where() string {
	return fmt.Sprintf("%s:%d: %s / %s / turn %d", r.File.Path, r.Turn.Line, r.File.Name, r.Conversation.Name, r.Index)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	File     string      `xml:"file,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: a test suite per script file and
// a test case per turn.
func (r Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Tests: len(r.Results), Failures: r.Failed()}
	var suite *junitSuite
	var last *File
	for _, res := range r.Results {
		if res.File != last {
			last = res.File
			out.Suites = append(out.Suites, junitSuite{Name: res.File.Name, File: res.File.Path})
			suite = &out.Suites[len(out.Suites)-1]
		}
		c := junitCase{
			ClassName: res.File.Name + "." + res.Conversation.Name,
			Name:      fmt.Sprintf("turn %d: %s", res.Index, res.Turn.Ask),
			File:      res.File.Path,
			Line:      res.Turn.Line,
		}
		suite.Tests++
		if !res.Passed() {
			suite.Failures++
			c.Failure = &junitFailure{
				Message: strings.Join(res.Failures, "; "),
				Text:    fmt.Sprintf("ask: %s\nwant: %s\nanswer: %s", res.Turn.Ask, strings.Join(res.Failures, "\nwant: "), res.Answer.Text),
			}
		}
		suite.Cases = append(suite.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}
