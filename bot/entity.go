package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/planbot/planbot/knowledge"
)

// entityKind is the kind of thing a question names.
type entityKind int

const (
	entityPlace entityKind = iota + 1
	entityProvince
	entityArea
	entityTask
)

// slot is the feature an entity leaves in the question for intent scoring.
func (k entityKind) slot() string {
	switch k {
	case entityPlace:
		return "#place"
	case entityProvince:
		return "#province"
	case entityArea:
		return "#area"
	case entityTask:
		return "#task"
	default:
		return "#unknown"
	}
}

// entity is something the question names, found at text[start:end].
type entity struct {
	kind       entityKind
	id         string // place, province or base area id
	task       int    // task number, for entityTask
	start, end int
	typo       bool // found by typo tolerance, not exactly
}

// token is a run of Chinese characters, or of other letters and digits, in
// the normalised question.
type token struct {
	text       string
	start, end int
	han        bool
}

// tokenize splits normalised text at spaces and between Chinese and other
// characters ("张家界and" is two tokens).
func tokenize(s string, out []token) []token {
	start, han := -1, false
	for i, r := range s {
		if r == ' ' {
			if start >= 0 {
				out = append(out, token{s[start:i], start, i, han})
				start = -1
			}
			continue
		}
		h := r >= 0x2E80 && isHan(r)
		if start >= 0 && h != han {
			out = append(out, token{s[start:i], start, i, han})
			start = -1
		}
		if start < 0 {
			start, han = i, h
		}
	}
	if start >= 0 {
		out = append(out, token{s[start:], start, len(s), han})
	}
	return out
}

// finder finds places, provinces, base areas and tasks in normalised text.
type finder struct {
	latin     map[string][]entity // alias key -> what it names (start/end unset)
	han       map[string][]entity
	maxHan    int // longest Chinese alias, in bytes
	maxTokens int // most tokens a Latin alias spans
	typos     *typoIndex
	typoNames [][]entity      // typo word number -> what it names
	words     map[string]bool // known English words, never taken for a misspelt place
	// namesakes maps a bare name several places share ("taizhou") to them;
	// their own aliases carry the province ("taizhou jiangsu").
	namesakes map[string][]entity
}

func newFinder(kb *knowledge.Base, words map[string]bool) *finder {
	f := &finder{latin: map[string][]entity{}, han: map[string][]entity{}, words: words, maxTokens: 1}
	kinds := map[knowledge.Kind]entityKind{
		knowledge.KindPlace: entityPlace, knowledge.KindProvince: entityProvince, knowledge.KindBaseArea: entityArea,
	}
	for _, a := range kb.Aliases() {
		f.addKey(a.Key, entity{kind: kinds[a.Kind], id: a.ID})
	}
	for _, t := range kb.Tasks() {
		for _, k := range t.Keywords {
			f.addKey(knowledge.AliasKey(k), entity{kind: entityTask, task: t.Number})
			f.maxTokens = max(f.maxTokens, len(strings.Fields(k)))
		}
	}
	// Names with spaces ("zhang jia jie", "dabie mountains") are matched as
	// the tokens joined, over as many tokens as the longest name has.
	var names [][]string
	for _, p := range kb.Places() {
		names = append(names, p.Aliases)
	}
	for _, p := range kb.Provinces() {
		names = append(names, p.Aliases)
	}
	for _, a := range kb.BaseAreas() {
		names = append(names, a.Aliases)
	}
	for _, aliases := range names {
		for _, a := range aliases {
			f.maxTokens = max(f.maxTokens, len(strings.Fields(a)))
		}
	}
	f.namesakes = namesakesOf(kb, f.latin)
	// Misspelt names: the plan's cities, provinces and base areas with Latin
	// keys. Cities the plan does not name are found only when spelt right, so
	// a typo of a key city is never taken for a namesake outside the plan.
	var typoWords []string
	for key, es := range f.latin {
		if es[0].kind == entityTask || words[key] {
			continue
		}
		if p, ok := kb.Place(es[0].id); ok && es[0].kind == entityPlace && p.Role == knowledge.RoleOther {
			continue
		}
		typoWords = append(typoWords, key)
		f.typoNames = append(f.typoNames, es)
	}
	f.typos = newTypoIndex(typoWords)
	return f
}

// namesakesOf finds bare names shared by places whose aliases say the
// province ("taizhou jiangsu", "jiangsu taizhou"), and that name nothing on
// their own.
func namesakesOf(kb *knowledge.Base, latin map[string][]entity) map[string][]entity {
	out := map[string][]entity{}
	for _, p := range kb.Places() {
		for _, a := range p.Aliases {
			words := strings.Fields(a)
			if len(words) != 2 {
				continue
			}
			for i, w := range words {
				province, bare := knowledge.AliasKey(words[1-i]), knowledge.AliasKey(w)
				if es, ok := latin[province]; !ok || es[0].kind != entityProvince || latin[bare] != nil {
					continue
				}
				e := entity{kind: entityPlace, id: p.ID}
				if !containsEntity(out[bare], e) {
					out[bare] = append(out[bare], e)
				}
			}
		}
	}
	for bare, es := range out {
		if len(es) < 2 {
			delete(out, bare)
		}
	}
	return out
}

func containsEntity(es []entity, e entity) bool {
	for _, have := range es {
		if have.kind == e.kind && have.id == e.id {
			return true
		}
	}
	return false
}

func (f *finder) addKey(key string, e entity) {
	m := f.latin
	if hasHan(key) {
		m = f.han
		f.maxHan = max(f.maxHan, len(key))
	}
	for _, have := range m[key] {
		if have.kind == e.kind && have.id == e.id && have.task == e.task {
			return
		}
	}
	m[key] = append(m[key], e)
}

// find returns the entities in the tokens, and marks the tokens they cover.
func (f *finder) find(toks []token, used []bool, out []entity) []entity {
	var buf [64]byte
	// Exact Latin names over up to maxTokens tokens, longest first.
	for i := 0; i < len(toks); i++ {
		if toks[i].han {
			continue
		}
		for n := min(f.maxTokens, len(toks)-i); n >= 1; n-- {
			key, ok := joinTokens(buf[:0], toks[i:i+n])
			if !ok {
				continue
			}
			if es, ok := f.latin[string(key)]; ok {
				out = appendEntities(out, es, toks[i].start, toks[i+n-1].end, false)
				markUsed(used, i, n)
				i += n - 1
				break
			}
		}
	}
	// A bare name several places share: all of them ("Taizhou").
	for i, t := range toks {
		if es, ok := f.namesakes[t.text]; ok && !used[i] && !t.han {
			out = appendEntities(out, es, t.start, t.end, false)
			used[i] = true
		}
	}
	// Chinese names inside unsegmented text, longest first at each position.
	for i, t := range toks {
		if !t.han {
			continue
		}
		out = f.findHan(t, out)
		if len(out) > 0 {
			used[i] = used[i] || coversAny(out, t)
		}
	}
	// Misspelt Latin names: one to three unknown tokens joined ("zhang jia jei").
	for i := 0; i < len(toks); i++ {
		if used[i] || toks[i].han || f.words[toks[i].text] {
			continue
		}
		for n := min(3, len(toks)-i); n >= 1; n-- {
			if !allFree(toks[i:i+n], used[i:i+n], f.words) {
				continue
			}
			key, ok := joinTokens(buf[:0], toks[i:i+n])
			if !ok || len(key) < 4 {
				continue
			}
			best, _ := f.typos.closest(string(key), maxNameTypos(len(key)))
			if len(best) != 1 || !sameStart(string(key), f.typos.words[best[0]]) {
				continue // none, a tie between two names, or a different start: never guess
			}
			out = appendEntities(out, f.typoNames[best[0]], toks[i].start, toks[i+n-1].end, true)
			markUsed(used, i, n)
			i += n - 1
			break
		}
	}
	return out
}

func (f *finder) findHan(t token, out []entity) []entity {
	s := t.text
	for i := 0; i < len(s); {
		matched := false
		for l := min(f.maxHan, len(s)-i); l >= 6; l-- { // two characters at least
			if i+l < len(s) && !utf8.RuneStart(s[i+l]) {
				continue
			}
			if es, ok := f.han[s[i:i+l]]; ok {
				out = appendEntities(out, es, t.start+i, t.start+i+l, false)
				i += l
				matched = true
				break
			}
		}
		if !matched {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return out
}

func appendEntities(out, es []entity, start, end int, typo bool) []entity {
	for _, e := range es {
		e.start, e.end, e.typo = start, end, typo
		out = append(out, e)
	}
	return out
}

func joinTokens(buf []byte, toks []token) ([]byte, bool) {
	for _, t := range toks {
		if t.han {
			return nil, false
		}
		buf = append(buf, t.text...)
	}
	return buf, true
}

func markUsed(used []bool, i, n int) {
	for k := i; k < i+n; k++ {
		used[k] = true
	}
}

func allFree(toks []token, used []bool, words map[string]bool) bool {
	for k, t := range toks {
		if used[k] || t.han || words[t.text] {
			return false
		}
	}
	return true
}

func coversAny(es []entity, t token) bool {
	for _, e := range es {
		if e.start >= t.start && e.end <= t.end {
			return true
		}
	}
	return false
}

// isName reports whether w is a Latin name the finder knows.
func (f *finder) isName(w string) bool {
	_, ok := f.latin[w]
	return ok
}

// refine settles names that mean two things. A municipality (Shanghai) is both
// a city and a province: the city is meant. A place named with a province may
// be a namesake in that province ("Suzhou, Anhui" is 宿州, not 苏州).
func (f *finder) refine(toks []token, es []entity) []entity {
	out := es[:0]
	for _, e := range es {
		if e.kind == entityProvince && spanHasPlace(es, e) {
			continue
		}
		out = append(out, e)
	}
	for i, e := range out {
		if e.kind != entityPlace {
			continue
		}
		for j, pr := range out {
			if pr.kind != entityProvince {
				continue
			}
			if named, ok := f.latin[textOf(toks, e)+textOf(toks, pr)]; ok && named[0].kind == entityPlace {
				out[i].id = named[0].id
				out[j].kind = 0 // the province was part of the name
			}
		}
	}
	kept := out[:0]
	for _, e := range out {
		if e.kind != 0 {
			kept = append(kept, e)
		}
	}
	return kept
}

func spanHasPlace(es []entity, e entity) bool {
	for _, o := range es {
		if o.kind == entityPlace && o.start == e.start && o.end == e.end {
			return true
		}
	}
	return false
}

// textOf is the Latin name as found, spaces removed ("suzhou").
func textOf(toks []token, e entity) string {
	var b []byte
	for _, t := range toks {
		if t.start >= e.start && t.end <= e.end && !t.han {
			b = append(b, t.text...)
		}
	}
	return string(b)
}

// maxNameTypos is how many edits a misspelt name of n letters may carry.
// Stricter than for other words: a real city the plan does not name is often
// a letter or two from one it does (Changzhou, Hangzhou, Chenzhou), and taking
// one for the other would be a wrong pairing.
func maxNameTypos(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 10:
		return 1
	default:
		return 2
	}
}

// sameStart reports whether a typo keeps the name's first letter, or swaps
// the first two: people rarely mistype how a name begins.
func sameStart(typed, name string) bool {
	return typed[0] == name[0] || len(typed) > 1 && len(name) > 1 && typed[0] == name[1] && typed[1] == name[0]
}
