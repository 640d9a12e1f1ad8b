package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// maxQuestionRunes caps what is matched: questions are short, and the cap
// bounds the work any message can cause.
const maxQuestionRunes = 500

// normalize folds a message to the form matching works on: valid UTF-8,
// platform markup removed (Discord mentions, Telegram /cmd@bot suffixes,
// @names), NFKC with full-width folded to half-width, lower case, apostrophes
// dropped ("Ji'an" -> "jian"), every other non-letter non-digit a space,
// spaces collapsed, at most maxQuestionRunes runes.
func normalize(s string) string {
	if len(s) > 4*maxQuestionRunes*2 {
		s = s[:4*maxQuestionRunes*2] // markup may shrink; keep room for it
	}
	s = strings.ToValidUTF8(s, " ")
	s = stripMarkup(s)
	if !isASCII(s) {
		s = width.Fold.String(norm.NFKC.String(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	space, runes, skip := true, 0, 0
	for i, r := range s {
		if runes >= maxQuestionRunes {
			break
		}
		if i < skip {
			continue
		}
		switch {
		case isApostrophe(r):
			// Drop it: "ji'an" and "jian" are one name. A possessive goes
			// whole: "Wuhan's partner" asks about Wuhan.
			size := utf8.RuneLen(r)
			if next := i + size; next < len(s) && (s[next] == 's' || s[next] == 'S') &&
				(next+1 == len(s) || !isWordByte(s[next+1])) {
				skip = next + 1
			}
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
			runes++
		case r == '+': // "1+N+X"
			b.WriteRune(r)
			space = false
			runes++
		default:
			if !space {
				b.WriteByte(' ')
				space = true
				runes++
			}
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == '`' || r == 'ʼ'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stripMarkup removes what is markup, not words: Discord mention markup
// (<@1>, <@!1>, <@&1>, <#1>, <:emoji:1>), HTML tags and entities, links, the
// @bot suffix of Telegram commands (/ask@planbot), a leading /ask, and @names.
func stripMarkup(s string) string {
	if !strings.ContainsAny(s, "<@/&") {
		return s
	}
	if cmd, rest, ok := strings.Cut(s, " "); strings.HasPrefix(s, "/") && strings.Contains(cmd, "@") {
		// "/ask@planbot_bot who ..." -> "/ask who ..."
		cmd, _, _ = strings.Cut(cmd, "@")
		if ok {
			s = cmd + " " + rest
		} else {
			s = cmd
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 && (isDiscordMarkup(s[i+1:i+j]) || isHTMLTag(s[i+1:i+j])) {
				b.WriteByte(' ')
				i += j + 1
				continue
			}
		case c == '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j < 10 && isEntityName(s[i+1:i+j]) {
				b.WriteByte(' ')
				i += j + 1
				continue
			}
		case (c == 'h' || c == 'w') && (i == 0 || s[i-1] == ' ' || s[i-1] == '(') && isLinkStart(s[i:]):
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != ')' && s[j] != '\n' {
				j++
			}
			b.WriteByte(' ')
			i = j
			continue
		case c == '@' && (i == 0 || !isWordByte(s[i-1])):
			j := i + 1
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j > i+1 {
				b.WriteByte(' ')
				i = j
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	out := strings.TrimSpace(b.String())
	if rest, ok := strings.CutPrefix(out, "/ask"); ok && (rest == "" || rest[0] == ' ') {
		out = rest
	}
	return out
}

// isDiscordMarkup reports whether the text between < and > is a mention,
// channel, role or custom emoji.
func isDiscordMarkup(inner string) bool {
	switch {
	case strings.HasPrefix(inner, "@&"), strings.HasPrefix(inner, "@!"):
		return allDigits(inner[2:])
	case strings.HasPrefix(inner, "@"), strings.HasPrefix(inner, "#"):
		return allDigits(inner[1:])
	case strings.HasPrefix(inner, ":"), strings.HasPrefix(inner, "a:"):
		k := strings.LastIndexByte(inner, ':')
		return k > 0 && allDigits(inner[k+1:])
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && isHan(r) {
			return true
		}
	}
	return false
}

// isHTMLTag reports whether the text between < and > is an HTML tag: <b>, </i>, <a href=...>.
func isHTMLTag(inner string) bool {
	inner = strings.TrimPrefix(inner, "/")
	if inner == "" || !(inner[0] >= 'a' && inner[0] <= 'z' || inner[0] >= 'A' && inner[0] <= 'Z') {
		return false
	}
	name, attrs, spaced := strings.Cut(inner, " ")
	if spaced && !strings.Contains(attrs, "=") {
		return false // "a<b and c>d" is text, <a href="..."> a tag
	}
	return htmlTags[strings.ToLower(name)]
}

// htmlTags are the tags people paste into chat (Telegram's HTML among them).
var htmlTags = map[string]bool{
	"a": true, "b": true, "i": true, "u": true, "s": true, "em": true, "strong": true, "code": true,
	"pre": true, "br": true, "p": true, "span": true, "div": true, "del": true, "ins": true,
	"strike": true, "blockquote": true, "tg-spoiler": true, "img": true, "script": true, "style": true,
}

// isEntityName reports whether s is the inside of an HTML entity: amp, #39, #x27.
func isEntityName(s string) bool {
	if s[0] == '#' {
		s = strings.TrimPrefix(strings.TrimPrefix(s[1:], "x"), "X")
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isLinkStart(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")
}
