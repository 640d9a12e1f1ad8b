package bot

import (
	"strings"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case and punctuation", "Who is Ji'an paired with?!", "who is jian paired with"},
		{"possessive", "Wuhan's partner, Lu’an’s too", "wuhan partner luan too"},
		{"contraction", "what's up", "what up"},
		{"full-width letters and punctuation", "Ｇａｎｚｈｏｕ，ｐａｉｒｅｄ？", "ganzhou paired"},
		{"chinese punctuation", "张家界和哪个城市结对？", "张家界和哪个城市结对"},
		{"discord user, nick and role mentions", "<@123> <@!456> <@&789> hi <#42>", "hi"},
		{"discord custom emoji", "<:pog:123> <a:wave:456> hello", "hello"},
		{"telegram command with bot name", "/ask@planbot_bot who is luan paired with", "who is luan paired with"},
		{"telegram mention", "@planbot_bot ganzhou", "ganzhou"},
		{"emoji and symbols", "🎉🎉 ganzhou ✨", "ganzhou"},
		{"html and entities", "<b>who</b> &amp; <i>whom</i>", "who whom"},
		{"links", "see https://example.com/x?y=1 ganzhou", "see ganzhou"},
		{"zero-width and rtl marks", "gan\u200bzhou\u202e", "gan zhou"},
		{"invalid utf-8", "gan\xffzhou", "gan zhou"},
		{"control characters", "a\x00b\x07c", "a b c"},
		{"collapsed spaces", "  a \t\n b  ", "a b"},
		{"1+N+X keeps its plus", "the 1+N+X system", "the 1+n+x system"},
		{"not a mention", "a<b and c>d", "a b and c d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := normalize(tc.in); got != tc.want {
				t.Errorf("normalize(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeCapsLength(t *testing.T) {
	got := normalize(strings.Repeat("ganzhou ", 10_000))
	if n := len([]rune(got)); n > maxQuestionRunes {
		t.Errorf("normalize(80 KB) has %d runes; want at most %d", n, maxQuestionRunes)
	}
}

func TestContextsBounded(t *testing.T) {
	c := newContexts(time.Hour, 3)
	now := time.Unix(0, 0)
	for _, id := range []string{"a", "b", "c", "d"} {
		c.put(id, turn{intent: IntentPartnerOf, at: now})
	}
	if c.len() != 3 {
		t.Fatalf("len = %d after 4 puts with max 3; want 3", c.len())
	}
	if _, ok := c.get("a", now); ok {
		t.Error(`get("a") found the least recently used conversation; want it dropped`)
	}
	c.get("b", now) // b is now the most recent
	c.put("e", turn{at: now})
	if _, ok := c.get("b", now); !ok {
		t.Error(`get("b") lost a recently read conversation`)
	}
	if _, ok := c.get("c", now); ok {
		t.Error(`get("c") found the least recently used conversation; want it dropped`)
	}
	if _, ok := c.get("", now); ok {
		t.Error(`get("") found a context; an empty conversation id has none`)
	}
}

func TestTypos(t *testing.T) {
	ix := newTypoIndex([]string{"zhangjiajie", "chenzhou", "ganzhou", "jinan", "jian", "hunan", "henan"})
	tests := []struct {
		tok  string
		want string // "" = no single answer
	}{
		{"zhangjiajei", "zhangjiajie"}, // swap
		{"chenzou", "chenzhou"},        // missing letter
		{"ganzhouu", "ganzhou"},        // extra letter
		{"gamzhou", "ganzhou"},         // wrong letter
		{"hanan", ""},                  // hunan or henan: never guess
		{"xyzzy", ""},
	}
	for _, tc := range tests {
		best, _ := ix.closest(tc.tok, maxTypos(len(tc.tok)))
		got := ""
		if len(best) == 1 {
			got = ix.words[best[0]]
		}
		if got != tc.want {
			t.Errorf("closest(%q) = %q; want %q", tc.tok, got, tc.want)
		}
	}
}
