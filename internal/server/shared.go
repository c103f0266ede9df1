package server

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/redisstate"
)

// sharedState is the server's link to the state it shares with other
// replicas (--state); nil when the state is this process's own.
type sharedState struct {
	st *redisstate.State
	// down is set while the log cannot be followed.
	down atomic.Bool
}

// Intervals of the shared state: how long one read of the log waits for
// news, how soon a failed read is retried, and how often the sticky
// choices are reloaded whole.
const (
	followBlock  = time.Second
	followRetry  = 200 * time.Millisecond
	stickyResync = 2 * time.Second
)

// attachState connects the store, the rate limiter and the scenarios to
// the Redis named by cfg.State: the store replays the log over the data
// just generated (identical on every replica), then follows it.
func (s *Server) attachState(ctx context.Context) error {
	if s.cfg.State == "" {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	st, err := redisstate.Open(ctx, s.cfg.State, s.cfg.Seed)
	if err != nil {
		return err
	}
	sh := &sharedState{st: st}
	s.store.SetLog(st.Log())
	if err := s.store.CatchUp(ctx); err != nil {
		_ = st.Close()
		return fmt.Errorf("state %s: replaying the log: %w", s.cfg.State, err)
	}
	s.limiter.SetShared(st.Limits())
	sticky := st.Sticky()
	var apis []string
	for _, a := range s.apis {
		apis = append(apis, a.m.Name)
		// a --scenario given to this replica applies to all
		if name := s.registry.Sticky(a.m.Name); name != "" {
			if err := sticky.Publish(a.m.Name, name); err != nil {
				_ = st.Close()
				return fmt.Errorf("state %s: %w", s.cfg.State, err)
			}
		}
	}
	s.registry.SetSync(sticky)
	go sticky.Watch(ctx, s.registry, apis, stickyResync)()
	go s.store.Follow(ctx, followBlock, followRetry, func(err error) {
		sh.down.Store(err != nil)
		if err != nil {
			s.log.Warn("shared state: cannot follow the log; serving local data", "err", err)
		} else {
			s.log.Info("shared state: following the log again")
		}
	})
	s.shared = sh
	return nil
}

// TryReset is Reset that reports when the shared state could not take the
// reset (nothing is reset then).
func (s *Server) TryReset() error {
	if err := s.store.TryReset(); err != nil {
		return err
	}
	s.limiter.Reset()
	return nil
}

// TryReset lets the control API answer 503 when a reset cannot be shared.
func (b backend) TryReset() error { return b.s.TryReset() }

// unavailableStatus makes a GraphQL answer 503 when a mutation could not
// be written because the shared state is unreachable.
func unavailableStatus(_ *http.Request, resp *exec.Response, status int) int {
	for _, e := range resp.Errors {
		if e != nil && e.Extensions["code"] == gqlbind.CodeUnavailable {
			return http.StatusServiceUnavailable
		}
	}
	return status
}

// retryAfterOn503 adds Retry-After to every 503 of h that lacks one.
func retryAfterOn503(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&retryAfterWriter{ResponseWriter: w}, r)
	})
}

type retryAfterWriter struct{ http.ResponseWriter }

func (w *retryAfterWriter) WriteHeader(status int) {
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Degraded says why the server serves reads only ("" when it does not):
// the shared state cannot be reached.
func (s *Server) Degraded() string {
	if s.shared == nil || !s.shared.down.Load() {
		return ""
	}
	return "the shared state (Redis) is unreachable: reads answer from this replica's data, writes answer 503"
}

// Degraded lets /__standin/ready report a degraded replica.
func (b backend) Degraded() string { return b.s.Degraded() }
