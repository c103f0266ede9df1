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
// `requires` on any binding checks the caller's permissions; a caller
// without them gets a FORBIDDEN error on that field, so a nullable field
// answers null with the error, as the admin page's "permission denied"
// troubleshooting case describes.
package gqlbind

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/cursor"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// Error codes of the bindings.
const (
	CodeForbidden    = "FORBIDDEN"
	CodeBadUserInput = exec.CodeBadUserInput
	CodeTimeout      = exec.CodeTimeout
	CodeNotFound     = "NOT_FOUND"
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
	Large func(storeName string) (*store.Store, string, bool)
}

// Binder resolves the bound fields of one API.
type Binder struct {
	api     *manifest.API
	schema  *ast.Schema
	st      *store.Store
	byDef   map[*ast.FieldDefinition]*binding // bindings by schema field
	maxPage int
	opts    Options
}

var _ exec.Resolver = (*Binder)(nil)

type binding struct {
	manifest.FieldBinding
	typ, name string
	col       string // store name
	noun      string // one record of the collection, for messages ("account")
	orders    map[string]string
}

// singular names one record of a collection in messages: "accounts" →
// "account", "policies" → "policy", "addresses" → "address".
func singular(col string) string {
	switch {
	case strings.HasSuffix(col, "ies") && len(col) > 3:
		return col[:len(col)-3] + "y"
	case strings.HasSuffix(col, "sses"), strings.HasSuffix(col, "xes"), strings.HasSuffix(col, "ches"), strings.HasSuffix(col, "shes"):
		return col[:len(col)-2]
	case strings.HasSuffix(col, "s") && !strings.HasSuffix(col, "ss"):
		return col[:len(col)-1]
	}
	return col
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
	b := &Binder{api: api, schema: schema, st: st, byDef: map[*ast.FieldDefinition]*binding{}, maxPage: api.GraphQL.MaxPageSize, opts: opts}
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
			bd := &binding{FieldBinding: fb, typ: typ, name: name, noun: singular(fb.Collection)}
			if fb.Collection != "" {
				bd.col = manifest.StoreName(api.Name, fb.Collection)
			}
			if err := b.check(bd, fd); err != nil {
				errs = append(errs, fmt.Errorf("binding %s.%s: %w", typ, name, err))
				continue
			}
			b.byDef[fd] = bd
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("gqlbind %s: %w", api.Name, err)
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

// Resolve implements exec.Resolver.
func (b *Binder) Resolve(ctx context.Context, f exec.FieldContext) (any, error) {
	bd := b.byDef[f.Field]
	if bd == nil {
		return exec.Default, nil
	}
	if len(bd.Requires) > 0 {
		p := reqctx.Principal(ctx)
		if p == nil || !p.Has(bd.Requires...) {
			var missing []string
			if p != nil {
				missing = p.Missing(bd.Requires...)
			} else {
				missing = bd.Requires
			}
			return nil, &exec.Error{
				Code:       CodeForbidden,
				Message:    fmt.Sprintf("permission denied: %s.%s requires the %s permission", f.ParentType, f.Name, strings.Join(missing, ", ")),
				Extensions: map[string]any{"requiredPermissions": toAny(bd.Requires)},
			}
		}
	}
	empty := reqctx.DataSetOf(ctx) == reqctx.DataEmpty
	switch bd.Kind {
	case "object":
		return map[string]any{}, nil
	case "get":
		return b.get(ctx, bd, f, empty)
	case "ref":
		return b.ref(bd, f, empty)
	case "connection":
		return b.connection(ctx, bd, f, empty)
	case "list":
		return b.list(ctx, bd, f, empty)
	case "delete":
		return unavailable(b.delete(bd, f, empty))
	case "update":
		return unavailable(b.update(bd, f, empty))
	}
	return nil, fmt.Errorf("gqlbind: unknown kind %q", bd.Kind)
}

func (b *Binder) get(ctx context.Context, bd *binding, f exec.FieldContext, empty bool) (any, error) {
	key := argAt(f.Args, bd.Arg)
	if !empty {
		st, col, _ := b.collection(ctx, bd.col)
		it, ok, err := st.Get(col, bd.Field, key)
		if low, isUUID := upperUUID(key); err == nil && !ok && isUUID {
			it, ok, err = st.Get(col, bd.Field, low)
		}
		if err != nil {
			return nil, err
		}
		if ok {
			return recordValue(it), nil
		}
	}
	if bd.NotFound != "" {
		return nil, &exec.Error{Code: bd.NotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
	}
	return nil, nil
}

// list answers a plain list field: the collection's records that match
// where (and the parent by match), in creation order, at most pageSize.
func (b *Binder) list(ctx context.Context, bd *binding, f exec.FieldContext, empty bool) (any, error) {
	out := []any{}
	if empty {
		return out, nil
	}
	st, col, _ := b.collection(ctx, bd.col)
	err := st.Scan(col, func(it store.Item) bool {
		if !matchesWhere(it, bd.Where) {
			return true
		}
		for rf, pf := range bd.Match {
			if !isRecord(f.Parent) || !equal(it.Lookup(rf), parentLookup(f.Parent, pf)) {
				return true
			}
		}
		out = append(out, recordValue(it))
		return bd.PageSize <= 0 || len(out) < bd.PageSize
	})
	return out, err
}

func (b *Binder) ref(bd *binding, f exec.FieldContext, empty bool) (any, error) {
	if !isRecord(f.Parent) || empty {
		return nil, nil
	}
	field, pf := firstMatch(bd.Match)
	it, ok, err := b.st.Get(bd.col, field, parentLookup(f.Parent, pf))
	if err != nil || !ok {
		return nil, err
	}
	for rf, pf := range bd.Match {
		if !equal(it.Lookup(rf), parentLookup(f.Parent, pf)) {
			return nil, nil
		}
	}
	return recordValue(it), nil
}

// collection is the store and collection to read for a request; large
// reports whether it is the large data set.
func (b *Binder) collection(ctx context.Context, col string) (st *store.Store, name string, large bool) {
	if reqctx.DataSetOf(ctx) == reqctx.DataLarge && b.opts.Large != nil {
		if lst, lname, ok := b.opts.Large(col); ok {
			return lst, lname, true
		}
	}
	return b.st, col, false
}

func badInput(format string, args ...any) error {
	return &exec.Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...)}
}

func (b *Binder) connection(ctx context.Context, bd *binding, f exec.FieldContext, empty bool) (any, error) {
	first, last := -1, -1
	if v, ok := f.Args["first"].(int); ok {
		if v < 0 || v > b.maxPage {
			return nil, badInput("first must be between 0 and %d, got %d", b.maxPage, v)
		}
		first = v
	}
	if v, ok := f.Args["last"].(int); ok {
		if v < 0 || v > b.maxPage {
			return nil, badInput("last must be between 0 and %d, got %d", b.maxPage, v)
		}
		last = v
	}
	if first >= 0 && last >= 0 {
		return nil, badInput("pass first or last, not both")
	}
	if first < 0 && last < 0 && bd.PageSize > 0 {
		first = bd.PageSize
	}
	orderKey, orderField, desc, err := b.orderOf(bd, f.Args["orderBy"])
	if err != nil {
		return nil, err
	}
	after, err := decodeArg(f.Args["after"], "after", orderKey)
	if err != nil {
		return nil, err
	}
	before, err := decodeArg(f.Args["before"], "before", orderKey)
	if err != nil {
		return nil, err
	}
	filter, err := b.filterOf(bd, f)
	if err != nil {
		return nil, err
	}

	st, col, large := b.collection(ctx, bd.col)
	var page store.Page
	switch {
	case empty:
	case filter == nil && orderKey == "":
		w := store.Window{First: first, Last: last}
		if after != nil {
			w.After = after.Seq
		}
		if before != nil {
			w.Before = before.Seq
		}
		if page, err = st.Slice(col, w); err != nil {
			return nil, err
		}
	default:
		items, err := selectItems(st, col, filter)
		if err != nil {
			return nil, err
		}
		lo, hi := 0, len(items)
		if orderKey == "" {
			if after != nil {
				lo = sort.Search(len(items), func(i int) bool { return items[i].Seq > after.Seq })
			}
			if before != nil {
				hi = sort.Search(len(items), func(i int) bool { return items[i].Seq >= before.Seq })
			}
		} else {
			less := orderLess(orderField, desc)
			sort.SliceStable(items, func(i, j int) bool { return less(items[i], items[j]) })
			if after != nil {
				lo = sort.Search(len(items), func(i int) bool { return afterPos(items[i], *after, orderField, desc) })
			}
			if before != nil {
				hi = sort.Search(len(items), func(i int) bool { return !beforePos(items[i], *before, orderField, desc) })
			}
		}
		page = store.SlicePositions(items, lo, hi, first, last)
	}
	if cost := time.Duration(bd.RecordCost); cost > 0 && large {
		if err := spend(ctx, cost*time.Duration(len(page.Items)), len(page.Items), f.Name); err != nil {
			return nil, err
		}
	}
	return b.connectionValue(page, orderKey, orderField), nil
}

// spend simulates the time a real backend needs to fetch n records,
// giving up with a TIMEOUT error when the query's deadline comes first.
func spend(ctx context.Context, d time.Duration, n int, field string) error {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		<-ctx.Done()
		msg := reqctx.TimeoutMessage(ctx)
		if msg == "" {
			msg = fmt.Sprintf("query timeout: %s would fetch %d records, more than the query time limit allows; use pagination (first/after) to fetch fewer per request", field, n)
		}
		return &exec.Error{Code: CodeTimeout, Message: msg, Extensions: map[string]any{"records": n}}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &exec.Error{Code: CodeTimeout, Message: "query timeout: " + ctx.Err().Error()}
	}
}

func (b *Binder) connectionValue(page store.Page, orderKey, orderField string) exec.Object {
	return &connValue{page: page, orderKey: orderKey, orderField: orderField}
}

// connValue is a connection page as an exec.Object: edges, nodes, pageInfo
// and cursors are built only when the query asks for them, without a map
// per edge.
type connValue struct {
	page                 store.Page
	orderKey, orderField string
}

type edgeValue struct {
	c *connValue
	i int
}

type pageInfoValue struct{ c *connValue }

func (c *connValue) cursor(i int) string { return cursorOf(c.page.Items[i], c.orderKey, c.orderField) }

func (c *connValue) GraphQLField(name string) any {
	switch name {
	case "edges":
		edges := make([]edgeValue, len(c.page.Items))
		out := make([]any, len(edges))
		for i := range edges {
			edges[i] = edgeValue{c: c, i: i}
			out[i] = &edges[i]
		}
		return out
	case "nodes":
		out := make([]any, len(c.page.Items))
		for i, it := range c.page.Items {
			out[i] = recordValue(it)
		}
		return out
	case "totalCount":
		return c.page.Total
	case "pageInfo":
		return pageInfoValue{c}
	}
	return nil
}

func (e *edgeValue) GraphQLField(name string) any {
	switch name {
	case "node":
		return recordValue(e.c.page.Items[e.i])
	case "cursor":
		return e.c.cursor(e.i)
	}
	return nil
}

func (p pageInfoValue) GraphQLField(name string) any {
	n := len(p.c.page.Items)
	switch name {
	case "hasNextPage":
		return p.c.page.HasNext
	case "hasPreviousPage":
		return p.c.page.HasPrevious
	case "startCursor":
		if n > 0 {
			return p.c.cursor(0)
		}
	case "endCursor":
		if n > 0 {
			return p.c.cursor(n - 1)
		}
	}
	return nil
}

// recordValue is the GraphQL value of a stored record: the record's map,
// or for a packed record (large collections) a packedRecord, so a page of
// them is not unpacked into maps.
func recordValue(it store.Item) any {
	if it.Packed() {
		return packedRecord{it}
	}
	return it.Record()
}

// packedRecord serves a packed record's fields to the executor.
type packedRecord struct{ it store.Item }

// GraphQLField implements exec.Object.
func (p packedRecord) GraphQLField(name string) any { return p.it.Lookup(name) }

// isRecord reports whether a parent value is a record (see recordValue).
func isRecord(parent any) bool {
	switch p := parent.(type) {
	case map[string]any:
		return p != nil
	case packedRecord:
		return true
	}
	return false
}

// parentLookup reads a dotted path of a record given as a parent value.
func parentLookup(parent any, path string) any {
	switch p := parent.(type) {
	case map[string]any:
		return store.Lookup(p, path)
	case packedRecord:
		return p.it.Lookup(path)
	}
	return nil
}

func cursorOf(it store.Item, orderKey, orderField string) string {
	if orderKey == "" {
		return cursor.EncodeSeq(it.Seq)
	}
	return cursor.Encode(cursor.Cursor{Seq: it.Seq, Order: orderKey, Value: sortValue(it, orderField)})
}

func decodeArg(v any, name, orderKey string) (*cursor.Cursor, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return nil, nil
	}
	c, err := cursor.Decode(s)
	if err != nil {
		return nil, badInput("%s: %q is not a cursor issued by this connection", name, s)
	}
	if c.Order != orderKey {
		return nil, badInput("%s: the cursor belongs to another orderBy than this query's", name)
	}
	return &c, nil
}

func (b *Binder) orderOf(bd *binding, v any) (key, field string, desc bool, err error) {
	m, ok := v.(map[string]any)
	if !ok || m == nil {
		return "", "", false, nil
	}
	name, _ := m["field"].(string)
	dir, _ := m["direction"].(string)
	field, ok = bd.orders[name]
	if !ok {
		return "", "", false, badInput("orderBy.field %q cannot be used here", name)
	}
	return name + ":" + dir, field, dir == "DESC", nil
}

// predicate restricts a connection's records: every eq field must equal
// its value and every where field hold one of its values. key, when set,
// is the eq field looked up through the store's index (store.Find) instead
// of scanning the whole collection.
type predicate struct {
	eq    map[string]any
	where map[string][]any
	key   string
}

func (p *predicate) keep(it store.Item) bool {
	for field, v := range p.eq {
		if field != p.key && !equal(it.Lookup(field), v) {
			return false
		}
	}
	return matchesWhere(it, p.where)
}

// filterOf returns the record predicate of the binding's where, match and
// filter argument, or nil when nothing restricts the collection. The index
// key is the first match field (the parent link, e.g. accountId), else the
// first filter field by name.
func (b *Binder) filterOf(bd *binding, f exec.FieldContext) (*predicate, error) {
	want := map[string]any{}
	for field, pf := range bd.Match {
		want[field] = parentLookup(f.Parent, pf)
	}
	if fm, ok := f.Args["filter"].(map[string]any); ok {
		for argField, v := range fm {
			if v == nil {
				continue
			}
			rf, ok := bd.Filter[argField]
			if !ok {
				return nil, badInput("filter.%s cannot be used here", argField)
			}
			want[rf] = v
		}
	}
	for argName, v := range f.Args {
		if rf, ok := bd.Filter[argName]; ok && v != nil && argName != "filter" {
			want[rf] = v
		}
	}
	if len(want) == 0 && len(bd.Where) == 0 {
		return nil, nil
	}
	p := &predicate{eq: want, where: bd.Where}
	if len(bd.Match) > 0 {
		p.key, _ = firstMatch(bd.Match)
	} else if len(want) > 0 {
		p.key, _ = firstMatch(toStrings(want))
	}
	return p, nil
}

func toStrings(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = k
	}
	return out
}

// selectItems returns the records of col that satisfy p, in sequence
// order: through the store's index on p.key when there is one, else by a
// scan.
func selectItems(st *store.Store, col string, p *predicate) ([]store.Item, error) {
	if p == nil {
		p = &predicate{}
	}
	if p.key != "" {
		found, err := st.Find(col, p.key, p.eq[p.key])
		if err != nil {
			return nil, err
		}
		out := found[:0]
		for _, it := range found {
			if p.keep(it) {
				out = append(out, it)
			}
		}
		return out, nil
	}
	var out []store.Item
	err := st.Scan(col, func(it store.Item) bool {
		if p.keep(it) {
			out = append(out, it)
		}
		return true
	})
	return out, err
}

func (b *Binder) delete(bd *binding, f exec.FieldContext, empty bool) (any, error) {
	key := argAt(f.Args, bd.Arg)
	var deleted store.Record
	err := b.st.Update(func(tx *store.Tx) error {
		it, ok, err := tx.Get(bd.col, bd.Field, key)
		if err != nil {
			return err
		}
		if !ok || empty {
			return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
		}
		if err := b.blocked(tx, bd, it, key); err != nil {
			return err
		}
		if _, err := tx.Delete(bd.col, bd.Field, key); err != nil {
			return err
		}
		deleted = it.Record()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fillPayload(bd.Payload, deleted), nil
}

// unavailable turns a write the shared state could not take into the
// field error CodeUnavailable.
func unavailable(v any, err error) (any, error) {
	if errors.Is(err, store.ErrUnavailable) {
		return nil, &exec.Error{Code: CodeUnavailable, Message: "the shared state is unavailable; nothing was written, retry later", Err: err}
	}
	return v, err
}

// blocked reports the blockers that refuse deleting rec, in one error
// naming every blocking record.
func (b *Binder) blocked(tx *store.Tx, bd *binding, rec store.Item, key any) error {
	var parts []string
	var code string
	var details []any
	for _, bl := range bd.Blockers {
		col := manifest.StoreName(b.api.Name, bl.Collection)
		items, err := tx.Find(col, bl.Field, rec.Lookup(bd.Field))
		if err != nil {
			return err
		}
		var ids []any
		for _, it := range items {
			if matchesWhere(it, bl.Where) {
				ids = append(ids, it.Lookup("id"))
			}
		}
		if len(ids) == 0 {
			continue
		}
		if code == "" {
			code = bl.Code
		}
		msg := bl.Message
		if msg == "" {
			msg = fmt.Sprintf("%d blocking %s", len(ids), bl.Collection)
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", msg, joinIDs(ids)))
		details = append(details, map[string]any{"code": bl.Code, "collection": bl.Collection, "ids": ids})
	}
	if code == "" {
		return nil
	}
	return &exec.Error{
		Code:       code,
		Message:    fmt.Sprintf("%s %s cannot be deleted: %s", bd.noun, quote(key), strings.Join(parts, "; ")),
		Extensions: map[string]any{"blockers": details},
	}
}

func (b *Binder) update(bd *binding, f exec.FieldContext, empty bool) (any, error) {
	key := argAt(f.Args, bd.Arg)
	var updated store.Record
	err := b.st.Update(func(tx *store.Tx) error {
		it, ok, err := tx.Get(bd.col, bd.Field, key)
		if err != nil {
			return err
		}
		if !ok || empty {
			return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
		}
		for field, vals := range bd.RefuseWhen {
			if v := it.Lookup(field); oneOf(v, vals) {
				return badInput("%s %s has %s %v", bd.noun, quote(key), field, v)
			}
		}
		next := maps.Clone(it.Record())
		now := b.opts.Now().UTC().Format(time.RFC3339)
		for field, v := range bd.Set {
			if v == "{{now}}" {
				v = now
			}
			next[field] = v
		}
		if err := tx.Replace(bd.col, it.Seq, next); err != nil {
			return err
		}
		updated = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fillPayload(bd.Payload, updated), nil
}

func fillPayload(tmpl map[string]any, rec store.Record) map[string]any {
	out := make(map[string]any, len(tmpl))
	for k, v := range tmpl {
		if v == "{{record}}" {
			out[k] = rec
			continue
		}
		out[k] = v
	}
	return out
}

// argAt returns the argument value at a dotted path.
func argAt(args map[string]any, path string) any {
	var cur any = args
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func firstMatch(m map[string]string) (string, string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0], m[keys[0]]
}

func equal(a, b any) bool {
	ka, ok1 := store.KeyOf(a)
	kb, ok2 := store.KeyOf(b)
	return ok1 && ok2 && ka == kb
}

func oneOf(v any, vals []any) bool {
	for _, w := range vals {
		if equal(v, w) {
			return true
		}
	}
	return false
}

func matchesWhere(it store.Item, where map[string][]any) bool {
	for field, vals := range where {
		if !oneOf(it.Lookup(field), vals) {
			return false
		}
	}
	return true
}

func joinIDs(ids []any) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// sortValue is a record's value for an order: a string or number; other
// values sort as null (first).
func sortValue(it store.Item, field string) any {
	switch v := it.Lookup(field).(type) {
	case string, float64, bool:
		return v
	}
	return nil
}

func compareValues(a, b any) int {
	switch x := a.(type) {
	case nil:
		if b == nil {
			return 0
		}
		return -1
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	}
	if b == nil {
		return 1
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// orderLess orders by the field (ascending or descending), then by
// sequence, so the order is total and stable.
func orderLess(field string, desc bool) func(a, b store.Item) bool {
	return func(a, b store.Item) bool {
		return cmpPos(sortValue(a, field), a.Seq, sortValue(b, field), b.Seq, desc) < 0
	}
}

func cmpPos(av any, aseq uint64, bv any, bseq uint64, desc bool) int {
	c := compareValues(av, bv)
	if desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	switch {
	case aseq < bseq:
		return -1
	case aseq > bseq:
		return 1
	}
	return 0
}

// afterPos reports whether it lies strictly after the cursor's position.
func afterPos(it store.Item, c cursor.Cursor, field string, desc bool) bool {
	return cmpPos(sortValue(it, field), it.Seq, c.Value, c.Seq, desc) > 0
}

// beforePos reports whether it lies strictly before the cursor's position.
func beforePos(it store.Item, c cursor.Cursor, field string, desc bool) bool {
	return cmpPos(sortValue(it, field), it.Seq, c.Value, c.Seq, desc) < 0
}

// upperUUID returns the lower-case form of a key that is a UUID written
// with upper-case hex digits: UUIDs compare without case (RFC 9562), and
// the store holds them in lower case.
func upperUUID(key any) (string, bool) {
	s, ok := key.(string)
	if !ok || len(s) != 36 || strings.ToLower(s) == s {
		return "", false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return "", false
			}
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
		default:
			return "", false
		}
	}
	return strings.ToLower(s), true
}
