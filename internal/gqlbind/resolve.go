package gqlbind

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/standin/standin/internal/cursor"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/reqctx"
)

// Resolve implements exec.Resolver.
func (b *Binder) Resolve(ctx context.Context, f exec.FieldContext) (any, error) {
	bd := b.byDef[f.Field]
	if bd == nil {
		if b.graph != nil {
			return b.graph.resolve(ctx, f)
		}
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
	if bd.Kind == "object" {
		return map[string]any{}, nil
	}
	v := records.ViewOf(ctx, b.src)
	switch bd.Kind {
	case "get":
		return b.get(v, bd, f)
	case "ref":
		return b.ref(v, bd, f)
	case "connection":
		return b.connection(v, bd, f)
	case "list":
		return b.list(v, bd, f)
	case "delete":
		return unavailable(b.delete(v, bd, f))
	case "update":
		return unavailable(b.update(v, bd, f))
	}
	return nil, fmt.Errorf("gqlbind: unknown kind %q", bd.Kind)
}

func (b *Binder) get(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	key := argAt(f.Args, bd.Arg)
	// A UUID is found whatever its case (the record layer's Key).
	k := records.Key{Field: bd.Field, Value: key, Scoped: bd.Scoped}
	it, err := v.Get(bd.col, k)
	switch {
	case err == nil:
		return recordValue(it), nil
	case errors.Is(err, records.ErrOutOfScope):
		return nil, outOfScope(bd, key)
	case !errors.Is(err, records.ErrNotFound):
		return nil, err
	}
	if bd.NotFound != "" {
		return nil, notFound(bd, key)
	}
	return nil, nil
}

func notFound(bd *binding, key any) error {
	return &exec.Error{Code: bd.NotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
}

func outOfScope(bd *binding, key any) error {
	return &exec.Error{Code: CodeForbidden, Message: fmt.Sprintf("permission denied: %s %s is outside the token's scope", bd.noun, quote(key))}
}

// list answers a plain list field: the collection's records that match
// where (and the parent by match), in creation order, at most pageSize.
func (b *Binder) list(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	out := []any{}
	if len(bd.Match) > 0 && !isRecord(f.Parent) {
		return out, nil
	}
	q := records.Query{Collection: bd.col, Where: records.Predicate{OneOf: bd.Where}, Scoped: bd.Scoped}
	if len(bd.Match) > 0 {
		q.Where.Eq = make(map[string]any, len(bd.Match))
		for rf, pf := range bd.Match {
			q.Where.Eq[rf] = parentLookup(f.Parent, pf)
		}
		q.Where.Index, _ = firstMatch(bd.Match)
	}
	limit := -1
	if bd.PageSize > 0 {
		limit = bd.PageSize
	}
	l, err := v.List(q, records.Span{Limit: limit})
	for _, it := range l.Items {
		out = append(out, recordValue(it))
	}
	return out, timeoutError(err, f.Name)
}

func (b *Binder) ref(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	if !isRecord(f.Parent) {
		return nil, nil
	}
	field, pf := firstMatch(bd.Match)
	k := records.Key{Field: field, Value: parentLookup(f.Parent, pf), Scoped: bd.Scoped}
	if len(bd.Match) > 1 {
		k.Also = make(map[string]any, len(bd.Match)-1)
		for rf, pf := range bd.Match {
			if rf != field {
				k.Also[rf] = parentLookup(f.Parent, pf)
			}
		}
	}
	it, err := v.Get(bd.col, k)
	switch {
	case err == nil:
		return recordValue(it), nil
	case errors.Is(err, records.ErrNotFound), errors.Is(err, records.ErrOutOfScope):
		return nil, nil
	}
	return nil, err
}

func badInput(format string, args ...any) error {
	return &exec.Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...)}
}

// connection translates a connection field's arguments into a records
// query and window, and the page into a connection value.
func (b *Binder) connection(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	w := records.Window{First: -1, Last: -1}
	if n, ok := f.Args["first"].(int); ok {
		if n < 0 || n > b.maxPage {
			return nil, badInput("first must be between 0 and %d, got %d", b.maxPage, n)
		}
		w.First = n
	}
	if n, ok := f.Args["last"].(int); ok {
		if n < 0 || n > b.maxPage {
			return nil, badInput("last must be between 0 and %d, got %d", b.maxPage, n)
		}
		w.Last = n
	}
	if w.First >= 0 && w.Last >= 0 {
		return nil, badInput("pass first or last, not both")
	}
	if w.First < 0 && w.Last < 0 && bd.PageSize > 0 {
		w.First = bd.PageSize
	}
	order, err := b.orderOf(bd, f.Args["orderBy"])
	if err != nil {
		return nil, err
	}
	if w.After, err = decodeArg(f.Args["after"], "after", order); err != nil {
		return nil, err
	}
	if w.Before, err = decodeArg(f.Args["before"], "before", order); err != nil {
		return nil, err
	}
	where, err := b.predicateOf(bd, f)
	if err != nil {
		return nil, err
	}
	cut, err := v.Cut(records.Query{Collection: bd.col, Where: where, Scoped: bd.Scoped, Order: order,
		Cost: time.Duration(bd.RecordCost)}, w)
	if err != nil {
		return nil, timeoutError(err, f.Name)
	}
	return &connValue{cut: cut}, nil
}

// timeoutError turns the record layer's *records.TimeoutError into the
// field error CodeTimeout; other errors are returned as they are.
func timeoutError(err error, field string) error {
	var te *records.TimeoutError
	if !errors.As(err, &te) {
		return err
	}
	if te.Err != nil {
		return &exec.Error{Code: CodeTimeout, Message: "query timeout: " + te.Err.Error()}
	}
	msg := te.Message
	if msg == "" {
		msg = fmt.Sprintf("query timeout: %s would fetch %d records, more than the query time limit allows; use pagination (first/after) to fetch fewer per request", field, te.Records)
	}
	return &exec.Error{Code: CodeTimeout, Message: msg, Extensions: map[string]any{"records": te.Records}}
}

func decodeArg(v any, name string, order records.Order) (*cursor.Cursor, error) {
	s, _ := v.(string)
	c, err := records.ParseCursor(s, order)
	switch {
	case errors.Is(err, records.ErrBadCursor):
		return nil, badInput("%s: %q is not a cursor issued by this connection", name, s)
	case errors.Is(err, records.ErrOtherOrder):
		return nil, badInput("%s: the cursor belongs to another orderBy than this query's", name)
	}
	return c, err
}

func (b *Binder) orderOf(bd *binding, v any) (records.Order, error) {
	m, ok := v.(map[string]any)
	if !ok || m == nil {
		return records.Order{}, nil
	}
	name, _ := m["field"].(string)
	dir, _ := m["direction"].(string)
	field, ok := bd.orders[name]
	if !ok {
		return records.Order{}, badInput("orderBy.field %q cannot be used here", name)
	}
	return records.Order{Key: name + ":" + dir, Field: field, Desc: dir == "DESC"}, nil
}

// predicateOf returns the record predicate of the binding's where, match
// and filter argument (zero when nothing restricts the collection). The
// index field is the first match field (the parent link, e.g. accountId),
// else the first filter field by name.
func (b *Binder) predicateOf(bd *binding, f exec.FieldContext) (records.Predicate, error) {
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
				return records.Predicate{}, badInput("filter.%s cannot be used here", argField)
			}
			want[rf] = v
		}
	}
	for argName, v := range f.Args {
		if rf, ok := bd.Filter[argName]; ok && v != nil && argName != "filter" {
			want[rf] = v
		}
	}
	p := records.Predicate{OneOf: bd.Where}
	if len(want) > 0 {
		p.Eq = want
	}
	if len(bd.Match) > 0 {
		p.Index, _ = firstMatch(bd.Match)
	}
	return p, nil
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
