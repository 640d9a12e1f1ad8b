package bot

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	//go:embed data/intents.yaml
	intentsYAML []byte
	//go:embed data/synonyms.yaml
	synonymsYAML []byte
	//go:embed data/messages.yaml
	messagesYAML []byte
	//go:embed data/words.txt
	wordsTXT string
)

// Pseudo-intents of the phrasing data, resolved by the engine.
const (
	intentPairing  Intent = "pairing"
	intentFollowup Intent = "followup"
	intentOffTopic Intent = "off_topic"
)

// messages holds every sentence per locale.
type messages map[Locale]map[string]string

func loadMessages() (messages, error) {
	var m messages
	if err := yaml.Unmarshal(messagesYAML, &m); err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	for key := range m[English] {
		if m[Chinese][key] == "" {
			return nil, fmt.Errorf("load messages: %q has no Chinese text", key)
		}
	}
	for key := range m[Chinese] {
		if m[English][key] == "" {
			return nil, fmt.Errorf("load messages: %q has no English text", key)
		}
	}
	return m, nil
}

// placeholders stand in for entities in the example phrasings: each is
// replaced by a name the finder knows, so examples and questions go through
// one pipeline.
var placeholders = map[Locale]*strings.Replacer{
	English: strings.NewReplacer("{place}", " ganzhou ", "{province}", " hunan ", "{area}", " dabie ", "{task}", " red culture "),
	Chinese: strings.NewReplacer("{place}", "赣州", "{province}", "湖南", "{area}", "大别山", "{task}", "红色文化"),
}

// newClassifier builds the scorer from the phrasing data and the synonyms.
func newClassifier(an *analyzer, syn synonyms) (*classifier, error) {
	var phr map[Intent]map[Locale][]string
	if err := yaml.Unmarshal(intentsYAML, &phr); err != nil {
		return nil, fmt.Errorf("load intents: %w", err)
	}
	c := &classifier{vocab: map[string]int{}, synEN: map[string]string{}, common: an.words, cues: map[string][]int{}}
	var rawWords []string
	seen := map[string]bool{}
	addRaw := func(w string) {
		if !seen[w] && !an.finder.isName(w) {
			seen[w] = true
			rawWords = append(rawWords, w)
		}
	}
	for canon, words := range syn[string(English)] {
		addRaw(canon)
		for _, w := range words {
			c.synEN[w] = canon
			addRaw(w)
		}
	}
	var pairs []string // Chinese synonym pairs for the replacer, longest first
	type zhSyn struct{ from, to string }
	var zh []zhSyn
	for canon, words := range syn[string(Chinese)] {
		for _, w := range words {
			zh = append(zh, zhSyn{w, canon})
		}
	}
	sort.Slice(zh, func(i, j int) bool { return len(zh[i].from) > len(zh[j].from) })
	for _, s := range zh {
		pairs = append(pairs, s.from, s.to)
	}
	c.synZH = strings.NewReplacer(pairs...)

	// Collect each example's features as strings, then weight them.
	type draft struct {
		intent Intent
		feats  []string
	}
	var drafts []draft
	df := map[string]map[Intent]bool{}
	intents := make([]Intent, 0, len(phr))
	for intent := range phr {
		intents = append(intents, intent)
	}
	sort.Slice(intents, func(i, j int) bool { return intents[i] < intents[j] })
	for _, intent := range intents {
		for _, loc := range []Locale{English, Chinese} {
			for _, p := range phr[intent][loc] {
				q := an.analyze(placeholders[loc].Replace(p))
				for _, t := range q.tokens {
					if !t.han {
						addRaw(t.text)
					}
				}
				var f featureSink
				f.collect = true
				c.features(q, &f)
				if len(f.words) == 0 {
					return nil, fmt.Errorf("load intents: %s example %q has no features", intent, p)
				}
				drafts = append(drafts, draft{intent, f.words})
				for _, w := range f.words {
					if df[w] == nil {
						df[w] = map[Intent]bool{}
					}
					df[w][intent] = true
				}
			}
		}
	}
	n := float64(len(intents))
	maxIDF := 0.0
	for w, in := range df {
		c.vocab[w] = len(c.idf)
		idf := math.Log(1 + n/float64(len(in)))
		c.idf = append(c.idf, idf)
		maxIDF = max(maxIDF, idf)
	}
	c.unknown = unknownWeight * maxIDF
	for cue, feats := range syn["cues"] {
		for _, w := range feats {
			if id, ok := c.vocab[w]; ok {
				c.cues[cue] = append(c.cues[cue], id)
			}
		}
		if len(c.cues[cue]) == 0 {
			return nil, fmt.Errorf("load synonyms: cue %q names no feature of the phrasings", cue)
		}
	}
	c.intents = intents
	c.postings = make([][]int32, len(c.idf))
	for n, d := range drafts {
		ex := example{intent: sort.Search(len(intents), func(i int) bool { return intents[i] >= d.intent })}
		norm := 0.0
		for _, w := range d.feats {
			id := c.vocab[w]
			if p := c.postings[id]; len(p) == 0 || p[len(p)-1] != int32(n) {
				c.postings[id] = append(p, int32(n))
				norm += c.idf[id] * c.idf[id]
			}
		}
		ex.invNorm = 1 / math.Sqrt(norm)
		c.examples = append(c.examples, ex)
	}
	c.scratch.New = func() any {
		return &scoreScratch{dot: make([]float64, len(c.examples)), best: make([]float64, len(c.intents))}
	}
	sort.Strings(rawWords)
	c.rawNames = rawWords
	c.words = make(map[string]string, len(rawWords)+len(an.words))
	for _, w := range rawWords {
		c.words[w] = c.feature(w)
	}
	for w := range an.words {
		c.words[w] = c.feature(w)
	}
	c.rawWords = newTypoIndex(rawWords)
	return c, nil
}

// unknownWeight scales the weight of a word no example uses, relative to the
// rarest known word: unknown words make the bot less sure, so "what is the
// population of Ganzhou" does not pass for a pairing question.
const unknownWeight = 0.6

// synonyms is the shape of synonyms.yaml: canonical word -> its synonyms, per
// language, plus "variants": characters people type for those of place names.
type synonyms map[string]map[string][]string

func loadSynonyms() (synonyms, error) {
	var syn synonyms
	if err := yaml.Unmarshal(synonymsYAML, &syn); err != nil {
		return nil, fmt.Errorf("load synonyms: %w", err)
	}
	return syn, nil
}

// variantPairs turns the variants into strings.NewReplacer's old, new pairs.
func (s synonyms) variantPairs() []string {
	var pairs []string
	for canon, typed := range s["variants"] {
		for _, t := range typed {
			pairs = append(pairs, t, canon)
		}
	}
	return pairs
}

func loadWords() map[string]bool {
	words := map[string]bool{}
	for _, line := range strings.Split(wordsTXT, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			words[w] = true
		}
	}
	return words
}
