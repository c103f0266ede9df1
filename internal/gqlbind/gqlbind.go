// Package gqlbind resolves GraphQL fields against the store, as the API
// manifest's graphql.fields bindings declare: no Go code per API.
//
// A Binder implements exec.Resolver. Fields without a binding read the
// same-named key of their parent record (the executor's default). Bound
// fields follow their kind:
//
//   - object: a namespace object such as Query.admin; resolves to {}.
//   - get: the record of `collection` whose `field` equals the argument at
//     `arg` (a dotted path, e.g. "input.accountId"); null when none, with an
//     error of code `notFound` when that is set.
//   - ref: the record of `collection` whose fields equal the parent's, as
//     `match` maps them (record field: parent field).
//   - connection: a Relay connection (edges, nodes, pageInfo, totalCount)
//     over `collection`, restricted to the parent's records by `match`, to
//     `where`, and to the `filter` argument's fields (mapped by `filter`),
//     ordered by the `orderBy` argument ({field, direction}, fields mapped by
//     `order`; ties in creation order) or by insertion order. first/after
//     and last/before follow the Relay specification; cursors come from
//     package cursor and carry the order they belong to, so a cursor of
//     another orderBy, a garbage cursor, first or last outside 0..maxPageSize,
//     or first with last is a BAD_USER_INPUT error on the field. With neither
//     first nor last, `pageSize` records are returned (0: all of them).
//     Records restricted by `match` (or else by a filter field) are read
//     through the store's index on that field (store.Find), not by a scan.
//   - list: a plain list of the records of `collection` (those matching
//     `where`, and the parent's by `match`), in creation order, at most
//     `pageSize` of them (0: all); for list fields without Relay arguments.
//   - delete: removes the record selected by arg/field unless a `blockers`
//     condition matches it, all in one store transaction; answers `payload`.
//   - update: writes `set` into the record selected by arg/field unless
//     `refuseWhen` matches it; answers `payload` ("{{record}}" is the record).
//
// Error messages name one record of the collection in the singular
// ("no account with id …", "account … cannot be deleted: …"); a refused
// delete names every blocking record and lists them per blocker under
// extensions.blockers ({code, collection, ids}).
//
// `scoped: true` on a binding applies the token's record scope for the API
// (auth.Scope): a connection or list leaves out the records the scope does
// not admit, a ref is null, and a get, delete or update of such a record is
// a FORBIDDEN error.
//
// The meaning of a selection, an order, a page, a data set (empty, large)
// and a scope is package records'; this package translates arguments into
// records queries and query results into GraphQL values.
//
// `requires` on any binding checks the caller's permissions; a caller
// without them gets a FORBIDDEN error on that field, so a nullable field
// answers null with the error, as the admin page's "permission denied"
// troubleshooting case describes.
//
// # Graph mode
//
// An API whose manifest says graphql.graph (every SDL given alone with
// --spec) is served as a graph of records: each collection whose schema
// names an object type holds that type's records, and every field without
// a binding is resolved by the plan package sdlmodel makes of the schema
// (graph.go and the graph_*.go files): object fields are links (the record
// stores the target's key, resolved when queried, never a nested copy),
// lists and connections are the records linking back or the keys a record
// stores, root fields look records up by their arguments (node(id:) by
// global id, repository(owner:, name:) through owner.login), search
// matches words, mutations create, change and delete records and answer
// them or a payload filled from them, and a non-null field no record holds
// is generated from its type (graph_fill.go), so a non-null field is
// never null. docs/decisions.md gives the rules.
package gqlbind

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// Error codes of the bindings.
const (
	CodeForbidden    = "FORBIDDEN"
	CodeBadUserInput = exec.CodeBadUserInput
	CodeTimeout      = exec.CodeTimeout
	CodeNotFound     = "NOT_FOUND"
	// CodeConflict is a blocked delete's code when no matching blocker
	// names one.
	CodeConflict = "CONFLICT"
	// CodeUnavailable: the shared state (--state) is unreachable and the
	// mutation was not made; the HTTP answer is 503 with Retry-After.
	CodeUnavailable = "SERVICE_UNAVAILABLE"
)

// DefaultMaxPageSize caps first and last when the manifest does not.
const DefaultMaxPageSize = 100

// Options tune a Binder. Zero values take defaults.
type Options struct {
	// Now is the clock for "{{now}}" values (default time.Now).
	Now func() time.Time
	// Large returns the store and collection to read instead of the named
	// one when the request's data set is "large" (the query-timeout
	// scenario's large organization). ok false means there is no large set.
	Large records.LargeFunc
}

// Binder resolves the bound fields of one API.
type Binder struct {
	api     *manifest.API
	schema  *ast.Schema
	st      *store.Store
	src     *records.Source
	byDef   map[*ast.FieldDefinition]*binding // bindings by schema field
	maxPage int
	opts    Options
	// graph resolves the unbound fields of an API in graph mode (nil
	// otherwise: they read the parent's same-named key).
	graph *graph
}

var _ exec.Resolver = (*Binder)(nil)

type binding struct {
	manifest.FieldBinding
	typ, name string
	col       string // store name
	noun      string // one record of the collection, for messages ("account")
	orders    map[string]string
	blockers  []records.Blocker // a delete's, compiled
}

// New checks the API's bindings against its schema and the store, and
// returns a Binder for them.
func New(api *manifest.API, schema *ast.Schema, st *store.Store, opts Options) (*Binder, error) {
	if api.GraphQL == nil {
		return nil, fmt.Errorf("gqlbind: API %q has no graphql section", api.Name)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := &Binder{api: api, schema: schema, st: st, src: records.NewSource(api.Name, st, opts.Large), byDef: map[*ast.FieldDefinition]*binding{}, maxPage: api.GraphQL.MaxPageSize, opts: opts}
	if b.maxPage <= 0 {
		b.maxPage = DefaultMaxPageSize
	}
	var errs []error
	for typ, fields := range api.GraphQL.Fields {
		def := schema.Types[typ]
		if def == nil {
			errs = append(errs, fmt.Errorf("binding for unknown type %q", typ))
			continue
		}
		for name, fb := range fields {
			fd := def.Fields.ForName(name)
			if fd == nil {
				errs = append(errs, fmt.Errorf("binding %s.%s: the type has no such field", typ, name))
				continue
			}
			bd := &binding{FieldBinding: fb, typ: typ, name: name, noun: conventions.Singular(fb.Collection)}
			if fb.Collection != "" {
				bd.col = manifest.StoreName(api.Name, fb.Collection)
			}
			if err := b.check(bd, fd); err != nil {
				errs = append(errs, fmt.Errorf("binding %s.%s: %w", typ, name, err))
				continue
			}
			bd.blockers = b.blockersOf(bd)
			b.byDef[fd] = bd
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("gqlbind %s: %w", api.Name, err)
	}
	if api.GraphQL.Graph {
		g, err := newGraph(b)
		if err != nil {
			return nil, fmt.Errorf("gqlbind %s: %w", api.Name, err)
		}
		b.graph = g
	}
	return b, nil
}

func (b *Binder) check(bd *binding, fd *ast.FieldDefinition) error {
	needCol := func() error {
		if bd.col == "" {
			return fmt.Errorf("kind %s needs a collection", bd.Kind)
		}
		return nil
	}
	needArg := func() error {
		if bd.Arg == "" || bd.Field == "" {
			return fmt.Errorf("kind %s needs arg and field", bd.Kind)
		}
		head, _, _ := strings.Cut(bd.Arg, ".")
		if fd.Arguments.ForName(head) == nil {
			return fmt.Errorf("field has no argument %q", head)
		}
		return nil
	}
	switch bd.Kind {
	case "object":
		return nil
	case "get", "delete", "update":
		if err := needCol(); err != nil {
			return err
		}
		return needArg()
	case "ref":
		if err := needCol(); err != nil {
			return err
		}
		if len(bd.Match) == 0 {
			return errors.New("kind ref needs match")
		}
		return nil
	case "list":
		if err := needCol(); err != nil {
			return err
		}
		if fd.Type.Elem == nil {
			return errors.New("kind list needs a list type")
		}
		return nil
	case "connection":
		if err := needCol(); err != nil {
			return err
		}
		for _, a := range []string{"first", "after", "last", "before"} {
			if fd.Arguments.ForName(a) == nil {
				return fmt.Errorf("a connection field needs the argument %q", a)
			}
		}
		bd.orders = bd.Order
		return nil
	}
	return fmt.Errorf("unknown kind %q (want object, get, ref, connection, list, delete or update)", bd.Kind)
}
