package server

// The start-up summary: what is served, the warnings, the tokens.

import (
	"fmt"
	"strings"
	"time"

	"github.com/standin/standin/internal/dashboard"
)

// Summary describes what the server serves, for the start-up banner.
func (s *Server) Summary(baseURL string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Standin mock server on %s (seed %d)\n\nAPIs:\n", baseURL, s.cfg.Seed)
	for _, a := range s.apis {
		fmt.Fprintf(&sb, "  %-12s %s\n", a.m.Name, a.m.Title)
		for _, p := range a.paths {
			fmt.Fprintf(&sb, "               %s\n", p)
		}
		if a.limit != nil {
			fmt.Fprintf(&sb, "               rate limit: %d requests per %s per token\n", a.limit.Limit, time.Duration(a.limit.Window))
		}
		if n := s.registry.Sticky(a.m.Name); n != "" {
			fmt.Fprintf(&sb, "               sticky scenario: %s\n", n)
		}
	}
	if len(s.warnings) > 0 {
		fmt.Fprintf(&sb, "\nWARNINGS (found but not served as written; all %d, with their places: GET %s/__standin/apis):\n", len(s.warnings), baseURL)
		for _, line := range s.warningLines() {
			fmt.Fprintf(&sb, "  ! %s\n", line)
		}
	}
	sb.WriteString("\nTokens (Authorization: Bearer <token>):\n")
	for _, p := range s.creds.List() {
		fmt.Fprintf(&sb, "  %-18s %s\n", p.Token, p.Description)
	}
	fmt.Fprintf(&sb, "\nControl API: %s/__standin/ (health, apis, scenarios, reset, requests, apis/{api}/collections)\n", baseURL)
	fmt.Fprintf(&sb, "Dashboard:   %s%s\nMetrics:     %s/__standin/metrics\n", baseURL, dashboard.Path, baseURL)
	fmt.Fprintf(&sb, "CORS: %s\n", s.cfg.CORS)
	var ide []string
	for _, a := range s.apis {
		if a.gql != nil {
			ide = append(ide, baseURL+a.gqlPath)
		}
	}
	if len(ide) > 0 {
		fmt.Fprintf(&sb, "GraphiQL (open in a browser): %s\n", strings.Join(ide, ", "))
	}
	return sb.String()
}
