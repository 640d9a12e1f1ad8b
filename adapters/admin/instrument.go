package admin

import (
	"context"
	"log/slog"
	"time"

	"github.com/planbot/planbot/bot"
)

// answerer is the engine as the adapters see it.
type answerer interface {
	Answer(ctx context.Context, q bot.Question) bot.Answer
	Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer
	Suggested(key string, locale bot.Locale) (string, bool)
}

// Instrumented is an engine that logs and counts every question. It has the
// engine's methods, so an adapter takes it in place of the engine.
type Instrumented struct {
	next         answerer
	platform     string
	m            *Metrics
	log          *slog.Logger
	logQuestions bool
}

// Instrument wraps the engine a (usually a *bot.Engine) for one platform:
// each question asked through it is counted in m and logged on log as one
// line with the platform, intent, confidence, latency and fallback, plus the
// question text when logQuestions is set (it is what users typed: keep it out
// of logs unless the operator asks for it). A nil m counts nothing; a nil log
// logs nothing.
func Instrument(a answerer, platform string, m *Metrics, log *slog.Logger, logQuestions bool) *Instrumented {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m != nil {
		m.platform(platform)
	}
	return &Instrumented{next: a, platform: platform, m: m, log: log, logQuestions: logQuestions}
}

// Answer answers q with the engine, then records it.
func (i *Instrumented) Answer(ctx context.Context, q bot.Question) bot.Answer {
	start := time.Now()
	a := i.next.Answer(ctx, q)
	i.record(ctx, "", q, a, time.Since(start))
	return a
}

// Command answers a platform command with the engine, then records it.
func (i *Instrumented) Command(ctx context.Context, cmd bot.Command, q bot.Question) bot.Answer {
	start := time.Now()
	a := i.next.Command(ctx, cmd, q)
	i.record(ctx, cmd, q, a, time.Since(start))
	return a
}

// Suggested passes through: the adapter then asks the suggested question
// through Answer, which records it.
func (i *Instrumented) Suggested(key string, locale bot.Locale) (string, bool) {
	return i.next.Suggested(key, locale)
}

func (i *Instrumented) record(ctx context.Context, cmd bot.Command, q bot.Question, a bot.Answer, took time.Duration) {
	intent := string(a.Why.Intent)
	if intent == "" {
		intent = "none"
	}
	lang := string(a.Lang)
	if lang == "" {
		lang = "none"
	}
	if i.m != nil {
		i.m.questions.WithLabelValues(i.platform, intent, lang).Inc()
		if a.Fallback {
			i.m.fallbacks.WithLabelValues(i.platform).Inc()
		}
		i.m.latency.WithLabelValues(i.platform).Observe(took.Seconds())
	}
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("platform", i.platform),
		slog.String("intent", intent),
		slog.Float64("confidence", a.Why.Confidence),
		slog.Duration("latency", took),
		slog.Bool("fallback", a.Fallback),
		slog.String("lang", lang),
	)
	if cmd != "" {
		attrs = append(attrs, slog.String("command", string(cmd)))
	}
	if i.logQuestions {
		attrs = append(attrs, slog.String("question", truncate(q.Text, maxLoggedQuestion)))
	}
	i.log.LogAttrs(ctx, slog.LevelInfo, "question", attrs...)
}

// maxLoggedQuestion bounds the question text in a log line: the engine reads
// no more than about 500 runes, and a 100 KB message must not make a 100 KB line.
const maxLoggedQuestion = 500

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
