package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/planbot/planbot/bot"
)

// askJSON is one line of "ask --json" output.
type askJSON struct {
	Question    string     `json:"question"`
	Answer      string     `json:"answer"`
	Lang        bot.Locale `json:"lang"`
	Intent      bot.Intent `json:"intent"`
	Confidence  float64    `json:"confidence"`
	Fallback    bool       `json:"fallback"`
	Entities    []string   `json:"entities"`
	Sources     []string   `json:"sources"`
	FromContext bool       `json:"from_context"`
	Suggestions []string   `json:"suggestions"`
}

// ask answers the question in its arguments, or each line of stdin. Lines
// are independent questions unless --session keeps one conversation.
func ask(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	session := fs.Bool("session", false, "keep one conversation across the lines of standard input, so follow-ups work")
	jsonOut := fs.Bool("json", false, "print one JSON object per question, one per line, in input order")
	lang := fs.String("lang", "", "answer in `en` or zh (default: the question's language)")
	cfg, err := loadConfig("ask", "Usage: planbot ask [flags] [question]\n", fs, args, getenv, stderr)
	if err != nil {
		return err
	}
	if *lang != "" && *lang != string(bot.English) && *lang != string(bot.Chinese) {
		return fmt.Errorf("ask: --lang %q: want en or zh", *lang)
	}
	if err := noFlagsAfter("ask", fs.Args()); err != nil {
		return err
	}
	e, err := newEngine(cfg)
	if err != nil {
		return err
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	p := answerPrinter{out: out, json: json.NewEncoder(out), asJSON: *jsonOut}
	p.json.SetEscapeHTML(false)
	conversation := "" // the engine keeps no context for a question without a conversation
	if *session {
		conversation = "ask"
	}
	question := func(text string) bot.Question {
		return bot.Question{Text: text, ConversationID: conversation, Locale: *lang, Lang: bot.Locale(*lang)}
	}

	if len(fs.Args()) > 0 {
		text := strings.Join(fs.Args(), " ")
		if err := p.print(text, e.Answer(ctx, question(text)), false); err != nil {
			return err
		}
		return flush(out)
	}

	in := bufio.NewReaderSize(stdin, 64<<10)
	for {
		if in.Buffered() == 0 {
			// About to wait for input: show what has been answered so far.
			if err := flush(out); err != nil {
				return err
			}
		}
		line, readErr := in.ReadString('\n')
		if text := strings.TrimSpace(line); text != "" {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := p.print(text, e.Answer(ctx, question(text)), true); err != nil {
				return err
			}
		}
		if errors.Is(readErr, io.EOF) {
			return flush(out)
		}
		if readErr != nil {
			return fmt.Errorf("ask: read questions: %w", readErr)
		}
	}
}

// answerPrinter writes answers as plain text or as JSON lines.
type answerPrinter struct {
	out    *bufio.Writer
	json   *json.Encoder
	asJSON bool
}

// print writes one answer; echo repeats the question first in plain text,
// so a batch's output reads as a transcript.
func (p answerPrinter) print(question string, a bot.Answer, echo bool) error {
	if p.asJSON {
		suggestions := make([]string, len(a.Suggestions))
		for i, s := range a.Suggestions {
			suggestions[i] = s.Text
		}
		err := p.json.Encode(askJSON{
			Question:    question,
			Answer:      a.Text,
			Lang:        a.Lang,
			Intent:      a.Why.Intent,
			Confidence:  a.Why.Confidence,
			Fallback:    a.Fallback,
			Entities:    nonNil(a.Why.Entities),
			Sources:     nonNil(a.Sources),
			FromContext: a.Why.FromContext,
			Suggestions: suggestions,
		})
		if err != nil {
			return fmt.Errorf("ask: write: %w", err)
		}
		return nil
	}
	if echo {
		fmt.Fprintf(p.out, "> %s\n", question)
	}
	fmt.Fprintf(p.out, "%s\n", strings.TrimRight(a.Text, "\n"))
	if echo {
		p.out.WriteByte('\n')
	}
	return nil // a failed write surfaces at the next flush
}

// nonNil makes an absent list print as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func flush(w *bufio.Writer) error {
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
