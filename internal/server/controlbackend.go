package server

// The server as the control API's backend.

import (
	"slices"

	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/scenario"
)

// backend adapts the server to the control API.
type backend struct{ s *Server }

func (b backend) APIs() []control.APIInfo {
	out := make([]control.APIInfo, 0, len(b.s.apis))
	for _, a := range b.s.apis {
		info := control.APIInfo{Name: a.m.Name, Title: a.m.Title, Paths: a.paths, Scenario: b.s.registry.Sticky(a.m.Name), RateLimit: a.limit,
			Warnings: b.s.apiDiagnostics(a.m.Name)}
		if a.rest != nil {
			info.Protocols = append(info.Protocols, "rest")
			info.Operations = append(info.Operations, slices.Sorted(slices.Values(a.rest.Operations()))...)
		}
		if a.gql != nil {
			info.Protocols = append(info.Protocols, "graphql")
			info.Operations = append(info.Operations, "POST "+a.gqlPath+" graphql", "GET "+a.gqlPath+" graphql")
		}
		out = append(out, info)
	}
	return out
}

func (b backend) Scenarios() *scenario.Registry { return b.s.registry }
func (b backend) Reset()                        { b.s.Reset() }
func (b backend) Journal() *journal.Journal     { return b.s.journal }

// Records serves the control API's data API.
func (b backend) Records() *records.Service { return b.s.records }
