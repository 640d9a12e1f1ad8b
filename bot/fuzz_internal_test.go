package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planbot/planbot/knowledge"
)

var fuzzSeeds = []string{
	"Who is Zhangjiajie paired with?", "张家界和哪个城市结对", "<@123> zhang jia jei?", "/ask@planbot luan",
	"Ｇａｎｚｈｏｕ？", "\x00\xff\xfe", "@everyone <@&1>", "第三项任务", "Suzhou Anhui", "郴洲呢", "\u202ejian\u200b",
}

// FuzzNormalize: normalising never panics, yields valid UTF-8 within the rune
// cap, is idempotent, and leaves no markup or punctuation behind.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if c := utf8.RuneCountInString(n); c > maxQuestionRunes {
			t.Fatalf("normalize(%q) has %d runes; cap is %d", s, c, maxQuestionRunes)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("normalize(%q) = %q: spaces not collapsed", s, n)
		}
		if again := normalize(n); again != n {
			t.Fatalf("normalize is not idempotent: %q -> %q -> %q", s, n, again)
		}
	})
}

// FuzzFind: finding places never panics, and every entity lies inside the
// normalised text on token boundaries.
func FuzzFind(f *testing.F) {
	kb, err := knowledge.Load()
	if err != nil {
		f.Fatal(err)
	}
	an := newAnalyzer(kb, nil)
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := an.analyze(s)
		for _, e := range q.entities {
			if e.start < 0 || e.end > len(q.text) || e.start >= e.end {
				t.Fatalf("analyze(%q): entity %+v outside %q", s, e, q.text)
			}
			if !utf8.ValidString(q.text[e.start:e.end]) {
				t.Fatalf("analyze(%q): entity %+v splits a character", s, e)
			}
		}
	})
}
