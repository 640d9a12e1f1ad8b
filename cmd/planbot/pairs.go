package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"

	"github.com/planbot/planbot/bot"
)

// pairs prints the engine's list of every pair as a table, in English or Chinese.
func pairs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pairs", flag.ContinueOnError)
	lang := fs.String("lang", "en", "list in `en` or zh")
	cfg, err := loadConfig("pairs", "Usage: planbot pairs [flags]\n", fs, args, getenv, stderr)
	if err != nil {
		return err
	}
	if *lang != string(bot.English) && *lang != string(bot.Chinese) {
		return fmt.Errorf("pairs: --lang %q: want en or zh", *lang)
	}
	if len(fs.Args()) > 0 {
		return fmt.Errorf("pairs: unexpected arguments %q", fs.Args())
	}
	e, err := newEngine(cfg)
	if err != nil {
		return err
	}
	a := e.Command(ctx, bot.CommandPairs, bot.Question{Locale: *lang, Lang: bot.Locale(*lang)})
	w := bufio.NewWriter(stdout)
	if len(a.Lines) == 0 {
		fmt.Fprintln(w, strings.TrimRight(a.Text, "\n"))
	} else {
		fmt.Fprintln(w, a.Title)
		writeTable(w, a.Lines)
		fmt.Fprintln(w, a.Source)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("pairs: write: %w", err)
	}
	return nil
}

// pairSeparator divides a pair line's key city from its partner.
const pairSeparator = " — "

// writeTable lays the engine's numbered pair lines ("1. Ganzhou (Jiangxi) —
// Shenzhen (Guangdong)") out in aligned columns; a line without a partner
// (the unknown pair) runs across. Chinese characters count two columns wide,
// as terminals draw them.
func writeTable(w io.Writer, lines []string) {
	rows := make([][]string, len(lines))
	widths := make([]int, 3)
	for i, line := range lines {
		num, rest, ok := strings.Cut(line, ". ")
		if ok {
			num += "."
		} else {
			num, rest = "", line
		}
		row := []string{num}
		if key, partner, ok := strings.Cut(rest, pairSeparator); ok {
			row = append(row, key, partner)
		} else {
			row = append(row, rest)
		}
		for c, cell := range row[:len(row)-1] {
			widths[c] = max(widths[c], displayWidth(cell))
		}
		rows[i] = row
	}
	for _, row := range rows {
		for c, cell := range row {
			pad := widths[c] - displayWidth(cell)
			switch {
			case c == 0: // numbers align right
				fmt.Fprint(w, strings.Repeat(" ", pad)+cell+"  ")
			case c < len(row)-1:
				fmt.Fprint(w, cell+strings.Repeat(" ", pad)+"  ")
			default:
				fmt.Fprintln(w, cell)
			}
		}
	}
}

// displayWidth is how many terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
