package standintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/server"
)

// seedRecords are records WithRecords adds to a collection.
type seedRecords struct {
	api, collection string
	records         []any
}

// WithRecords adds records to a collection of an API before the server
// starts. Each record is a JSON object: a map[string]any, a struct, or
// JSON text (string, []byte or json.RawMessage); a JSON array adds several.
// They are validated as Server.Insert validates, and are part of the start
// state: Reset keeps them.
func WithRecords(api, collection string, records ...any) Option {
	return func(s *settings) error {
		s.records = append(s.records, seedRecords{api, collection, records})
		return nil
	}
}

// WithJournalBodies makes the journal keep each request's and response's
// headers and the start of their bodies, secrets redacted
// (journalBodies: true).
func WithJournalBodies() Option {
	return cfgOption(func(c *config.Config) error { c.JournalBodies = true; return nil })
}

func addRecords(mock *server.Server, seeds []seedRecords) error {
	if len(seeds) == 0 {
		return nil
	}
	for _, sr := range seeds {
		for _, r := range sr.records {
			if err := insert(mock, sr.api, sr.collection, r); err != nil {
				return fmt.Errorf("WithRecords(%s, %s): %w", sr.api, sr.collection, err)
			}
		}
	}
	mock.Store().Freeze()
	return nil
}

// toJSON turns a record given in any of the forms Insert takes into a
// JSON-shaped value (maps, slices, float64 numbers).
func toJSON(r any) (any, error) {
	var data []byte
	switch x := r.(type) {
	case string:
		data = []byte(x)
	case []byte:
		data = x
	case json.RawMessage:
		data = x
	default:
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("record is not JSON: %w", err)
		}
		data = b
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("record is not JSON: %w", err)
	}
	return v, nil
}

func insert(mock *server.Server, api, collection string, r any) error {
	v, err := toJSON(r)
	if err != nil {
		return err
	}
	_, err = mock.Records().Insert(api, collection, v)
	return err
}

// Insert adds records to a collection of an API, as
// POST /__standin/apis/{api}/collections/{collection}/records does: each
// record (a map, a struct or JSON text; a JSON array for several) is
// validated against the collection's schema, and all are added or none.
// REST and GraphQL see them at once; Reset removes them.
func (s *Server) Insert(api, collection string, records ...any) error {
	var all []any
	for _, r := range records {
		v, err := toJSON(r)
		if err != nil {
			return err
		}
		if list, ok := v.([]any); ok {
			all = append(all, list...)
		} else {
			all = append(all, v)
		}
	}
	if len(all) == 0 {
		return nil
	}
	_, err := s.mock.Records().Insert(api, collection, all)
	return err
}

// SetScenario makes a scenario sticky for an API, as
// PUT /__standin/apis/{api}/scenario does; an unknown name is an error
// listing the valid ones.
func (s *Server) SetScenario(api, name string) error {
	return s.mock.Scenarios().SetSticky(api, name)
}

// ClearScenario clears the API's sticky scenario.
func (s *Server) ClearScenario(api string) { s.mock.Scenarios().ClearSticky(api) }

// RequestFilter selects journal entries, like the query parameters of
// GET /__standin/requests. Zero fields match everything.
type RequestFilter struct {
	// API, Operation (an operationId, or "graphql") and Scenario match
	// exactly; Scenario "none" matches requests without one.
	API, Operation, Scenario string
	// Method matches regardless of case.
	Method string
	// Path matches exactly, or as a prefix when it ends in "*".
	Path string
	// Status matches a status code; StatusClass a class (4 for 4xx).
	Status, StatusClass int
	// Since keeps requests at or after this time.
	Since time.Time
	// Limit bounds how many Requests returns (0: all); Count ignores it.
	Limit int
}

func (f RequestFilter) journal() journal.Filter {
	return journal.Filter{API: f.API, Operation: f.Operation, Method: f.Method, Path: f.Path,
		Status: f.Status, StatusClass: f.StatusClass, Scenario: f.Scenario, Since: f.Since, Limit: f.Limit}
}

// Request is a request the server answered, as the journal recorded it.
type Request struct {
	Time                     time.Time
	Method, Path, Query      string
	API, Operation, Scenario string
	Status                   int
	Duration                 time.Duration
	// Token is the credential's redacted prefix ("stan…").
	Token     string
	RequestID string
	// The headers (secrets redacted), and the start of the bodies with
	// WithJournalBodies only.
	RequestHeader, ResponseHeader http.Header
	RequestBody, ResponseBody     []byte
}

// Requests returns the requests f selects, newest first.
func (s *Server) Requests(f RequestFilter) []Request {
	entries := s.mock.Journal().Select(f.journal())
	out := make([]Request, len(entries))
	for i, e := range entries {
		out[i] = Request{Time: e.Time, Method: e.Method, Path: e.Path, Query: e.Query, API: e.API,
			Operation: e.Operation, Scenario: e.Scenario, Status: e.Status, Duration: e.Duration,
			Token: e.Token, RequestID: e.RequestID}
		if e.Request != nil {
			out[i].RequestHeader, out[i].RequestBody = e.Request.Headers, e.Request.Body
		}
		if e.Response != nil {
			out[i].ResponseHeader, out[i].ResponseBody = e.Response.Headers, e.Response.Body
		}
	}
	return out
}

// CountRequests returns how many requests f selects (f.Limit ignored), as
// GET /__standin/requests/count does.
func (s *Server) CountRequests(f RequestFilter) int { return s.mock.Journal().Count(f.journal()) }

// ClearRequests empties the journal, as DELETE /__standin/requests does.
func (s *Server) ClearRequests() { s.mock.Journal().Reset() }
