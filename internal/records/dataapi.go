// Package records is the record layer: what the records of a request are
// and how they are selected, ordered, paged and written, for REST, GraphQL
// and the control API's data API alike, free of any protocol.
//
// A View (ViewOf, once per request) is a Source's records as the request
// sees them: the data set its scenario chose (normal, empty, or the large
// data set of the query-timeout scenario, with a simulated cost per record)
// and its principal's scope. A Query (a Predicate of equalities and one-of
// values, the scope, an Order) is answered by View.Get (one record by key),
// View.List (a Span by position, with the store.Range fast path) or
// View.Cut (a Relay Window by cursor, with the store.Slice fast path); the
// choice between the store's index and a scan is made here once.
//
// The data API's Service lists the collections of an API and their records
// in store order, and inserts, replaces, patches (JSON merge patch, RFC
// 7396) and deletes records by their key. Every record written is validated
// exactly as fixture records are (fixtures.Checker: the collection's OpenAPI
// component schema or GraphQL type), and unique fields are checked inside
// the store transaction that writes, so an insert of many records is all or
// none.
//
// A collection's key is its first unique field (manifest.Collection.Unique);
// keys are given as text and match a record's value whatever its JSON type,
// as the store's indexes do ("1" finds client_id 1), and a UUID whatever
// the case of its digits. Fields of format uuid are stored in lower case,
// so an upper-case twin of a stored UUID is a taken value (uuid.go).
//
// Changes go to the store through its public API only, so they are seen at
// once by REST and GraphQL and undone by the store's Reset.
//
// Errors: ErrUnknownAPI, ErrUnknownCollection, ErrNotFound and
// ErrOutOfScope (match with errors.Is), *ValidationError (400: one RFC 6901
// pointer per violation, relative to the body sent), *ConflictError (409: a
// unique value taken) and *TimeoutError (a read of the large data set out
// of time).
package records

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/contract"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// Bounds of List.
const (
	// DefaultLimit is the page size List uses for a limit of 0.
	DefaultLimit = 100
	// MaxLimit is the largest page List returns.
	MaxLimit = 10000
	// MaxBatch is the most records one Insert takes.
	MaxBatch = 10000
)

// Errors of lookups; match with errors.Is.
var (
	ErrUnknownAPI        = errors.New("unknown API")
	ErrUnknownCollection = errors.New("unknown collection")
	ErrNotFound          = errors.New("record not found")
	ErrBadRequest        = errors.New("bad request")
)

// Violation is one reason a body was refused: an RFC 6901 pointer into the
// body as sent and what is wrong.
type Violation = diag.Violation

// ValidationError says why records were refused; nothing was written.
type ValidationError struct {
	Collection string
	Violations []Violation
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, min(len(e.Violations), 3))
	for _, v := range e.Violations[:min(len(e.Violations), 3)] {
		ptr := v.Pointer
		if ptr == "" {
			ptr = "(body)"
		}
		parts = append(parts, ptr+": "+v.Reason)
	}
	more := ""
	if len(e.Violations) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(e.Violations)-3)
	}
	return fmt.Sprintf("%d violation(s) of the %s schema: %s%s", len(e.Violations), e.Collection, strings.Join(parts, "; "), more)
}

// ConflictError says a unique value is taken; nothing was written.
type ConflictError struct {
	Collection string
	// Pointer locates the value in the body sent.
	Pointer string
	Field   string
	Value   string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: a record with %s %q exists already", e.Collection, e.Field, e.Value)
}

// Collection describes one collection of an API.
type Collection struct {
	// Name is the collection's name inside the API.
	Name string `json:"name"`
	// Key is the field records are addressed by (the first unique field).
	Key string `json:"key"`
	// Unique lists every unique field.
	Unique []string `json:"unique"`
	// Schema names the type records are validated against ("" for none).
	Schema string `json:"schema,omitempty"`
	// Count is the number of records held now.
	Count int `json:"count"`
}

// Page is one page of List.
type Page struct {
	Records []store.Record
	// Total is the collection's size.
	Total int
	// Next is the key to pass as after for the next page, "" on the last.
	Next string
}

type collection struct {
	api    string
	def    manifest.Collection
	store  string
	check  *fixtures.Checker
	unique []string
	// uuid: the fields of format uuid, stored in lower case (uuid.go).
	uuid []string
}

// Service reads and writes the records of the APIs it was built for.
type Service struct {
	st   *store.Store
	apis map[string]map[string]*collection
}

// New prepares the data API over st for apis, whose contract documents are
// read from specs (as fixtures.Load reads them; through docs, which may be
// nil, so that each is loaded once).
func New(st *store.Store, apis []*manifest.API, specs fs.FS, docs *contract.Cache) (*Service, error) {
	s := &Service{st: st, apis: map[string]map[string]*collection{}}
	for _, a := range apis {
		chk, err := fixtures.NewChecker(a, specs, docs)
		if err != nil {
			return nil, err
		}
		cols := map[string]*collection{}
		for _, c := range a.Collections {
			cols[c.Name] = &collection{api: a.Name, def: c, store: manifest.StoreName(a.Name, c.Name), check: chk, unique: c.Unique, uuid: chk.UUIDFields(c.Name)}
		}
		s.apis[a.Name] = cols
	}
	return s, nil
}

// APIs returns the names of the APIs served, sorted.
func (s *Service) APIs() []string { return slices.Sorted(maps.Keys(s.apis)) }

// Collections lists an API's collections, sorted by name, with their sizes.
func (s *Service) Collections(api string) ([]Collection, error) {
	cols, err := s.api(api)
	if err != nil {
		return nil, err
	}
	out := make([]Collection, 0, len(cols))
	for _, name := range slices.Sorted(maps.Keys(cols)) {
		c := cols[name]
		n, err := s.st.Len(c.store)
		if err != nil {
			return nil, err
		}
		out = append(out, Collection{Name: name, Key: c.key(), Unique: slices.Clone(c.unique), Schema: c.def.Schema, Count: n})
	}
	return out, nil
}

// List returns up to limit records (DefaultLimit for 0) in store order,
// starting after the record whose key is after ("" for the start).
func (s *Service) List(api, col string, limit int, after string) (Page, error) {
	c, err := s.collection(api, col)
	if err != nil {
		return Page{}, err
	}
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		return Page{}, fmt.Errorf("%w: limit %d must be between 1 and %d", ErrBadRequest, limit, MaxLimit)
	}
	w := store.Window{First: limit, Last: -1}
	if after != "" {
		it, err := s.item(c, after)
		if err != nil {
			return Page{}, fmt.Errorf("%w: after: %v", ErrBadRequest, err)
		}
		w.After = it.Seq
	}
	p, err := s.st.Slice(c.store, w)
	if err != nil {
		return Page{}, err
	}
	out := Page{Records: make([]store.Record, len(p.Items)), Total: p.Total}
	for i, it := range p.Items {
		out.Records[i] = it.Record()
	}
	if p.HasNext && len(p.Items) > 0 {
		out.Next, _ = store.KeyOf(p.Items[len(p.Items)-1].Lookup(c.key()))
	}
	return out, nil
}

// KeyOf returns the key of a record of the collection, as text.
func (s *Service) KeyOf(api, col string, r store.Record) (string, bool) {
	c, err := s.collection(api, col)
	if err != nil {
		return "", false
	}
	return store.KeyOf(store.Lookup(r, c.key()))
}

// Get returns the record whose key is key.
func (s *Service) Get(api, col, key string) (store.Record, error) {
	c, err := s.collection(api, col)
	if err != nil {
		return nil, err
	}
	it, err := s.item(c, key)
	if err != nil {
		return nil, err
	}
	return it.Record(), nil
}

// Insert adds one record (body is a JSON object) or several (a JSON array
// of objects), all or none, and returns them as stored.
func (s *Service) Insert(api, col string, body any) ([]store.Record, error) {
	c, err := s.collection(api, col)
	if err != nil {
		return nil, err
	}
	var recs []store.Record
	var prefix func(i int) string
	switch b := body.(type) {
	case map[string]any:
		recs, prefix = []store.Record{b}, func(int) string { return "" }
	case []any:
		if len(b) == 0 {
			return nil, c.invalid(Violation{Pointer: "", Reason: "an empty array inserts nothing: send a record or an array of records"})
		}
		if len(b) > MaxBatch {
			return nil, c.invalid(Violation{Pointer: "", Reason: fmt.Sprintf("%d records in one request; at most %d", len(b), MaxBatch)})
		}
		prefix = func(i int) string { return "/" + strconv.Itoa(i) }
		var vs []Violation
		for i, e := range b {
			m, ok := e.(map[string]any)
			if !ok {
				vs = append(vs, Violation{Pointer: prefix(i), Reason: "a record must be a JSON object, got " + jsonType(e)})
				continue
			}
			recs = append(recs, m)
		}
		if len(vs) > 0 {
			return nil, c.invalid(vs...)
		}
	default:
		return nil, c.invalid(Violation{Pointer: "", Reason: "send a record (a JSON object) or an array of records, got " + jsonType(body)})
	}
	var vs []Violation
	for i, r := range recs {
		recs[i] = specs.CanonicalUUIDs(r, c.uuid)
		vs = append(vs, c.validate(recs[i], prefix(i))...)
	}
	if len(vs) > 0 {
		return nil, c.invalid(vs...)
	}
	err = s.st.Update(func(tx *store.Tx) error {
		for i, r := range recs {
			if err := c.free(tx, r, 0, prefix(i)); err != nil {
				return err
			}
			if _, err := tx.Insert(c.store, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// Replace stores rec in place of the record whose key is key, at the same
// position. rec may leave out the key field (it is kept) but not change it.
func (s *Service) Replace(api, col, key string, rec any) (store.Record, error) {
	c, err := s.collection(api, col)
	if err != nil {
		return nil, err
	}
	m, ok := rec.(map[string]any)
	if !ok {
		return nil, c.invalid(Violation{Pointer: "", Reason: "a record must be a JSON object, got " + jsonType(rec)})
	}
	return s.write(c, key, func(store.Record) (store.Record, error) { return m, nil })
}

// Patch applies a JSON merge patch (RFC 7396) to the record whose key is
// key and stores the result, validated, in its place.
func (s *Service) Patch(api, col, key string, patch any) (store.Record, error) {
	c, err := s.collection(api, col)
	if err != nil {
		return nil, err
	}
	return s.write(c, key, func(old store.Record) (store.Record, error) {
		m, ok := MergePatch(old, patch).(map[string]any)
		if !ok {
			return nil, c.invalid(Violation{Pointer: "", Reason: "the patch turns the record into " + jsonType(MergePatch(old, patch)) + "; a record must be a JSON object"})
		}
		return m, nil
	})
}

// write replaces the record of key with what next makes of it, after
// validation, keeping its key.
func (s *Service) write(c *collection, key string, next func(old store.Record) (store.Record, error)) (store.Record, error) {
	var out store.Record
	err := s.st.Update(func(tx *store.Tx) error {
		it, ok, err := source{tx: tx}.getKey(c.store, c.key(), key)
		if err != nil {
			return err
		}
		if !ok {
			return c.notFound(key)
		}
		old := it.Record()
		r, err := next(old)
		if err != nil {
			return err
		}
		r = specs.CanonicalUUIDs(r, c.uuid)
		kf := c.key()
		stored, _ := store.KeyOf(store.Lookup(old, kf))
		switch nk, present := store.KeyOf(store.Lookup(r, kf)); {
		case store.Lookup(r, kf) == nil:
			r = withField(r, kf, store.Lookup(old, kf))
		case !present || nk != stored:
			return c.invalid(Violation{Pointer: jsonptr.Format(strings.Split(kf, ".")...), Reason: fmt.Sprintf("the key %s must stay %q (the record's path); delete and insert to change it", kf, stored)})
		}
		if vs := c.validate(r, ""); len(vs) > 0 {
			return c.invalid(vs...)
		}
		if err := c.free(tx, r, it.Seq, ""); err != nil {
			return err
		}
		out = r
		return tx.Replace(c.store, it.Seq, r)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes the record whose key is key.
func (s *Service) Delete(api, col, key string) error {
	c, err := s.collection(api, col)
	if err != nil {
		return err
	}
	return s.st.Update(func(tx *store.Tx) error {
		it, ok, err := source{tx: tx}.getKey(c.store, c.key(), key)
		if err != nil {
			return err
		} else if !ok {
			return c.notFound(key)
		}
		_, err = tx.Delete(c.store, c.key(), it.Lookup(c.key()))
		return err
	})
}

func (s *Service) api(api string) (map[string]*collection, error) {
	cols, ok := s.apis[api]
	if !ok {
		return nil, fmt.Errorf("%w %q; APIs: %s", ErrUnknownAPI, api, strings.Join(s.APIs(), ", "))
	}
	return cols, nil
}

func (s *Service) collection(api, col string) (*collection, error) {
	cols, err := s.api(api)
	if err != nil {
		return nil, err
	}
	c, ok := cols[col]
	if !ok {
		return nil, fmt.Errorf("%w %q of %s; collections: %s", ErrUnknownCollection, col, api, strings.Join(slices.Sorted(maps.Keys(cols)), ", "))
	}
	if c.key() == "" {
		return nil, fmt.Errorf("%w: collection %s of %s has no unique field to address records by", ErrBadRequest, col, api)
	}
	return c, nil
}

func (s *Service) item(c *collection, key string) (store.Item, error) {
	it, ok, err := source{st: s.st}.getKey(c.store, c.key(), key)
	if err != nil {
		return store.Item{}, err
	}
	if !ok {
		return store.Item{}, c.notFound(key)
	}
	return it, nil
}

func (c *collection) key() string {
	if len(c.unique) == 0 {
		return ""
	}
	return c.unique[0]
}

func (c *collection) notFound(key string) error {
	return fmt.Errorf("%w: %s has no record with %s %q", ErrNotFound, c.def.Name, c.key(), key)
}

func (c *collection) invalid(vs ...Violation) error {
	return &ValidationError{Collection: c.api + "." + c.def.Name, Violations: vs}
}

// validate checks r against the schema and for its unique fields, with
// pointers under prefix.
func (c *collection) validate(r store.Record, prefix string) []Violation {
	var out []Violation
	for _, v := range c.check.Check(c.def.Name, r) {
		out = append(out, Violation{Pointer: prefix + v.Pointer, Reason: v.Reason})
	}
	for _, f := range c.unique {
		if _, ok := store.KeyOf(store.Lookup(r, f)); !ok {
			out = append(out, Violation{Pointer: prefix + jsonptr.Format(strings.Split(f, ".")...), Reason: fmt.Sprintf("unique field %s needs a string, number or boolean value", f)})
		}
	}
	return out
}

// free reports a *ConflictError when a unique value of r belongs to a
// record other than the one at seq (0: any record).
func (c *collection) free(tx *store.Tx, r store.Record, seq uint64, prefix string) error {
	for _, f := range c.unique {
		v := store.Lookup(r, f)
		it, taken, err := tx.Get(c.store, f, v)
		if err != nil {
			return err
		}
		if taken && it.Seq != seq {
			k, _ := store.KeyOf(v)
			return &ConflictError{Collection: c.api + "." + c.def.Name, Pointer: prefix + jsonptr.Format(strings.Split(f, ".")...), Field: f, Value: k}
		}
	}
	return nil
}

// withField returns a copy of r with the dotted path set to v.
func withField(r store.Record, path string, v any) store.Record {
	out := maps.Clone(r)
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		out[head] = v
		return out
	}
	inner, _ := out[head].(map[string]any)
	if inner == nil {
		inner = map[string]any{}
	}
	out[head] = withField(inner, rest, v)
	return out
}

// MergePatch applies a JSON merge patch (RFC 7396) to target and returns
// the result. target is not changed; parts of it the patch leaves alone are
// shared with the result.
func MergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	out := maps.Clone(t)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = MergePatch(out[k], v)
	}
	return out
}

// jsonType names the JSON type of v for the data API's errors (a list is
// "an array": the bodies are JSON).
func jsonType(v any) string { return fakedata.TypeNameWith(v, "an array") }
