// Package scenario reads the scenario files under scenarios/ and chooses the
// scenario in force for a request.
//
// A scenario is a named, documented behaviour of one API: an error status in
// the API's own shape, a delay, a held request, a broken connection, a
// different data set, or a different credential. Scenarios are data: this
// package only reads them and picks one; the server's stages read the chosen
// scenario's Effect.
//
// # Files
//
// Every scenario is one YAML file, scenarios/<api>/<name>.yaml. The folder
// names the API and the file name (without .yaml) names the scenario; both
// must be lower-case letters, digits and dashes, starting with a letter.
// Unknown keys are errors. See scenarios/README.md for the format.
//
// # Choosing a scenario
//
// Select applies this precedence, first match wins:
//
//  1. the request header X-Standin-Scenario;
//  2. the query parameter __scenario;
//  3. the API's sticky scenario (SetSticky, set through the control API or the
//     --scenario flag).
//
// A header or query parameter that is present but empty, or "none", means "no
// scenario for this request", even when a sticky one is set. This lets one
// request escape a sticky scenario.
//
// # Applying an Effect
//
// Zero fields do nothing. When several are set the server applies them in
// this order: Delay (then go on), Hold (then a timeout error), Fault (then
// stop), Status (then stop), and for requests that go on, ActAs and DataSet
// change the credential and the data the engines see; QueryBudget is read by
// the GraphQL binding.
package scenario

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/reqctx"
)

// Request header and query parameter that choose a scenario per request, and
// the request header that overrides a scenario's delay.
const (
	Header      = "X-Standin-Scenario"
	QueryParam  = "__scenario"
	DelayHeader = "X-Standin-Delay"
	// None is the scenario name that means "no scenario".
	None = "none"
)

// Defaults for Effect fields left zero.
const (
	// DefaultHoldCap is how long Hold keeps a request when HoldCap is zero.
	DefaultHoldCap = 30 * time.Second
	// DefaultMaxDelay caps X-Standin-Delay when MaxDelay is zero.
	DefaultMaxDelay = 60 * time.Second
)

// Fault kinds.
const (
	FaultConnectionReset = "connection-reset"
	FaultEmptyReply      = "empty-reply"
	FaultTruncated       = "truncated"
)

// Effect is what a scenario does to a request. Zero fields do nothing.
// Effects obtained from a Registry are shared: treat them as read-only.
type Effect struct {
	// Status answers with this error status in the API's own shape (REST: the
	// manifest's error body; GraphQL: a GraphQL error response).
	Status int
	// Message overrides the manifest's default message for Status. With
	// Status 0 and QueryBudget set, it is the message of the query timeout.
	Message string
	// Code overrides the code (GraphQL extensions.code, REST {{code}}).
	Code string
	// Headers are added to the error response (e.g. Retry-After).
	Headers map[string]string
	// GraphQLStatus is the HTTP status for GraphQL requests when it differs
	// from Status (e.g. a GraphQL error answered with 200); 0 means Status.
	GraphQLStatus int
	// Delay waits, then goes on (slow). The request header X-Standin-Delay
	// (a Go duration or a number of milliseconds) overrides it, capped by
	// MaxDelay (DefaultMaxDelay when zero); see DelayFor.
	Delay    time.Duration
	MaxDelay time.Duration
	// Hold holds the request until the client goes away or HoldCap passes
	// (DefaultHoldCap when zero); after the cap the server answers 504 (REST)
	// or a GraphQL timeout error.
	Hold    bool
	HoldCap time.Duration
	// Fault breaks the connection: "connection-reset", "empty-reply" or
	// "truncated" (see Fault).
	Fault string
	// DataSet is the data the engines see: "empty" or "large".
	DataSet reqctx.DataSet
	// ActAs overrides the credential: the request runs as this token (e.g.
	// standin-readonly, so the real permission check answers).
	ActAs string
	// QueryBudget, when set, is how long the GraphQL binding lets an
	// unpaginated list query over a large data set run before it answers with
	// a timeout error (Message and Code, when set, give its message and
	// extensions.code). Used by the admin query-timeout scenario.
	QueryBudget time.Duration
}

// IsZero reports whether the effect does nothing.
func (e *Effect) IsZero() bool {
	return e.Status == 0 && e.Message == "" && e.Code == "" && len(e.Headers) == 0 &&
		e.GraphQLStatus == 0 && e.Delay == 0 && e.MaxDelay == 0 && !e.Hold &&
		e.HoldCap == 0 && e.Fault == "" && e.DataSet == "" && e.ActAs == "" && e.QueryBudget == 0
}

// StatusFor returns the HTTP status of the effect's error for a REST
// (graphql false) or GraphQL (graphql true) request; 0 when Status is 0.
func (e *Effect) StatusFor(graphql bool) int {
	if e.Status == 0 {
		return 0
	}
	if graphql && e.GraphQLStatus != 0 {
		return e.GraphQLStatus
	}
	return e.Status
}

// Problem returns the error to render for the effect's Status. The status
// rendered is StatusFor(graphql); the manifest's shape is looked up by
// Status, so pass Problem to render.RESTBody/GraphQLBody with Status and set
// the HTTP status with StatusFor (render.REST/GraphQL use Problem.Status for
// both, which is right whenever GraphQLStatus is zero).
func (e *Effect) Problem() render.Problem {
	var h map[string]string
	if len(e.Headers) > 0 {
		h = make(map[string]string, len(e.Headers))
		for k, v := range e.Headers {
			h[k] = v
		}
	}
	return render.Problem{Status: e.Status, Message: e.Message, Code: e.Code, Headers: h}
}

// HoldLimit returns how long a held request waits: HoldCap, or
// DefaultHoldCap when zero.
func (e *Effect) HoldLimit() time.Duration {
	if e.HoldCap > 0 {
		return e.HoldCap
	}
	return DefaultHoldCap
}

// DelayFor returns the delay to apply to r: 0 when the effect has no Delay;
// otherwise the X-Standin-Delay header when present (a Go duration such as
// "1500ms" or "2s", or a plain number of milliseconds), else Delay, capped by
// MaxDelay (DefaultMaxDelay when zero). A malformed or negative header is an
// error; the caller may answer 400 or ignore it.
func (e *Effect) DelayFor(r *http.Request) (time.Duration, error) {
	if e.Delay <= 0 {
		return 0, nil
	}
	d := e.Delay
	if r != nil {
		if v := strings.TrimSpace(r.Header.Get(DelayHeader)); v != "" {
			var err error
			if d, err = ParseDelay(v); err != nil {
				return 0, err
			}
		}
	}
	max := e.MaxDelay
	if max <= 0 {
		max = DefaultMaxDelay
	}
	return min(d, max), nil
}

// ParseDelay reads a delay: a Go duration ("250ms", "2s") or a non-negative
// integer number of milliseconds ("1500").
func ParseDelay(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > int64(24*time.Hour/time.Millisecond) {
			return 0, fmt.Errorf("%s: %q is out of range", DelayHeader, v)
		}
		return time.Duration(n) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is neither a duration (e.g. 2s) nor milliseconds", DelayHeader, v)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s: %q is negative", DelayHeader, v)
	}
	return d, nil
}

// Scenario is one named behaviour of one API.
type Scenario struct {
	Name        string
	API         string
	Description string
	// Source cites the page and section the scenario reproduces.
	Source string
	// Operations lists the operationIds (REST) or root field names (GraphQL)
	// the scenario applies to; empty means all.
	Operations []string
	Effect     Effect
	// File is the file the scenario was read from ("" if built in code).
	File string
}

// Applies reports whether the scenario applies to an operation (an
// operationId or a GraphQL root field name). A scenario without Operations
// applies to every operation, including "" (an operation not yet known).
func (s *Scenario) Applies(operation string) bool {
	return len(s.Operations) == 0 || slices.Contains(s.Operations, operation)
}

// UnknownError is a scenario name that the API does not offer.
type UnknownError struct {
	API   string
	Name  string
	Valid []string
}

func (e *UnknownError) Error() string {
	if len(e.Valid) == 0 {
		return fmt.Sprintf("unknown scenario %q: API %q has no scenarios", e.Name, e.API)
	}
	return fmt.Sprintf("unknown scenario %q for API %q; valid names: %s (or %q for no scenario)",
		e.Name, e.API, strings.Join(e.Valid, ", "), None)
}

// Registry holds the scenarios of every API and each API's sticky choice.
// The sticky choices may change at any time; the scenarios change only as a
// whole, by Replace (a reload). All methods are safe for concurrent use.
type Registry struct {
	set atomic.Pointer[scenarioSet]

	mu     sync.RWMutex
	sticky map[string]string
	sync   StickySync
}

// StickySync carries sticky choices to other replicas of the mock. The
// Registry calls Publish after each local change (name "" clears); the
// other side calls ApplySticky with what it hears.
type StickySync interface {
	Publish(api, name string) error
}

// SetSync makes every later sticky change go to sync as well.
func (r *Registry) SetSync(ss StickySync) {
	r.mu.Lock()
	r.sync = ss
	r.mu.Unlock()
}

// publish tells the sync, if any, of a change.
func (r *Registry) publish(api, name string) error {
	r.mu.RLock()
	ss := r.sync
	r.mu.RUnlock()
	if ss == nil {
		return nil
	}
	return ss.Publish(api, name)
}

// ApplySticky sets (or, with "" or "none", clears) an API's sticky choice
// heard from another replica, without publishing it again. A name this
// replica does not know is cleared, as a reload clears it.
func (r *Registry) ApplySticky(api, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.Lookup(api, name); ok {
		r.sticky[api] = name
	} else {
		delete(r.sticky, api)
	}
}

// scenarioSet is an immutable set of scenarios.
type scenarioSet struct {
	byAPI map[string]map[string]*Scenario
	names map[string][]string // sorted, per API
	all   []*Scenario         // sorted by API then name
}

func (r *Registry) cur() *scenarioSet { return r.set.Load() }

// Replace puts next's scenarios in place of r's (next itself is no longer
// used). Sticky choices whose scenario still exists are kept; it returns the
// APIs whose sticky scenario is gone, and clears them.
func (r *Registry) Replace(next *Registry) (cleared []string) {
	set := next.cur()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.set.Store(set)
	for api, name := range r.sticky {
		if _, ok := set.byAPI[api][name]; !ok {
			delete(r.sticky, api)
			cleared = append(cleared, api)
		}
	}
	sort.Strings(cleared)
	return cleared
}

// NewRegistry builds a registry from scenarios, checking each as Load does.
// Load is the usual way; NewRegistry serves tests and embedders.
func NewRegistry(list []*Scenario) (*Registry, error) {
	r := &Registry{sticky: map[string]string{}}
	set := &scenarioSet{
		byAPI: map[string]map[string]*Scenario{},
		names: map[string][]string{},
	}
	for _, s := range list {
		if s == nil {
			continue
		}
		where := s.File
		if where == "" {
			where = s.API + "/" + s.Name
		}
		if err := check(s); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		m := set.byAPI[s.API]
		if m == nil {
			m = map[string]*Scenario{}
			set.byAPI[s.API] = m
		}
		if _, dup := m[s.Name]; dup {
			return nil, fmt.Errorf("%s: scenario %q of API %q declared twice", where, s.Name, s.API)
		}
		m[s.Name] = s
		set.names[s.API] = append(set.names[s.API], s.Name)
		set.all = append(set.all, s)
	}
	for _, n := range set.names {
		sort.Strings(n)
	}
	sort.Slice(set.all, func(i, j int) bool {
		if set.all[i].API != set.all[j].API {
			return set.all[i].API < set.all[j].API
		}
		return set.all[i].Name < set.all[j].Name
	})
	r.set.Store(set)
	return r, nil
}

// Lookup returns a scenario of an API.
func (r *Registry) Lookup(api, name string) (*Scenario, bool) {
	s, ok := r.cur().byAPI[api][name]
	return s, ok
}

// Names returns the scenario names of an API, sorted. The slice is a copy.
func (r *Registry) Names(api string) []string {
	return slices.Clone(r.cur().names[api])
}

// APIs returns the APIs that have scenarios, sorted.
func (r *Registry) APIs() []string {
	names := r.cur().names
	out := make([]string, 0, len(names))
	for a := range names {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// All returns every scenario, sorted by API then name. The slice is a copy;
// the scenarios are shared and read-only.
func (r *Registry) All() []*Scenario { return slices.Clone(r.cur().all) }

// CheckAPIs reports scenario folders naming an API that is not in known, so
// a typo in a folder name fails at start-up instead of being ignored.
func (r *Registry) CheckAPIs(known []string) error {
	var bad []string
	for _, a := range r.APIs() {
		if !slices.Contains(known, a) {
			bad = append(bad, a)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("scenarios for unknown API(s) %s; known APIs: %s",
			strings.Join(bad, ", "), strings.Join(known, ", "))
	}
	return nil
}

func (r *Registry) unknown(api, name string) *UnknownError {
	return &UnknownError{API: api, Name: name, Valid: r.Names(api)}
}

// SetSticky makes a scenario apply to every request of an API that does not
// choose one itself. An empty name or "none" clears it (as ClearSticky); an
// unknown name gives *UnknownError and leaves the sticky choice unchanged.
func (r *Registry) SetSticky(api, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || name == None {
		r.ClearSticky(api)
		return nil
	}
	r.mu.Lock()
	// Checked under the lock: Replace may be swapping the scenarios.
	if _, ok := r.Lookup(api, name); !ok {
		r.mu.Unlock()
		return r.unknown(api, name)
	}
	r.sticky[api] = name
	r.mu.Unlock()
	return r.publish(api, name)
}

// ClearSticky removes an API's sticky scenario.
func (r *Registry) ClearSticky(api string) {
	r.mu.Lock()
	delete(r.sticky, api)
	r.mu.Unlock()
	_ = r.publish(api, "")
}

// ClearAllSticky removes every API's sticky scenario.
func (r *Registry) ClearAllSticky() {
	r.mu.Lock()
	apis := slices.Collect(maps.Keys(r.sticky))
	clear(r.sticky)
	r.mu.Unlock()
	for _, api := range apis {
		_ = r.publish(api, "")
	}
}

// Sticky returns an API's sticky scenario name, or "".
func (r *Registry) Sticky(api string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.sticky[api]
}

// Select returns the scenario in force for a request of an API, or nil when
// none is (see the package documentation for the precedence). A name the API
// does not offer gives *UnknownError. Select does not know the operation:
// the caller checks Scenario.Applies once it has routed the request.
func (r *Registry) Select(api string, req *http.Request) (*Scenario, error) {
	name, explicit := requested(req)
	if !explicit {
		name = r.Sticky(api)
	}
	if name == "" || name == None {
		return nil, nil
	}
	s, ok := r.Lookup(api, name)
	if !ok {
		return nil, r.unknown(api, name)
	}
	return s, nil
}

// requested returns the scenario name a request asks for itself, and whether
// it asks at all (header or query parameter present, even if empty).
func requested(req *http.Request) (string, bool) {
	if req == nil {
		return "", false
	}
	if v, ok := req.Header[Header]; ok {
		if len(v) == 0 {
			return "", true
		}
		return strings.TrimSpace(v[0]), true
	}
	if req.URL != nil && strings.Contains(req.URL.RawQuery, QueryParam) {
		if v, ok := req.URL.Query()[QueryParam]; ok {
			if len(v) == 0 {
				return "", true
			}
			return strings.TrimSpace(v[0]), true
		}
	}
	return "", false
}

// Wait waits for d, or less when ctx ends first: then it returns ctx.Err().
// It leaves no timer or goroutine behind.
func Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hold blocks until ctx ends (the client went away: false) or limit passes
// (true). A limit of zero or less means DefaultHoldCap. It leaves no timer or
// goroutine behind.
func Hold(ctx context.Context, limit time.Duration) (timedOut bool) {
	if limit <= 0 {
		limit = DefaultHoldCap
	}
	return Wait(ctx, limit) == nil
}

// ParseAssignment reads a --scenario flag value "API=NAME" (NAME may be
// "none"). It checks the form only; SetSticky checks the name.
func ParseAssignment(v string) (api, name string, err error) {
	api, name, ok := strings.Cut(v, "=")
	api, name = strings.TrimSpace(api), strings.TrimSpace(name)
	if !ok || api == "" || name == "" {
		return "", "", fmt.Errorf("scenario %q: want API=NAME, e.g. admin=no-clients", v)
	}
	return api, name, nil
}
