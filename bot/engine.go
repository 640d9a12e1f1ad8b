package bot

import (
	"context"
	"time"

	"github.com/planbot/planbot/knowledge"
)

// Engine answers questions about the plan. It is safe for concurrent use.
type Engine struct {
	kb *knowledge.Base
}

// Options tunes an Engine; the zero value is ready to use.
type Options struct {
	// ContextTTL is how long a conversation's context survives silence (default 10 minutes).
	ContextTTL time.Duration
	// MaxConversations bounds the context store (default 100,000).
	MaxConversations int
}

// New returns an engine over kb.
func New(kb *knowledge.Base, opts Options) *Engine {
	return &Engine{kb: kb}
}

// Answer answers one question. It never fails: what it does not know gets a
// fallback answer with Fallback set.
func (e *Engine) Answer(ctx context.Context, q Question) Answer {
	return Answer{Text: "I don't know that yet.", Lang: English, Fallback: true, Why: Explanation{Intent: IntentFallback}}
}

// Command answers a platform command (/start, /help, /pairs, /tasks, /about)
// in the asker's locale. CommandAsk is answered like Answer.
func (e *Engine) Command(ctx context.Context, cmd Command, q Question) Answer {
	return e.Answer(ctx, q)
}

// Suggested returns the question behind a suggestion key, in locale.
func (e *Engine) Suggested(key string, locale Locale) (string, bool) {
	return "", false
}
