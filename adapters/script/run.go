package script

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot"
)

// answerer is the part of the engine a script talks to.
type answerer interface {
	Answer(ctx context.Context, q bot.Question) bot.Answer
}

// Result is the outcome of one turn.
type Result struct {
	File         *File
	Conversation *Conversation
	Turn         *Turn
	// Index is the turn's position in its conversation, from 1.
	Index  int
	Answer bot.Answer
	// Failures names each expectation the answer missed; empty means the turn passed.
	Failures []string
}

// Passed reports whether the answer met every expectation.
func (r Result) Passed() bool { return len(r.Failures) == 0 }

// Report holds every turn's result, in script order.
type Report struct {
	Results []Result
}

// Passed counts the turns that passed.
func (r Report) Passed() int {
	n := 0
	for _, res := range r.Results {
		if res.Passed() {
			n++
		}
	}
	return n
}

// Failed counts the turns that failed.
func (r Report) Failed() int { return len(r.Results) - r.Passed() }

// Run asks every turn of files of a, each conversation as its own session, and
// checks the answers. It stops early only when ctx ends, returning ctx's error
// with the results so far.
func Run(ctx context.Context, a answerer, files []*File) (Report, error) {
	var rep Report
	for _, f := range files {
		for ci := range f.Conversations {
			c := &f.Conversations[ci]
			id := f.Path + "#" + strconv.Itoa(ci+1)
			for ti := range c.Turns {
				if err := ctx.Err(); err != nil {
					return rep, err
				}
				t := &c.Turns[ti]
				ans := a.Answer(ctx, bot.Question{Text: t.Ask, ConversationID: id, Locale: c.Locale})
				rep.Results = append(rep.Results, Result{
					File: f, Conversation: c, Turn: t, Index: ti + 1,
					Answer: ans, Failures: t.Expect.check(ans),
				})
			}
		}
	}
	return rep, nil
}

// check returns the expectations a misses, described for the report.
func (e Expect) check(a bot.Answer) []string {
	var failures []string
	lower := strings.ToLower(a.Text)
	for _, s := range e.Contains {
		if !strings.Contains(lower, strings.ToLower(s)) {
			failures = append(failures, fmt.Sprintf("contains %q", s))
		}
	}
	for _, s := range e.NotContains {
		if strings.Contains(lower, strings.ToLower(s)) {
			failures = append(failures, fmt.Sprintf("not_contains %q", s))
		}
	}
	if e.Intent != "" && string(a.Why.Intent) != e.Intent {
		failures = append(failures, fmt.Sprintf("intent %s, got %s", e.Intent, a.Why.Intent))
	}
	if e.Fallback != nil && a.Fallback != *e.Fallback {
		failures = append(failures, fmt.Sprintf("fallback %t, got %t", *e.Fallback, a.Fallback))
	}
	if e.Regex != nil && !e.Regex.MatchString(a.Text) {
		failures = append(failures, fmt.Sprintf("regex %q", e.Regex.String()))
	}
	return failures
}
