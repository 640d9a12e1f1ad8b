// Package discordtest is a fake Discord for tests: a loopback HTTP server that
// speaks Discord's REST API and JSON gateway well enough for an unmodified
// discordgo session, records every request it receives and can inject gateway
// faults (op 7 reconnect, op 9 invalid session, a dropped connection).
//
// Point a bot at it with Server.URL as the API base; the gateway URL comes
// from the fake's /gateway answer. The fake checks what real Discord checks
// (message length, form of components, the three-second interaction window,
// one response per interaction) and answers 400 or 404 as Discord would,
// recording why in Request.Problem.
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server; the zero value gives a fake with the
// defaults below.
type Options struct {
	// Token is the bot token the fake accepts (default "test-token").
	Token string
	// HeartbeatInterval is what HELLO asks for (default 1 s).
	HeartbeatInterval time.Duration
	// InteractionDeadline is how long an interaction may wait for its first
	// response (default 3 s, as on Discord).
	InteractionDeadline time.Duration
	// CloseOnIdentify, if set, closes the gateway with this code instead of
	// accepting an IDENTIFY (4004 bad token, 4014 disallowed intents...).
	CloseOnIdentify int
	// SilentGateway accepts gateway connections and then says nothing, not
	// even HELLO, like a gateway that hangs.
	SilentGateway bool
	// NoMessageHistory refuses replies (messages with a message_reference)
	// with 403, as Discord does without the Read Message History permission.
	NoMessageHistory bool
}

// The fake's fixed identities.
const (
	BotID   = "900000000000000001" // the bot user
	AppID   = "900000000000000002" // its application
	GuildID = "900000000000000003" // the guild messages come from by default
)

// Server is a running fake Discord.
type Server struct {
	// URL is the API base to give the bot, e.g. http://127.0.0.1:41234.
	URL string

	opts Options
	http *httptest.Server

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a record is added
	requests []Request
	gateway  []GatewayEvent

	// gateway session
	conns        map[*conn]bool // every open websocket, for Close
	live         *conn          // the identified connection dispatches go to
	sessionID    string
	sessionValid bool
	seq          int64
	log          []dispatch // this session's dispatches, replayed on RESUME

	interactions map[string]*interaction // by id
	byToken      map[string]*interaction

	refusals map[Kind]int // requests to answer 403, by kind
}

// dispatch is one op 0 event of the current session.
type dispatch struct {
	seq     int64
	name    string
	payload json.RawMessage
}

// interaction is the fake's view of an interaction it dispatched.
type interaction struct {
	id, token string
	sent      time.Time
	acked     bool
}

// NewServer starts a fake Discord on a loopback port. Close it when done.
func NewServer(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "test-token"
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = time.Second
	}
	if opts.InteractionDeadline <= 0 {
		opts.InteractionDeadline = 3 * time.Second
	}
	s := &Server{
		opts:         opts,
		changed:      make(chan struct{}),
		conns:        map[*conn]bool{},
		interactions: map[string]*interaction{},
		byToken:      map[string]*interaction{},
		refusals:     map[Kind]int{},
	}
	s.http = httptest.NewServer(s.routes())
	s.URL = s.http.URL
	return s
}

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.opts.Token }

// Close drops every gateway connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	for c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.http.Close()
}

// gatewayURL is the websocket URL /gateway hands out.
func (s *Server) gatewayURL() string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway"
}

// newID returns a fresh snowflake-like id.
func (s *Server) newID() string {
	return strconv.FormatInt(1_000_000_000_000_000_000+lastID.Add(1), 10)
}

// lastID numbers ids across every fake in the process, so that tests running
// side by side against one engine never share a channel or conversation.
var lastID atomic.Int64

// notify wakes waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Refuse makes the fake answer the next n requests of a kind with 403
// Missing Access, as Discord does when the bot cannot see a channel.
func (s *Server) Refuse(kind Kind, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals[kind] += n
}

// refused reports whether this request of kind is one to refuse.
func (s *Server) refused(kind Kind) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refusals[kind] == 0 {
		return false
	}
	s.refusals[kind]--
	return true
}

// Requests returns every REST request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// GatewayEvents returns the gateway traffic so far.
func (s *Server) GatewayEvents() []GatewayEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]GatewayEvent(nil), s.gateway...)
}

// WaitRequests waits until n recorded requests match, returning them in the
// order received, or fails when ctx ends.
func (s *Server) WaitRequests(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	return waitFor(ctx, s, func() []Request { return s.requests }, n, match, "requests")
}

// WaitGateway waits until n recorded gateway events match, or fails when ctx
// ends.
func (s *Server) WaitGateway(ctx context.Context, n int, match func(GatewayEvent) bool) ([]GatewayEvent, error) {
	return waitFor(ctx, s, func() []GatewayEvent { return s.gateway }, n, match, "gateway events")
}

// waitFor waits until n of the records that list returns (read under s.mu)
// match, waking on every change.
func waitFor[T any](ctx context.Context, s *Server, list func() []T, n int, match func(T) bool, what string) ([]T, error) {
	for {
		s.mu.Lock()
		var got []T
		for _, r := range list() {
			if match(r) {
				got = append(got, r)
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return got, fmt.Errorf("waited for %d matching %s, got %d: %w", n, what, len(got), ctx.Err())
		}
	}
}

// Wait waits until cond holds, or fails when ctx ends. cond may read the
// fake's records (Requests, GatewayEvents); it runs again after each new one.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waited for a condition on the fake: %w", ctx.Err())
		}
	}
}

// recordRequest stores a REST request.
func (s *Server) recordRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.notify()
}

// recordGatewayLocked stores a gateway event; s.mu must be held.
func (s *Server) recordGatewayLocked(e GatewayEvent) {
	e.At = time.Now()
	s.gateway = append(s.gateway, e)
	s.notify()
}

// writeJSON answers a REST request.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		// An error here means the client went away, which the client's own
		// error reports.
		json.NewEncoder(w).Encode(v)
	}
}

// apiError is Discord's JSON error body.
type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}
