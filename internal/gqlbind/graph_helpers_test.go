package gqlbind

// The harness of the graph-mode tests: an SDL of testdata/graph inferred
// by package specinfer, its records built by package fixtures, executed
// by package exec through a Binder, every answer checked by respcheck.

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/standin/standin/internal/contract/diag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/respcheck"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/sdlmodel"
	"github.com/standin/standin/internal/specinfer"
	"github.com/standin/standin/internal/store"
)

// graphAPI is one SDL served in graph mode, in process.
type graphAPI struct {
	api    *manifest.API
	schema *ast.Schema
	st     *store.Store
	b      *Binder
	ex     *exec.Executor
	warn   []string
}

// testLimits are the default limits without the alias cap (the walk
// aliases every field of a fragment) and with room for deep walks.
func testLimits() exec.Limits {
	lim := exec.DefaultLimits()
	lim.MaxAliases = 0
	lim.MaxCost = 1 << 30
	lim.MaxDepth = 30
	lim.MaxDocumentBytes = 0 // the walks write long documents
	return lim
}

// startGraph serves testdata/graph/<file> (or any SDL path) with count
// records per type (0: the inferred default; -1: none at all).
func startGraph(tb testing.TB, path string, count int) *graphAPI {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	in, err := specinfer.GraphQL("t", os.DirFS(dir), base, specinfer.Options{Seed: 1, Count: max(count, 0)})
	if err != nil {
		tb.Fatalf("infer %s: %v", path, err)
	}
	counts := map[string]int{}
	if count < 0 {
		for _, c := range in.API.Collections {
			counts[manifest.StoreName("t", c.Name)] = 0
		}
	}
	specs := fstest.MapFS{"t/" + base: &fstest.MapFile{Data: data}}
	in.API.Dir = "t"
	st, err := fixtures.Load(fixtures.Options{APIs: []*manifest.API{in.API}, Specs: specs, Fixtures: fstest.MapFS{}, Seed: 1, Counts: counts})
	if err != nil {
		tb.Fatalf("load %s: %v", path, err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: base, Input: string(data)})
	if gerr != nil {
		tb.Fatal(gerr)
	}
	b, err := New(in.API, schema, st, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return &graphAPI{api: in.API, schema: schema, st: st, b: b, ex: exec.New(schema, exec.Options{Limits: testLimits()}), warn: messages(in.Diagnostics)}
}

// gqlAnswer is one executed request.
type gqlAnswer struct {
	Data   map[string]any
	Errors []map[string]any
	raw    string
}

// do runs a query (variables may be nil), checks the answer with respcheck
// against the query, and fails the test on a violation or an error unless
// allowed (codes that may occur).
func (a *graphAPI) do(tb testing.TB, query string, vars map[string]any, allowed ...string) gqlAnswer {
	tb.Helper()
	doc, gerr := gqlparser.LoadQueryWithRules(a.schema, query, nil)
	if gerr != nil {
		tb.Fatalf("query does not validate: %v\n%s", gerr, shorten(query))
	}
	resp := a.ex.Execute(context.Background(), exec.Request{Document: doc, Variables: vars, Root: map[string]any{}, Resolver: a.b})
	raw, err := resp.MarshalJSON()
	if err != nil {
		tb.Fatal(err)
	}
	var out gqlAnswer
	out.raw = string(raw)
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatal(err)
	}
	if resp.Data == nil {
		tb.Fatalf("no data: %s\n%s", shorten(string(raw)), shorten(query))
	}
	for _, v := range respcheck.ValidateJSON(a.schema, doc, "", vars, resp.Data) {
		tb.Errorf("respcheck: %s\nquery: %s", v, shorten(query))
	}
	for _, e := range out.Errors {
		code, _ := e["extensions"].(map[string]any)["code"].(string)
		ok := false
		for _, c := range allowed {
			ok = ok || c == code
		}
		if !ok {
			tb.Errorf("error %v\nquery: %s", e, shorten(query))
		}
	}
	return out
}

func shorten(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// at reads a path ("a.b.0.c") of decoded JSON.
func at(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// records are the stored records of the type's collection.
func (a *graphAPI) records(tb testing.TB, typ string) []store.Record {
	tb.Helper()
	for _, c := range a.api.Collections {
		if c.Schema == typ {
			items, _, err := a.st.Range(manifest.StoreName(a.api.Name, c.Name), 0, -1)
			if err != nil {
				tb.Fatal(err)
			}
			out := make([]store.Record, len(items))
			for i, it := range items {
				out[i] = it.Record()
			}
			return out
		}
	}
	tb.Fatalf("no collection of %s", typ)
	return nil
}

// walker writes queries that select every field of the types it meets,
// to a depth, with argument values taken from the records.
type walker struct {
	a *graphAPI
}

// selection selects every field of def, fragments per possible type for
// interfaces and unions (their fields aliased so that no two conflict).
func (w *walker) selection(def *ast.Definition, depth int) string {
	if def.Kind != ast.Interface && def.Kind != ast.Union {
		return w.fields(def, depth, "")
	}
	var b strings.Builder
	b.WriteString("{ __typename")
	names := []string{}
	for _, p := range w.a.schema.PossibleTypes[def.Name] {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, " ... on %s %s", n, w.fields(w.a.schema.Types[n], depth, n+"_"))
	}
	b.WriteString(" }")
	return b.String()
}

// fields selects the fields of an object type; prefix aliases them.
func (w *walker) fields(def *ast.Definition, depth int, prefix string) string {
	var b strings.Builder
	b.WriteString("{ __typename")
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		nt := w.a.schema.Types[f.Type.Name()]
		leaf := nt.Kind == ast.Scalar || nt.Kind == ast.Enum
		if !leaf && depth <= 0 {
			continue
		}
		b.WriteString(" ")
		if prefix != "" {
			b.WriteString(prefix + f.Name + ": ")
		}
		b.WriteString(f.Name)
		b.WriteString(w.args(f, ""))
		if !leaf {
			b.WriteString(" ")
			b.WriteString(w.selection(nt, depth-1))
		}
	}
	b.WriteString(" }")
	return b.String()
}

// args gives every required argument a value (and first: 3 to pages):
// the values a record of the type want (else of the field's first target
// type with records) holds in the fields the arguments select, so that
// lookups find records; made-up values for the rest.
func (w *walker) args(f *ast.FieldDefinition, want string) string {
	var plan *sdlmodel.Field
	if w.a.b.graph != nil {
		plan = w.a.b.graph.m.Field(f)
	}
	rec, recType := w.sample(plan, want)
	var parts []string
	for _, a := range f.Arguments {
		switch {
		case a.Name == "first" && a.Type.NamedType == "Int":
			parts = append(parts, "first: 3")
		case a.Type.NonNull && a.DefaultValue == nil:
			parts = append(parts, a.Name+": "+w.value(a, plan, rec, recType))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// sample is a record of want, else of the plan's first target with one.
func (w *walker) sample(plan *sdlmodel.Field, want string) (store.Record, string) {
	if plan == nil {
		return nil, ""
	}
	for _, t := range plan.Targets {
		if want != "" && t.Name != want {
			continue
		}
		if recs := w.tryRecords(t.Name); len(recs) > 0 {
			return recs[0], t.Name
		}
	}
	if want != "" {
		return w.sample(plan, "")
	}
	return nil, ""
}

// value is a literal for argument a.
func (w *walker) value(a *ast.ArgumentDefinition, plan *sdlmodel.Field, rec store.Record, recType string) string {
	if plan != nil && rec != nil {
		if plan.Kind == sdlmodel.NodesByID && plan.Text == a.Name {
			return literal(rec[w.keyOf(recType)], a.Type)
		}
		for _, am := range plan.Match[recType] {
			if am.Arg != a.Name {
				continue
			}
			v := rec[am.Field]
			if am.Via != "" {
				v = nil
				if linked := w.find(rec[am.Via]); linked != nil {
					v = linked[am.Field]
				}
			}
			if v != nil {
				return literal(v, a.Type)
			}
		}
	}
	return w.made(a.Type)
}

func (w *walker) keyOf(typ string) string {
	for _, c := range w.a.api.Collections {
		if c.Schema == typ {
			return c.Unique[0]
		}
	}
	return "id"
}

// find is the record whose key is key, in any collection.
func (w *walker) find(key any) store.Record {
	for _, c := range w.a.api.Collections {
		it, ok, err := w.a.st.Get(manifest.StoreName(w.a.api.Name, c.Name), c.Unique[0], key)
		if err == nil && ok {
			return it.Record()
		}
	}
	return nil
}

// literal writes a JSON value as a GraphQL literal of type t.
func literal(v any, t *ast.Type) string {
	if t.Elem != nil {
		if _, isList := v.([]any); !isList {
			return "[" + literal(v, t.Elem) + "]"
		}
	}
	switch x := v.(type) {
	case string:
		if def := t.NamedType; def != "" && def != "String" && def != "ID" && isEnumValue(x) {
			return x
		}
		b, _ := json.Marshal(x)
		return string(b)
	case float64:
		if t.Name() == "ID" || t.Name() == "String" {
			return fmt.Sprintf("%q", fmt.Sprint(x))
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func isEnumValue(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// made is a made-up literal of type t.
func (w *walker) made(t *ast.Type) string {
	if t.Elem != nil {
		return "[" + w.made(t.Elem) + "]"
	}
	def := w.a.schema.Types[t.NamedType]
	switch {
	case t.NamedType == "Int":
		return "1"
	case t.NamedType == "Float":
		return "1.5"
	case t.NamedType == "Boolean":
		return "true"
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var parts []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				parts = append(parts, f.Name+": "+w.made(f.Type))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return `"x"`
}

func (w *walker) tryRecords(typ string) []store.Record {
	for _, c := range w.a.api.Collections {
		if c.Schema == typ {
			items, _, err := w.a.st.Range(manifest.StoreName(w.a.api.Name, c.Name), 0, 1)
			if err != nil || len(items) == 0 {
				return nil
			}
			return []store.Record{items[0].Record()}
		}
	}
	return nil
}

// newDefaultExecutor is an executor of the API's schema under the
// default limits (as gqlhttp runs it).
func newDefaultExecutor(a *graphAPI) *exec.Executor {
	return exec.New(a.schema, exec.Options{Limits: exec.DefaultLimits()})
}

// messages are the diagnostics' messages.
func messages(l diag.List) []string {
	out := make([]string, len(l))
	for i, d := range l {
		out[i] = d.Message
	}
	return out
}
