package model

import (
	"time"

	"github.com/standin/standin/internal/manifest"
)

// Hints are facts about an API that its contract documents cannot state,
// given when they are known (for the bundled APIs: by their manifests).
// The zero value knows nothing; every method of the model has an answer
// without hints.
type Hints struct {
	// GraphQLPath is where the GraphQL endpoint is served ("": the
	// default, /graphql).
	GraphQLPath string
	// GraphQLSchemes are the ways the GraphQL endpoint takes a token (an
	// SDL declares none); nil: Authorization: Bearer.
	GraphQLSchemes []Scheme
	// ErrorCodes maps an HTTP status to the GraphQL extensions.code the
	// API answers with it.
	ErrorCodes map[int]string
	// RateLimit is the documented rate limit per token (nil: none known).
	RateLimit *RateLimit
	// MaxPageSize caps first/last on the API's connections (0: unknown).
	MaxPageSize int
	// Reads are the REST operations that read one record by a key, by
	// operationId.
	Reads map[string]KeyRead
	// Lists are the REST operations that list a collection: operationId
	// to collection.
	Lists map[string]string
	// Fields are the GraphQL fields bound to records, by type name and
	// field name.
	Fields map[string]map[string]FieldHint
}

// RateLimit is a number of requests allowed per token in a window.
type RateLimit struct {
	Limit  int
	Window time.Duration
}

// KeyRead is a REST operation reading one record of a collection: its
// path parameter Param selects the record whose Field equals it.
type KeyRead struct {
	Collection string
	Field      string
	Param      string
}

// Field kinds of a FieldHint.
const (
	KindGet        = "get"
	KindConnection = "connection"
	KindDelete     = "delete"
	KindUpdate     = "update"
)

// FieldHint is what a GraphQL field does with records: Kind get (one
// record of Collection whose Field equals the argument at Arg), connection,
// delete or update (a mutation on the record selected by Arg and Field;
// a delete is refused while its Blockers match).
type FieldHint struct {
	Kind       string
	Collection string
	// Arg is the (dotted) argument path selecting the record, e.g. id or
	// input.accountId.
	Arg   string
	Field string
	// Requires lists the permissions a caller needs for the field.
	Requires []string
	Blockers []Blocker
	// Match (a nested connection or ref) maps a field of its records to
	// the parent's field it equals: {accountId: id}.
	Match map[string]string
	// Set (an update) gives the fields it writes; "{{now}}" is the time
	// of the write.
	Set map[string]any
	// RefuseWhen (an update) refuses a record whose field has one of the
	// values.
	RefuseWhen map[string][]any
	// NotFound (a get) is the error code of a lookup that finds nothing.
	NotFound string
}

// Blocker refuses a delete while records of Collection that satisfy
// Where point at the target; the refusal carries Code.
type Blocker struct {
	Collection string
	Code       string
	Where      map[string][]any
}

// HintsFromManifest gives the hints a manifest holds.
func HintsFromManifest(m *manifest.API) Hints {
	h := Hints{ErrorCodes: map[int]string{}}
	if m.Auth.Bearer || m.Auth.APIKeyHeader == "" {
		h.GraphQLSchemes = append(h.GraphQLSchemes, BearerScheme())
	}
	if k := m.Auth.APIKeyHeader; k != "" {
		h.GraphQLSchemes = append(h.GraphQLSchemes, Scheme{Type: SchemeAPIKey, In: InHeader, Param: k})
	}
	for _, status := range []int{400, 401, 403, 404, 429, 500} {
		e := m.Error(status)
		code := e.GraphQLCode
		if code == "" {
			code = e.Code
		}
		h.ErrorCodes[status] = code
	}
	if rl := m.RateLimit; rl != nil && rl.Limit > 0 {
		h.RateLimit = &RateLimit{Limit: rl.Limit, Window: time.Duration(rl.Window)}
	}
	if m.REST != nil {
		h.Reads = map[string]KeyRead{}
		h.Lists = map[string]string{}
		for id, op := range m.REST.Operations {
			if op.Action == KindGet && op.Key != nil {
				h.Reads[id] = KeyRead{Collection: op.Collection, Field: op.Key.Field, Param: op.Key.Param}
			}
			if op.Action == "list" {
				h.Lists[id] = op.Collection
			}
		}
	}
	if m.GraphQL != nil {
		h.GraphQLPath = m.GraphQL.Path
		h.MaxPageSize = m.GraphQL.MaxPageSize
		h.Fields = map[string]map[string]FieldHint{}
		for typeName, fields := range m.GraphQL.Fields {
			h.Fields[typeName] = map[string]FieldHint{}
			for name, b := range fields {
				f := FieldHint{Kind: b.Kind, Collection: b.Collection, Arg: b.Arg, Field: b.Field, Requires: b.Requires,
					Match: b.Match, Set: b.Set, RefuseWhen: b.RefuseWhen, NotFound: b.NotFound}
				for _, blk := range b.Blockers {
					f.Blockers = append(f.Blockers, Blocker{Collection: blk.Collection, Code: blk.Code, Where: blk.Where})
				}
				h.Fields[typeName][name] = f
			}
		}
	}
	return h
}
