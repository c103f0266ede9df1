package server

import (
	"net/http"
	"sync"

	"github.com/standin/standin/internal/rest"
)

// maxRoutes bounds the route memo; it starts over when full (paths with
// ids in them are many).
const maxRoutes = 4096

// routeMemo remembers the API and operation of (method, escaped path)
// pairs that matched: routing is a pure function of both once the server
// is built, and a kept answer should not cost a template match.
type routeMemo struct {
	mu sync.RWMutex
	m  map[routeKey]routeHit
}

type routeKey struct{ method, path string }

type routeHit struct {
	api *apiRuntime
	m   rest.Match
}

// routed is route through the memo. Only matches are remembered: errors
// are answered once and cost nothing to keep.
func (s *Server) routed(r *http.Request) (*apiRuntime, rest.Match, error) {
	k := routeKey{r.Method, r.URL.EscapedPath()}
	s.routes.mu.RLock()
	h, ok := s.routes.m[k]
	s.routes.mu.RUnlock()
	if ok {
		return h.api, h.m, nil
	}
	api, m, err := s.route(r)
	if err != nil || len(k.path) > 1024 {
		return api, m, err
	}
	s.routes.mu.Lock()
	if s.routes.m == nil || len(s.routes.m) >= maxRoutes {
		s.routes.m = make(map[routeKey]routeHit)
	}
	s.routes.m[k] = routeHit{api, m}
	s.routes.mu.Unlock()
	return api, m, nil
}
