package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{name: "short text is one message", text: "a\nb", limit: 10, want: []string{"a\nb"}},
		{name: "exactly the limit", text: "abcd", limit: 4, want: []string{"abcd"}},
		{name: "cut between lines", text: "aaa\nbbb\nccc", limit: 8, want: []string{"aaa\nbbb", "ccc"}},
		{name: "each line alone", text: "aaaa\nbbbb", limit: 4, want: []string{"aaaa", "bbbb"}},
		{name: "a long line cut at a space", text: "one two three four", limit: 10, want: []string{"one two ", "three four"}},
		{name: "a long line without spaces cut anywhere", text: "abcdefghij", limit: 4, want: []string{"abcd", "efgh", "ij"}},
		{name: "an early space is not worth it", text: "a bcdefghij", limit: 6, want: []string{"a bcde", "fghij"}},
		{name: "emoji count two units", text: "😀😀😀", limit: 4, want: []string{"😀😀", "😀"}},
		{name: "CJK counts one unit", text: "张家界南京", limit: 3, want: []string{"张家界", "南京"}},
		{name: "blank parts are dropped", text: "a\n\n\n\n\n\nb", limit: 2, want: []string{"a", "b"}},
		{name: "only blanks", text: " \n \n", limit: 10, want: nil},
		{name: "empty", text: "", limit: 10, want: nil},
		{name: "invalid UTF-8 is replaced", text: "a\xffb", limit: 10, want: []string{"a\uFFFDb"}},
		{name: "limit below one rune still progresses", text: "😀a", limit: 1, want: []string{"😀", "a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := split(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("split(%q, %d) = %q; want %q", tc.text, tc.limit, got, tc.want)
			}
		})
	}
}

func TestSplitKeepsEverythingWithinTheLimit(t *testing.T) {
	var long strings.Builder
	for i := range 400 {
		long.WriteString(strings.Repeat("城市 pair ", i%30))
		long.WriteString("😀\n")
	}
	long.WriteString(strings.Repeat("x", 9000)) // one line over twice the limit
	text := long.String()
	parts := split(text, maxMessageLen)
	if len(parts) < 3 {
		t.Fatalf("split of %d bytes gave %d parts; want at least 3", len(text), len(parts))
	}
	total := 0
	for i, p := range parts {
		if n := utf16Len(p); n > maxMessageLen || n == 0 || !utf8.ValidString(p) {
			t.Errorf("part %d: %d UTF-16 units, valid UTF-8 %t; want 1-%d, valid", i, n, utf8.ValidString(p), maxMessageLen)
		}
		total += len(strings.ReplaceAll(p, "\n", ""))
	}
	if want := len(strings.ReplaceAll(text, "\n", "")); total != want {
		t.Errorf("parts hold %d bytes besides newlines; want %d (nothing lost)", total, want)
	}
}

func TestKeyboard(t *testing.T) {
	tests := []struct {
		name        string
		suggestions []bot.Suggestion
		want        []string // callback data, one button per row
	}{
		{name: "none", suggestions: nil, want: nil},
		{name: "one per row", suggestions: []bot.Suggestion{{Text: "A?", Key: "a"}, {Text: "B?", Key: "b"}}, want: []string{"a", "b"}},
		{name: "keys too long for Telegram are left out", suggestions: []bot.Suggestion{{Text: "A?", Key: strings.Repeat("k", 65)}, {Text: "B?", Key: "b"}}, want: []string{"b"}},
		{name: "empty keys and texts are left out", suggestions: []bot.Suggestion{{Text: "A?"}, {Text: " ", Key: "b"}}, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kb := keyboard(tc.suggestions)
			var got []string
			if kb != nil {
				for _, row := range kb.InlineKeyboard {
					if len(row) != 1 {
						t.Errorf("row has %d buttons; want 1", len(row))
					}
					for _, b := range row {
						got = append(got, b.CallbackData)
					}
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("keyboard(%v) = %q; want %q", tc.suggestions, got, tc.want)
			}
			if tc.want == nil && kb != nil {
				t.Errorf("keyboard(%v) = %v; want nil (no reply_markup at all)", tc.suggestions, kb)
			}
		})
	}
}
