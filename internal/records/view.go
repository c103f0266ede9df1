package records

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// ErrOutOfScope is the error of a read or write of a record the request's
// principal may not see (its scope for the API does not admit the record).
var ErrOutOfScope = errors.New("record outside the token's scope")

// LargeFunc returns the store and collection holding the large data set of
// the collection named storeName (the query-timeout scenario's large
// organization); ok false means the collection has none.
type LargeFunc func(storeName string) (st *store.Store, col string, ok bool)

// Source is one API's records as its requests may see them: the store and,
// when the API has one, the large data set. Build it once per API and engine;
// it is safe for concurrent use.
type Source struct {
	api   string
	st    *store.Store
	large LargeFunc
	// uuid: per collection (store name), the dotted paths of its fields of
	// format uuid (SetUUIDFields).
	uuid map[string][]string
}

// NewSource returns the records of the API named api in st; large (may be
// nil) gives the large data set of a collection.
func NewSource(api string, st *store.Store, large LargeFunc) *Source {
	return &Source{api: api, st: st, large: large}
}

// SetUUIDFields declares the dotted paths of the fields of format uuid of
// the collection whose store name is col (specs.UUIDPaths of its schema,
// and a key whose parameter is a UUID): writes store their values in
// canonical lower case, and queries compare them without case (see
// uuid.go). Call it while building, before the source serves requests.
func (s *Source) SetUUIDFields(col string, paths []string) {
	if len(paths) == 0 {
		return
	}
	if s.uuid == nil {
		s.uuid = map[string][]string{}
	}
	for _, p := range paths {
		if !slices.Contains(s.uuid[col], p) {
			s.uuid[col] = append(s.uuid[col], p)
		}
	}
}

// Store returns the store the source reads and writes.
func (s *Source) Store() *store.Store { return s.st }

// API returns the name of the source's API.
func (s *Source) API() string { return s.api }

// View is the records one request sees: the data set its scenario chose
// (normal, empty or large, reqctx.DataSetOf) and the scope of its principal
// (reqctx.Principal). ViewOf builds it from a request's context (two
// context lookups, no allocation): the REST engine once per request, the
// GraphQL binder per bound field, whose context carries the executor's
// deadline that a read of the large data set spends against. REST and
// GraphQL see one meaning.
type View struct {
	src *Source
	ctx context.Context
	set reqctx.DataSet
	p   *auth.Principal
}

// ViewOf returns the view of src for the request whose context is ctx.
func ViewOf(ctx context.Context, src *Source) View {
	return View{src: src, ctx: ctx, set: reqctx.DataSetOf(ctx), p: reqctx.Principal(ctx)}
}

// Empty reports whether the request sees every collection empty.
func (v View) Empty() bool { return v.set == reqctx.DataEmpty }

// Principal returns the request's principal, or nil.
func (v View) Principal() *auth.Principal { return v.p }

// scoped reports whether the principal's scope restricts a binding that
// asks for it (scoped) in this view.
func (v View) scoped(scoped bool) bool {
	return scoped && v.p != nil && v.p.Scoped(v.src.api)
}

// admits reports whether the record passes the view's scope for a binding
// that asks for it.
func (v View) admits(scoped bool, it store.Item) bool {
	return !v.scoped(scoped) || v.p.Allows(v.src.api, it)
}

// read returns the store and collection a read of col goes to, and
// whether that is the large data set.
func (v View) read(col string) (*store.Store, string, bool) {
	if v.set == reqctx.DataLarge && v.src.large != nil {
		if st, name, ok := v.src.large(col); ok {
			return st, name, true
		}
	}
	return v.src.st, col, false
}

// TimeoutError is the answer of a read of the large data set that would
// take longer than the request's deadline allows: nothing is returned.
type TimeoutError struct {
	// Records is how many records the read would have fetched.
	Records int
	// Message is the scenario's wording of the timeout (reqctx.TimeoutMessage), or "".
	Message string
	// Err is the context's error when the deadline came while fetching;
	// nil when the fetch was refused up front.
	Err error
}

// Error returns the scenario's message, else a generic one.
func (e *TimeoutError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return "query timeout: " + e.Err.Error()
	}
	return "query timeout"
}

// Unwrap returns the context's error, if any.
func (e *TimeoutError) Unwrap() error { return e.Err }

// spend simulates the time a real backend needs to fetch n records of the
// large data set at cost each, giving up with a *TimeoutError when the
// request's deadline comes first.
func (v View) spend(cost time.Duration, n int) error {
	d := cost * time.Duration(n)
	if d <= 0 || v.ctx == nil {
		return nil
	}
	ctx := v.ctx
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		<-ctx.Done()
		return &TimeoutError{Records: n, Message: reqctx.TimeoutMessage(ctx)}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &TimeoutError{Records: n, Err: ctx.Err()}
	}
}
