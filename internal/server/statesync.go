package server

// Shared state (--state redis://...): the store, rate limits and sticky
// scenarios kept in step with the other replicas through Redis.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/redisstate"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/store"
)

// sharedState is the server's link to the state it shares with other
// replicas (--state); nil when the state is this process's own.
type sharedState struct {
	st *redisstate.State
	// replica names this process in the shared journal.
	replica string
	journal *redisstate.Journal
	// down is set while the log cannot be followed.
	down atomic.Bool
	// presence reports how far this replica has applied the log, so that
	// a reset waits for every live replica.
	presence *redisstate.Presence
	// stop ends the goroutines that follow Redis (the log, the sticky
	// scenarios, the journal shipper); done counts them; once guards Close.
	stop context.CancelFunc
	done sync.WaitGroup
	once sync.Once
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
	ctx, stop := context.WithCancel(ctx)
	sh := &sharedState{st: st, replica: replicaName(s.cfg.Addr), journal: st.Journal(max(s.journal.Cap(), 1)), stop: stop}
	fail := func(err error) error {
		stop()
		_ = st.Close()
		return err
	}
	s.store.SetLog(st.Log())
	s.store.SetOnSettle(func(write string, o store.Outcome) {
		if o == store.OutcomeUnknown {
			s.log.Warn("shared state: Redis's answer to a write was lost and its outcome could not be learned in time; answered 503 with the outcome unknown", "write", write)
			return
		}
		s.log.Warn("shared state: Redis's answer to a write was lost; its outcome was learned from the log", "write", write, "outcome", string(o))
	})
	if err := s.store.CatchUp(ctx); err != nil {
		return fail(fmt.Errorf("state %s: replaying the log: %w", s.cfg.State, err))
	}
	sh.presence = st.Presence(sh.replica)
	_ = sh.presence.Report(ctx, s.store.Position())
	applied := make(chan struct{}, 1)
	s.store.SetOnApply(func() {
		select {
		case applied <- struct{}{}:
		default: // a report is due already
		}
	})
	limits := st.Limits()
	s.limiter.SetShared(limits)
	// a reset made through another replica deletes the shared counters;
	// what this replica decides in memory of them goes with it
	s.store.SetOnReset(limits.Forget)
	sticky := st.Sticky()
	var apis []string
	for _, a := range s.apis {
		apis = append(apis, a.m.Name)
		// a --scenario given to this replica applies to all
		if name := s.registry.Sticky(a.m.Name); name != "" {
			if err := sticky.Publish(a.m.Name, name); err != nil {
				return fail(fmt.Errorf("state %s: %w", s.cfg.State, err))
			}
		}
	}
	s.registry.SetSync(sticky)
	watchSticky := sticky.Watch(ctx, s.registry, apis, stickyResync)
	sh.done.Add(3)
	go func() { defer sh.done.Done(); watchSticky() }()
	go func() {
		defer sh.done.Done()
		s.store.Follow(ctx, followBlock, followRetry, func(err error) {
			sh.down.Store(err != nil)
			if err != nil {
				s.log.Warn("shared state: cannot follow the log; serving local data", "err", err)
			} else {
				s.log.Info("shared state: following the log again")
			}
		})
	}()
	go func() { defer sh.done.Done(); sh.journal.Run(ctx) }()
	sh.done.Add(1)
	go func() { // reports the position after each apply, and while idle
		defer sh.done.Done()
		tick := time.NewTicker(redisstate.PresenceEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-applied:
			case <-tick.C:
			}
			_ = sh.presence.Report(ctx, s.store.Position())
		}
	}()
	s.shared = sh
	return nil
}

// Close ends the server's link to the shared state (--state): it stops
// following the log and the sticky scenarios, ships the journal entries
// still queued, waits for those goroutines and closes the Redis
// connections. A server replaced by a --watch rebuild is closed so; a
// write still running on it then answers 503. Without --state it does
// nothing. It may be called more than once.
func (s *Server) Close() error {
	sh := s.shared
	if sh == nil {
		return nil
	}
	var err error
	sh.once.Do(func() {
		sh.stop()
		sh.done.Wait()
		_ = sh.presence.Leave()
		err = sh.st.Close()
	})
	return err
}

// replicaName is this process's name in the shared journal: host name,
// process id and listen address.
func replicaName(addr string) string {
	host, err := os.Hostname()
	if err != nil {
		host = "mockserver"
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), addr)
}

// TryReset is Reset that reports when the shared state could not take the
// reset (nothing is reset then).
//
// With shared state it returns once every live replica has applied the
// reset (at most resetWait), so that a test which resets through one
// replica and reads through another sees the reset data.
func (s *Server) TryReset() error {
	if err := s.store.TryReset(); err != nil {
		return err
	}
	s.limiter.Reset()
	if s.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), resetWait)
		defer cancel()
		pos := s.store.Position()
		_ = s.shared.presence.Report(ctx, pos)
		if behind, err := s.shared.presence.WaitApplied(ctx, pos); err != nil || len(behind) > 0 {
			s.log.Warn("reset: not every replica confirmed it in time", "behind", behind, "err", err, "wait", resetWait)
		}
	}
	return nil
}

// resetWait bounds how long a reset waits for the other replicas.
const resetWait = 2 * time.Second

// TryReset lets the control API answer 503 when a reset cannot be shared.
func (b backend) TryReset() error { return b.s.TryReset() }

// unavailableStatus makes a GraphQL answer 503 when a mutation could not
// be written because the shared state is unreachable, or its outcome is
// unknown; the first such mutation's write id goes to the answer's
// headers (through the writer retryAfterOn503 put in the context).
func unavailableStatus(r *http.Request, resp *exec.Response, status int) int {
	for _, e := range resp.Errors {
		if e == nil || e.Extensions["code"] != gqlbind.CodeUnavailable {
			continue
		}
		status = http.StatusServiceUnavailable
		if id, _ := e.Extensions["writeId"].(string); id != "" {
			if w, ok := r.Context().Value(answerKey{}).(*retryAfterWriter); ok && w.writeID == "" {
				w.writeID = id
			}
		}
	}
	return status
}

// retryAfterOn503 adds Retry-After to every 503 of h that lacks one, and
// the write id headers to a 503 whose outcome is unknown.
func retryAfterOn503(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &retryAfterWriter{ResponseWriter: w}
		h.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), answerKey{}, rw)))
	})
}

// answerKey finds a request's retryAfterWriter in its context.
type answerKey struct{}

type retryAfterWriter struct {
	http.ResponseWriter
	// writeID is the write whose outcome is unknown (unavailableStatus).
	writeID string
}

func (w *retryAfterWriter) WriteHeader(status int) {
	if status == http.StatusServiceUnavailable {
		if w.writeID != "" {
			render.UnknownOutcomeHeaders(w.Header(), w.writeID)
		}
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "1")
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteOutcome tells what became of a write answered with its outcome
// unknown (GET /__standin/writes/{id}); store.ErrNoLog without --state.
func (s *Server) WriteOutcome(ctx context.Context, id string) (store.WriteOutcome, error) {
	return s.store.WriteOutcome(ctx, id)
}

// WriteOutcome lets the control API answer GET /__standin/writes/{id}.
func (b backend) WriteOutcome(ctx context.Context, id string) (store.WriteOutcome, error) {
	return b.s.WriteOutcome(ctx, id)
}

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
