// Package admin is what an operator watches: Prometheus metrics on questions,
// fallbacks, latency, platform errors and rate limits; one log line per
// question; and an HTTP listener serving /healthz, /readyz and /metrics.
//
// cmd wraps the engine once per platform with Instrument, hands each adapter
// the Observer for its platform, and runs a Server if an address is configured.
package admin

import (
	"sort"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds planbot's metrics in a registry of its own (never the global
// one, so tests and several processes in one binary do not collide) and tracks
// which adapters are connected, for readiness.
type Metrics struct {
	reg *prometheus.Registry

	questions      *prometheus.CounterVec
	fallbacks      *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	platformErrors *prometheus.CounterVec
	rateLimited    *prometheus.CounterVec

	mu        sync.Mutex
	connected map[string]bool // by platform; false = expected but not yet connected
}

// latencyBuckets span an in-memory answer (tens of microseconds) to a slow one
// (a second): 1µs, 4µs, 16µs ... 1.05s.
var latencyBuckets = prometheus.ExponentialBuckets(1e-6, 4, 11)

// NewMetrics returns the metrics, registered in a new registry together with
// the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_questions_total",
			Help: "Questions answered, by platform, the intent the engine recognised, and the answer's language.",
		}, []string{"platform", "intent", "lang"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_fallbacks_total",
			Help: "Questions the engine did not know how to answer, by platform.",
		}, []string{"platform"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "planbot_answer_duration_seconds",
			Help:    "Time the engine took to answer a question, by platform (platform round trips excluded).",
			Buckets: latencyBuckets,
		}, []string{"platform"}),
		platformErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_platform_errors_total",
			Help: "Failed calls to a platform's API, by platform and operation.",
		}, []string{"platform", "op"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_rate_limited_total",
			Help: "Times a user was refused by the per-user rate limit, by platform.",
		}, []string{"platform"}),
		connected: map[string]bool{},
	}
	m.reg.MustRegister(
		m.questions, m.fallbacks, m.latency, m.platformErrors, m.rateLimited,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry returns the registry the metrics live in, for /metrics and tests.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// platform starts the per-platform series at zero, so a dashboard shows 0
// rather than no data before the first fallback or error.
func (m *Metrics) platform(name string) {
	m.fallbacks.WithLabelValues(name)
	m.latency.WithLabelValues(name)
	m.rateLimited.WithLabelValues(name)
}

// Observer returns the observer for one platform's adapter. Asking for it
// declares that the adapter is expected: /readyz answers 503 until every
// platform with an observer has called Connected. Call it before starting the
// adapters and before serving /readyz.
func (m *Metrics) Observer(platform string) *Observer {
	m.platform(platform)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.connected[platform]; !ok {
		m.connected[platform] = false
	}
	return &Observer{m: m, platform: platform}
}

// Waiting returns the platforms whose adapters have not connected yet, sorted;
// none means ready.
func (m *Metrics) Waiting() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var waiting []string
	for p, ok := range m.connected {
		if !ok {
			waiting = append(waiting, p)
		}
	}
	sort.Strings(waiting)
	return waiting
}

// Observer is one adapter's line to the operator: it counts platform errors
// and rate-limited users, and reports the connection that makes the process
// ready. A nil *Observer is valid and does nothing.
type Observer struct {
	m        *Metrics
	platform string
}

// Connected records that the adapter is connected and serving. Readiness
// latches: a later disconnection is the adapter's to retry, not a reason to
// take the replica out of the load balancer.
func (o *Observer) Connected() {
	if o == nil {
		return
	}
	o.m.mu.Lock()
	defer o.m.mu.Unlock()
	o.m.connected[o.platform] = true
}

// PlatformError counts a failed platform call; op names the call
// ("sendMessage", "getUpdates", "interactionRespond"). Keep op to a fixed
// set of names: each distinct op is a time series.
func (o *Observer) PlatformError(op string) {
	if o == nil {
		return
	}
	o.m.platformErrors.WithLabelValues(o.platform, op).Inc()
}

// RateLimited counts a user refused by the rate limit.
func (o *Observer) RateLimited() {
	if o == nil {
		return
	}
	o.m.rateLimited.WithLabelValues(o.platform).Inc()
}
