package suite

import (
	"net/http"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/standintest"
)

// TestPageFaithfulPasses: what a page does not document is not required.
// A server that leaves out what only the contract's decisions add (here
// the RateLimit-* headers of clients-v0, which the page never names)
// still passes every check.
func TestPageFaithfulPasses(t *testing.T) {
	for _, tc := range []struct {
		name string
		apis []string
		wrap func(http.Handler) http.Handler
	}{
		{"clients-v0 without RateLimit headers", []string{"clients-v0"}, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(&stripHeaders{ResponseWriter: w, prefix: "Ratelimit-"}, r)
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mock := standintest.Start(t)
			env := envFor(t, mock, tc.apis, tc.wrap)
			results := engine.RunCases(env, engine.Plan(env, Checks().Checks()))
			for _, r := range engine.Failed(results) {
				t.Errorf("a page-faithful server fails:\n%s", report.Failure(r))
			}
			t.Logf("%s", engine.Summary(results))
		})
	}
}

// stripHeaders drops response headers with a prefix before they are sent.
type stripHeaders struct {
	http.ResponseWriter
	prefix  string
	written bool
}

func (s *stripHeaders) WriteHeader(code int) {
	if s.written {
		return
	}
	s.written = true
	for k := range s.Header() {
		if strings.HasPrefix(http.CanonicalHeaderKey(k), s.prefix) {
			s.Header().Del(k)
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *stripHeaders) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return s.ResponseWriter.Write(b)
}
