package journal

import (
	"strings"
	"time"
)

// NoScenario as Filter.Scenario selects the requests no scenario applied to.
const NoScenario = "none"

// Filter selects journal entries. A zero field matches every entry; the
// fields set must all match.
type Filter struct {
	// API and Operation match exactly (an operationId, or "graphql").
	API, Operation string
	// Method matches regardless of case.
	Method string
	// Path matches exactly, or, ending in "*", as a prefix ("/v2/clients/*").
	Path string
	// Status matches exactly; StatusClass (1 to 5) matches a class: 4 for 4xx.
	Status, StatusClass int
	// Scenario matches exactly; NoScenario matches entries without one.
	Scenario string
	// Since keeps entries at or after this time.
	Since time.Time
	// Limit bounds how many entries Select returns (<= 0: all). Count
	// ignores it.
	Limit int
}

// Match reports whether e passes every condition of f.
func (f Filter) Match(e *Entry) bool {
	switch {
	case f.API != "" && e.API != f.API,
		f.Operation != "" && e.Operation != f.Operation,
		f.Method != "" && !strings.EqualFold(e.Method, f.Method),
		f.Status != 0 && e.Status != f.Status,
		f.StatusClass != 0 && e.Status/100 != f.StatusClass,
		!f.Since.IsZero() && e.Time.Before(f.Since):
		return false
	}
	if f.Path != "" {
		if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
			if !strings.HasPrefix(e.Path, prefix) {
				return false
			}
		} else if e.Path != f.Path {
			return false
		}
	}
	switch f.Scenario {
	case "":
	case NoScenario:
		if e.Scenario != "" {
			return false
		}
	default:
		if e.Scenario != f.Scenario {
			return false
		}
	}
	return true
}

// Select returns the entries f matches, newest first, at most f.Limit of
// them (all when f.Limit <= 0), with tokens redacted as List does.
func (j *Journal) Select(f Filter) []Entry {
	out := []Entry{}
	j.mu.Lock()
	for i := range j.count {
		e := &j.ring[j.index(i)]
		if !f.Match(e) {
			continue
		}
		out = append(out, *e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	j.mu.Unlock()
	for i := range out {
		forReading(&out[i])
	}
	return out
}

// Count returns how many entries f matches (f.Limit is ignored).
func (j *Journal) Count(f Filter) int {
	n := 0
	j.mu.Lock()
	for i := range j.count {
		if f.Match(&j.ring[j.index(i)]) {
			n++
		}
	}
	j.mu.Unlock()
	return n
}

// index is the ring position of the i-th newest entry; j.mu must be held.
func (j *Journal) index(i int) int {
	idx := j.next - 1 - i
	if idx < 0 {
		idx += len(j.ring)
	}
	return idx
}
