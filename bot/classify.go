package bot

import (
	"math"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

// classifier scores a question against example phrasings of every intent:
// the question and each example become sets of features (English words after
// synonyms and stemming, Chinese character pairs, and one slot feature per
// kind of entity), weighted by how few intents use them (IDF), and compared by
// cosine similarity. An intent's score is its best example's.
type classifier struct {
	vocab    map[string]int // feature -> id
	idf      []float64
	intents  []Intent
	examples []example
	postings [][]int32        // feature id -> examples that have it
	cues     map[string][]int // "pair", "region", "count" -> feature ids that say so
	scratch  sync.Pool        // *scoreScratch
	unknown  float64          // weight of a word no example uses
	common   map[string]bool
	synEN    map[string]string
	words    map[string]string // known English word -> its feature
	synZH    *strings.Replacer
	rawWords *typoIndex // English words of the examples and synonyms, for typos
	rawNames []string
}

type example struct {
	intent  int     // index into classifier.intents
	invNorm float64 // 1 / the length of the example's feature vector
}

// scored is an intent with its score.
type scored struct {
	intent Intent
	score  float64
}

// stopZH are characters that carry no intent.
const stopZH = "的了吗呢啊吧呀嘛哦哈请您麻烦一下下告诉我想知道问"

// word maps an English token to its feature: its synonym's, else its
// Snowball stem (so "evaluated" and "evaluation" meet). Known words come from
// a table built at load; only new words are stemmed on the answer path.
func (c *classifier) word(t string) string {
	if w, ok := c.words[t]; ok {
		return w
	}
	return c.feature(t)
}

// feature computes what word looks up.
func (c *classifier) feature(t string) string {
	if s, ok := c.synEN[t]; ok {
		return s
	}
	st := english.Stem(t, false)
	if s, ok := c.synEN[st]; ok {
		return s
	}
	return st
}

// correct maps a misspelt English word to the known word it is closest to,
// if exactly one is; "hwo" -> "who", "paried" -> "paired".
func (c *classifier) correct(t string) (string, bool) {
	// Short words are one letter from too many other words ("code" and
	// "come"): below five letters only a swap of neighbours is a typo.
	swapOnly := len(t) < 5
	allow := maxTypos(len(t))
	if swapOnly {
		allow = 1
	}
	best, _ := c.rawWords.closest(t, allow)
	if len(best) != 1 {
		return "", false
	}
	w := c.rawNames[best[0]]
	if swapOnly && !isSwap(t, w) {
		return "", false
	}
	return w, true
}

func isSwap(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	diff := -1
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if diff >= 0 {
				return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
			}
			diff = i
		}
	}
	return false
}

// featureSink collects a question's features.
type featureSink struct {
	ids     []int
	unknown int
	collect bool     // building: keep every feature in words
	words   []string // the features, when collecting
}

func (c *classifier) add(f *featureSink, feat string, known func(string) bool) {
	if f.collect {
		f.words = append(f.words, feat)
		return
	}
	if id, ok := c.vocab[feat]; ok {
		for _, have := range f.ids {
			if have == id {
				return
			}
		}
		f.ids = append(f.ids, id)
		return
	}
	if known == nil || !known(feat) {
		f.unknown++
	}
}

// features turns an analysed question into features.
func (c *classifier) features(q *analysis, f *featureSink) {
	for i, t := range q.tokens {
		if t.han {
			c.hanFeatures(q, t, f)
			continue
		}
		if q.used[i] {
			continue
		}
		w := c.word(t.text)
		if _, ok := c.vocab[w]; !ok && !f.collect && !c.common[t.text] && !isNumber(t.text) {
			if fixed, ok := c.correct(t.text); ok {
				w = c.word(fixed)
			}
		}
		c.add(f, w, func(string) bool { return c.common[t.text] || isNumber(t.text) })
	}
	for _, e := range q.entities {
		c.add(f, e.kind.slot(), nil)
	}
}

// hanFeatures adds the character pairs of a Chinese token, outside entities.
func (c *classifier) hanFeatures(q *analysis, t token, f *featureSink) {
	from := t.start
	for _, e := range q.entities {
		if e.start >= t.start && e.end <= t.end && e.start >= from {
			c.hanSegment(q.text[from:e.start], f)
			from = e.end
		}
	}
	c.hanSegment(q.text[from:t.end], f)
}

func (c *classifier) hanSegment(s string, f *featureSink) {
	if s == "" {
		return
	}
	s = c.synZH.Replace(s)
	if strings.ContainsAny(s, stopZH) {
		var b strings.Builder
		b.Grow(len(s))
		for _, r := range s {
			if !strings.ContainsRune(stopZH, r) {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	// Character pairs as slices of s, not new strings: the offsets of the
	// last three characters are enough.
	var at [3]int
	n := 0
	for i := range s {
		at[0], at[1], at[2] = at[1], at[2], i
		if n++; n >= 3 {
			c.add(f, s[at[0]:at[2]], nil)
		}
	}
	switch {
	case n == 1:
		c.add(f, s, nil)
	case n >= 2:
		c.add(f, s[at[1]:], nil)
	}
}

func isNumber(s string) bool { return allDigits(s) }

// cued reports whether the question has one of the features of a cue.
func (c *classifier) cued(f *featureSink, cue string) bool {
	for _, id := range c.cues[cue] {
		if containsInt(f.ids, id) {
			return true
		}
	}
	return false
}

// score returns the intents' best scores, highest first. It walks the
// examples that share a feature with the question (an inverted index), so
// the cost follows the question, not the number of examples.
func (c *classifier) score(f *featureSink, out []scored) []scored {
	qnorm := float64(f.unknown) * c.unknown * c.unknown
	for _, id := range f.ids {
		qnorm += c.idf[id] * c.idf[id]
	}
	out = out[:0]
	if qnorm == 0 {
		return out
	}
	sc := c.scratch.Get().(*scoreScratch)
	defer c.scratch.Put(sc)
	for _, id := range f.ids {
		w2 := c.idf[id] * c.idf[id]
		if w2 < commonFeature {
			continue // in most intents' phrasings: costly to walk, nearly no say
		}
		for _, ex := range c.postings[id] {
			if sc.dot[ex] == 0 {
				sc.touched = append(sc.touched, ex)
			}
			sc.dot[ex] += w2
		}
	}
	best := sc.best[:len(c.intents)]
	inv := 1 / math.Sqrt(qnorm)
	for _, ex := range sc.touched {
		s := sc.dot[ex] * inv * c.examples[ex].invNorm
		sc.dot[ex] = 0
		if in := c.examples[ex].intent; s > best[in] {
			best[in] = s
		}
	}
	sc.touched = sc.touched[:0]
	for in, s := range best {
		if s == 0 {
			continue
		}
		best[in] = 0
		// Insert in order; there are few intents.
		out = append(out, scored{})
		k := len(out) - 1
		for k > 0 && out[k-1].score < s {
			out[k] = out[k-1]
			k--
		}
		out[k] = scored{c.intents[in], s}
	}
	return out
}

// commonFeature is the squared weight below which a feature is left out of
// the dot products (it still counts in the question's length): a word used by
// over half the intents' phrasings ("what", "is") tells them apart too little
// to be worth walking its long list of examples.
const commonFeature = 1.0

// scoreScratch is score's working memory, reused through a pool.
type scoreScratch struct {
	dot     []float64 // per example
	touched []int32
	best    []float64 // per intent
}
