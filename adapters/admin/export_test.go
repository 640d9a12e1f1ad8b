package admin

import "github.com/prometheus/client_golang/prometheus"

// Test-only access to single series, for testutil.ToFloat64.

func (m *Metrics) QuestionsCounter(platform, intent, lang string) prometheus.Counter {
	return m.questions.WithLabelValues(platform, intent, lang)
}

func (m *Metrics) FallbacksCounter(platform string) prometheus.Counter {
	return m.fallbacks.WithLabelValues(platform)
}

func (m *Metrics) PlatformErrorsCounter(platform, op string) prometheus.Counter {
	return m.platformErrors.WithLabelValues(platform, op)
}

func (m *Metrics) RateLimitedCounter(platform string) prometheus.Counter {
	return m.rateLimited.WithLabelValues(platform)
}
