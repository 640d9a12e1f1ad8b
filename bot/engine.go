package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/planbot/planbot/knowledge"
)

// Engine answers questions about the plan. It is safe for concurrent use.
type Engine struct {
	kb       *knowledge.Base
	analyzer *analyzer
	scorer   *classifier
	msg      messages
	contexts *contexts
	now      func() time.Time
	// cityNames are the key cities' Latin names, for "did you mean";
	// cityIDs[i] is the place cityNames[i] names.
	cityNames, cityIDs []string
}

// Options tunes an Engine; the zero value is ready to use.
type Options struct {
	// ContextTTL is how long a conversation's context survives silence (default 10 minutes).
	ContextTTL time.Duration
	// MaxConversations bounds the context store (default 100,000).
	MaxConversations int
	// Now is the clock (default time.Now); tests set it to expire contexts.
	Now func() time.Time
}

// New returns an engine over kb. It fails only if the engine's own embedded
// data (phrasings, synonyms, messages) is broken.
func New(kb *knowledge.Base, opts Options) (*Engine, error) {
	if opts.ContextTTL <= 0 {
		opts.ContextTTL = 10 * time.Minute
	}
	if opts.MaxConversations <= 0 {
		opts.MaxConversations = 100_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	msg, err := parsedMessages()
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	syn, err := loadSynonyms()
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	an := newAnalyzer(kb, syn.variantPairs())
	scorer, err := newClassifier(an, syn)
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	// The phrasings' own words are known words too: never a misspelt place,
	// never an unknown name.
	for _, w := range scorer.rawNames {
		an.words[w] = true
	}
	names, ids := keyCityNames(kb)
	return &Engine{
		cityNames: names,
		cityIDs:   ids,
		kb:        kb,
		analyzer:  an,
		scorer:    scorer,
		msg:       msg,
		contexts:  newContexts(opts.ContextTTL, opts.MaxConversations),
		now:       opts.Now,
	}, nil
}

// Answer answers one question. It never fails: what it does not know gets a
// fallback answer with Fallback set.
func (e *Engine) Answer(ctx context.Context, q Question) Answer {
	now := e.now()
	qa := e.analyzer.analyze(q.Text)
	lang := e.language(qa, q)
	prev, hasPrev := e.contexts.get(q.ConversationID, now)

	var f featureSink
	f.ids = make([]int, 0, 16)
	e.scorer.features(qa, &f)
	var buf [8]scored
	ranked := e.scorer.score(&f, buf[:0])
	r := e.resolve(qa, &f, ranked, prev, hasPrev)
	a := e.compose(r, lang)
	a.Why.NormalizedQuery = qa.text
	if !a.Fallback {
		e.contexts.put(q.ConversationID, r.remember(e.kb, now))
	}
	return a
}

// language picks the answer language: Chinese for Chinese text, English for
// other words, else the asker's locale ("ganzhou?" from a Chinese user).
func (e *Engine) language(qa *analysis, q Question) Locale {
	switch {
	case q.Lang != "":
		return q.Lang
	case qa.han:
		return Chinese
	case qa.latin:
		return English
	default:
		return LocaleOf(q.Locale)
	}
}

// Suggested returns the question behind a suggestion key, in locale.
func (e *Engine) Suggested(key string, locale Locale) (string, bool) {
	s, ok := e.parseSuggestion(key, locale)
	return s.Text, ok
}
