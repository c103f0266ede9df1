package server

import (
	"net"
	"net/http"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/graphiql"
)

// serveGraphiQL shows GraphiQL for a browser opening a GraphQL path, before
// scenarios and auth (the page itself needs no token; its requests do). It
// reports whether it answered.
func (s *Server) serveGraphiQL(w http.ResponseWriter, r *http.Request, api *apiRuntime) bool {
	if api.gql == nil || r.URL.Path != api.gqlPath || !graphiql.Wants(r) {
		return false
	}
	s.graphiql.ServePage(w, r, graphiql.Page{
		Endpoint: api.gqlPath,
		Title:    api.m.Title,
		DefaultQuery: "# " + api.m.Title + " (" + api.m.Name + "), served by the Standin mock at " + api.gqlPath + ".\n" +
			"# Write a query and run it with Ctrl-Enter; the docs button lists the schema.\n\n{ __typename }\n",
		Headers: s.ideHeaders,
	})
	return true
}

// graphiQLHeaders are the headers GraphiQL's editor starts with: the bundled
// token with the most permissions and no record scope, but only when the mock
// listens on loopback (on another address its pages may be seen by others).
func graphiQLHeaders(cfg config.Config, creds *auth.Credentials) map[string]string {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || !config.IsLoopback(host) {
		return nil
	}
	var best *auth.Principal
	for _, p := range creds.List() {
		if len(p.Scopes) == 0 && (best == nil || len(p.Permissions) > len(best.Permissions)) {
			best = p
		}
	}
	if best == nil {
		return nil
	}
	return map[string]string{"Authorization": "Bearer " + best.Token}
}
