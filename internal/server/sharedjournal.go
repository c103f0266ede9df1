package server

// The request journal shared by the replicas (--state).

import (
	"sort"

	"github.com/standin/standin/internal/journal"
)

// SelectRequests reads the shared journal, adding this replica's entries
// not shipped yet (so a client that has read an answer finds its request
// on the replica that served it).
func (s *Server) SelectRequests(f journal.Filter) ([]journal.Entry, bool) {
	if s.shared == nil {
		return nil, false
	}
	limit := f.Limit
	f.Limit = 0
	shared, err := s.shared.journal.Select(f)
	if err != nil {
		return nil, false
	}
	type key struct {
		replica, id string
		t           int64
	}
	seen := make(map[key]bool, len(shared))
	for _, e := range shared {
		seen[key{e.Replica, e.RequestID, e.Time.UnixNano()}] = true
	}
	all := shared
	for _, e := range s.journal.Select(f) {
		if !seen[key{e.Replica, e.RequestID, e.Time.UnixNano()}] {
			all = append(all, e)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.After(all[j].Time) })
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, true
}

// CountRequests counts what SelectRequests would return.
func (s *Server) CountRequests(f journal.Filter) (int, bool) {
	f.Limit = 0
	all, ok := s.SelectRequests(f)
	return len(all), ok
}

// ClearRequests empties the shared journal (the local one is cleared by
// the control API itself).
func (s *Server) ClearRequests() error {
	if s.shared == nil {
		return nil
	}
	return s.shared.journal.Clear()
}

// The control API reads and clears the shared journal through these.
func (b backend) SelectRequests(f journal.Filter) ([]journal.Entry, bool) {
	return b.s.SelectRequests(f)
}

func (b backend) CountRequests(f journal.Filter) (int, bool) { return b.s.CountRequests(f) }
func (b backend) ClearRequests() error                       { return b.s.ClearRequests() }

// shipJournal sends a completed request to the shared journal.
func (s *Server) shipJournal(e journal.Entry) {
	if s.shared != nil {
		s.shared.journal.Ship(e)
	}
}

// replicaOf is the name entries of this server carry ("" unless shared).
func (s *Server) replicaOf() string {
	if s.shared == nil {
		return ""
	}
	return s.shared.replica
}
