package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// shutdownGrace is how long Run lets a scrape in progress finish after ctx ends.
const shutdownGrace = 5 * time.Second

// Server is the admin HTTP listener: /healthz answers 200 while the process
// runs, /readyz answers 200 once every expected adapter is connected (503
// before, naming the ones it waits for), and /metrics serves the metrics in
// Prometheus format.
type Server struct {
	addr string
	m    *Metrics
	log  *slog.Logger
}

// NewServer returns a server for m that Run will bind to addr. An address
// without a host (":9090") binds the loopback interface only, so metrics stay
// private unless the operator names an interface ("0.0.0.0:9090").
func NewServer(addr string, m *Metrics, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{addr: loopbackDefault(addr), m: m, log: log.With("adapter", "admin")}
}

// Handler returns the admin endpoints as one handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if waiting := s.m.Waiting(); len(waiting) > 0 {
			writeText(w, http.StatusServiceUnavailable, "waiting for: "+strings.Join(waiting, ", "))
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.m.Registry(), promhttp.HandlerOpts{
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelError),
		Registry:          s.m.Registry(), // counts scrape errors in promhttp_metric_handler_errors_total
		EnableOpenMetrics: true,
	}))
	return mux
}

func writeText(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, body) // a failed write is the prober's lost connection; nothing to do
}

// Run listens on the configured address and serves until ctx ends, then
// shuts down, letting requests in progress finish for a few seconds. It
// returns nil after a shutdown caused by ctx, and an error if it cannot listen.
func (s *Server) Run(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("admin listener: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened (tests use 127.0.0.1:0). It
// closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("admin listening", "addr", ln.Addr().String())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("admin listener: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if err != nil {
		srv.Close() // the grace period is over: drop what is left
	}
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	if err != nil {
		return fmt.Errorf("admin listener shutdown: %w", err)
	}
	return nil
}

// loopbackDefault gives an address without a host the loopback host.
func loopbackDefault(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}
