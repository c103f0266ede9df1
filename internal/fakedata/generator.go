package fakedata

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
	"gopkg.in/yaml.v3"
)

// Spec is what a Generator is compiled from: one collection's generate block.
type Spec struct {
	API        string
	Collection string
	// Unique fields must not repeat (see Env.Taken).
	Unique []string
	// Fields and Order are manifest.Generate's.
	Fields map[string]any
	Order  []string
	// Nodes are the fields' expressions as YAML nodes (manifest.Generate's
	// Nodes), giving errors their line and column; a field without a node
	// is compiled from Fields.
	Nodes map[string]*yaml.Node
	// File names the manifest in errors ("specs/admin/api.yaml"); may be empty.
	File string
}

// SpecOf returns the Spec of a manifest collection (nil Generate gives no fields).
func SpecOf(api string, c *manifest.Collection) Spec {
	s := Spec{API: api, Collection: c.Name, Unique: c.Unique}
	if c.Generate != nil {
		s.Fields, s.Order, s.Nodes = c.Generate.Fields, c.Generate.Order, c.Generate.Nodes
	}
	return s
}

// SpecIn is SpecOf for a collection of api, naming api's manifest file
// (manifest.API.Source) in errors.
func SpecIn(api *manifest.API, c *manifest.Collection) Spec {
	s := SpecOf(api.Name, c)
	s.File = api.Source
	return s
}

// ExprError reports a bad generator expression of a manifest. Its message
// starts with the place, "file:line:column: ", when known.
type ExprError struct {
	API, Collection, Field string
	Reason                 string
	// File is Spec.File; Line and Column (from 1) are the place of the
	// problem in it, zero when unknown.
	File         string
	Line, Column int
}

func (e *ExprError) Error() string {
	place := ""
	switch {
	case e.File != "" && e.Line > 0:
		place = fmt.Sprintf("%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.File != "":
		place = e.File + ": "
	case e.Line > 0:
		place = fmt.Sprintf("line %d, column %d: ", e.Line, e.Column)
	}
	return fmt.Sprintf("%sgenerate %s.%s: field %q: %s", place, e.API, e.Collection, e.Field, e.Reason)
}

// Generator makes the records of one collection. It is not safe for
// concurrent use; Run may be called again and starts afresh.
type Generator struct {
	spec   Spec
	fields []field
	needs  []string
	nTop   int // number of distinct visible top-level keys
	// chunkable: records can be made by index (see Chunkable).
	chunkable bool
}

type field struct {
	path   string
	hidden bool
	unique bool
	node   node
}

// Compile checks and compiles a collection's expressions.
func Compile(spec Spec) (*Generator, error) {
	g := &Generator{spec: spec}
	fail := func(f, format string, args ...any) error {
		e := &ExprError{API: spec.API, Collection: spec.Collection, Field: f, Reason: fmt.Sprintf(format, args...), File: spec.File}
		if n := spec.Nodes[f]; n != nil && n.Line > 0 {
			e.Line, e.Column = n.Line, n.Column
		}
		return e
	}
	failExpr := func(f string, err error) error {
		e := fail(f, "%v", err).(*ExprError)
		var ee *exprError
		if errors.As(err, &ee) {
			e.Line, e.Column = ee.line, ee.column // zero when not from a file
		}
		return e
	}
	names := make([]string, 0, len(spec.Fields))
	listed := map[string]bool{}
	for _, f := range spec.Order {
		if _, ok := spec.Fields[f]; !ok {
			return nil, fail(f, "listed in generate.order but not in generate.fields")
		}
		if listed[f] {
			return nil, fail(f, "listed twice in generate.order")
		}
		listed[f] = true
		names = append(names, f)
	}
	var rest []string
	for f := range spec.Fields {
		if !listed[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	names = append(names, rest...)
	unique := map[string]bool{}
	for _, u := range spec.Unique {
		unique[u] = true
	}
	top := map[string]bool{}
	for _, name := range names {
		if name == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
			return nil, fail(name, "bad field path")
		}
		expr, err := exprNode(spec, name)
		if err != nil {
			return nil, failExpr(name, err)
		}
		// A field written \_name is the record's field _name (FieldKey),
		// not a hidden one.
		path, shown := name, strings.HasPrefix(name, `\_`)
		if shown {
			path = name[1:]
		}
		cp := newCompiler(path)
		n, err := cp.compile(expr)
		if err != nil {
			return nil, failExpr(name, err)
		}
		// A unique field is the record's key (or one of them): it is
		// stored even when its name begins with "_" (a store-only key).
		hidden := !shown && strings.HasPrefix(path, "_") && !unique[path]
		g.fields = append(g.fields, field{path: path, hidden: hidden, unique: unique[path], node: n})
		g.needs = append(g.needs, cp.needs...)
		if head, _, _ := strings.Cut(path, "."); !hidden {
			top[head] = true
		}
	}
	for i, a := range names {
		for _, b := range names[i+1:] {
			if strings.HasPrefix(b, a+".") || strings.HasPrefix(a, b+".") {
				return nil, fail(b, "conflicts with field %q (a value cannot also be an object)", a)
			}
		}
	}
	g.nTop = len(top)
	g.chunkable = chunkable(g.fields)
	sort.Strings(g.needs)
	g.needs = compactStrings(g.needs)
	return g, nil
}

// FieldKey is the key of generate.fields that makes record field name:
// the name itself, or, for a name beginning with "_" (GitHub's _links),
// the name escaped as \_links, since a key beginning with "_" names a
// hidden field.
func FieldKey(name string) string {
	if strings.HasPrefix(name, "_") {
		return `\` + name
	}
	return name
}

// exprNode is a field's expression as a YAML node: the manifest's own when
// it still says what Fields says (Fields is the truth; a caller may have
// changed it after loading), else one made from the Go value.
func exprNode(spec Spec, name string) (*yaml.Node, error) {
	v, err := normalize(spec.Fields[name])
	if err != nil {
		return nil, err
	}
	if n := spec.Nodes[name]; n != nil {
		if nv, err := value(n); err == nil && reflect.DeepEqual(nv, v) {
			return n, nil
		}
	}
	return nodeOf(v)
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// Needs lists the collections of the same API that pick expressions read;
// they must be loaded before Run.
func (g *Generator) Needs() []string { return g.needs }

// Env is what a run may consult besides its own expressions.
type Env struct {
	// Seed is the user's seed; each collection derives its own from it.
	Seed uint64
	// Taken reports whether a value (store.KeyOf form) of a unique field is
	// already used. Nil makes the run track uniqueness itself, among the
	// records it generates and the Existing ones.
	Taken func(field, key string) bool
	// Existing records (fixtures) whose unique values are taken; used only
	// when Taken is nil.
	Existing []store.Record
	// Records returns the records of another collection of the same API
	// (by its name inside the API), for pick. With generated true it
	// returns only the generated ones, leaving out the fixture records.
	Records func(collection string, generated bool) ([]store.Item, error)
	// Picks, when set, is used instead of Records: the number of those
	// records and the ith of them (in Records' order), so that picks
	// from a million records copy none. at must be safe for concurrent
	// use (Chunks).
	Picks func(collection string, generated bool) (n int, at func(i int) store.Item, err error)
	// Counts, when set, returns how many records another collection of
	// the same API generates (after overrides), for link: a link draws
	// among them without reading them, so collections may link to each
	// other in any order.
	Counts func(collection string) int
}

// newFaker is gofakeit.New(seed) without the mutex: a run owns its faker.
func newFaker(seed uint64) *gofakeit.Faker {
	return gofakeit.NewFaker(rand.NewPCG(seed, seed), false)
}

// CollectionSeed derives the random seed of one collection: FNV-64a of the
// API and collection names, mixed with the user's seed (SplitMix64 finalizer),
// never zero (gofakeit treats 0 as "random").
func CollectionSeed(seed uint64, api, collection string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(api))
	h.Write([]byte{0})
	h.Write([]byte(collection))
	return mix(seed ^ h.Sum64())
}

const uniqueRetries = 100

// Run generates count records and hands each to emit in order; emit must
// store the record before returning if Env.Taken is to see it. The records
// are new maps the caller owns (values shared between records, such as
// constants, must be treated as read-only).
func (g *Generator) Run(env Env, count int, emit func(i int, r store.Record) error) error {
	return g.RunReusing(env, count, func(i int, r store.Record) (bool, error) { return false, emit(i, r) })
}

// RunReusing is Run for an emit that may hand the record back: when emit
// returns true it keeps no reference to r, and the next record is built in
// the same map (cleared), saving a map per record when the caller copies
// the values (the store's packed records do).
func (g *Generator) RunReusing(env Env, count int, emit func(i int, r store.Record) (reuse bool, err error)) error {
	return g.run(env, count, nil, emit)
}

// RunInto is Run for an emit that hands records on (to another goroutine,
// say): each record is built in the map next returns (cleared by the
// run; nil: a new one), so maps the consumer is done with can come back.
func (g *Generator) RunInto(env Env, count int, next func() store.Record, emit func(i int, r store.Record) error) error {
	return g.run(env, count, next, func(i int, r store.Record) (bool, error) { return false, emit(i, r) })
}

func (g *Generator) run(env Env, count int, next func() store.Record, emit func(i int, r store.Record) (reuse bool, err error)) error {
	c := &ctx{
		f:         newFaker(CollectionSeed(env.Seed, g.spec.API, g.spec.Collection)),
		hidden:    map[string]any{},
		env:       &env,
		others:    map[string]picks{},
		emails:    map[string]struct{}{},
		emailNext: map[string]int{},
	}
	for _, f := range g.fields {
		resetSeqs(f.node)
	}
	taken := env.Taken
	if taken == nil {
		own := map[string]map[string]struct{}{}
		for _, f := range g.fields {
			if f.unique {
				set := map[string]struct{}{}
				for _, r := range env.Existing {
					if k, ok := store.KeyOf(store.Lookup(r, f.path)); ok {
						set[k] = struct{}{}
					}
				}
				own[f.path] = set
			}
		}
		taken = func(field, key string) bool {
			_, ok := own[field][key]
			if !ok {
				own[field][key] = struct{}{}
			}
			return ok
		}
	}
	checks := make([]func(string) bool, len(g.fields))
	for j, f := range g.fields {
		if f.unique {
			path := f.path
			checks[j] = func(k string) bool { return taken(path, k) }
		}
	}
	reuse := false
	for i := 0; i < count; i++ {
		switch {
		case reuse:
			clear(c.rec)
		case next != nil:
			if c.rec = next(); c.rec != nil {
				clear(c.rec)
			} else {
				c.rec = make(map[string]any, g.nTop)
			}
		default:
			c.rec = make(map[string]any, g.nTop)
		}
		c.n = i + 1
		if err := g.fill(c, checks, nil); err != nil {
			return err
		}
		var err error
		if reuse, err = emit(i, c.rec); err != nil {
			return err
		}
	}
	c.rec = nil
	return nil
}

// fill evaluates every field of record c.n into c.rec (empty). checks[j],
// when checks is set, is the taken test of unique field j, whose value is
// then drawn again until free (makeUnique). over replaces the value of a
// field after its expression ran (so the random source moves on as it
// would), before later fields read it.
func (g *Generator) fill(c *ctx, checks []func(string) bool, over map[string]any) error {
	clear(c.hidden)
	for j, f := range g.fields {
		var check func(string) bool
		if checks != nil {
			check = checks[j]
		}
		c.taken = check
		v, err := f.node.eval(c)
		if err != nil {
			return g.fail(f.path, err)
		}
		if check != nil {
			if v, err = g.makeUnique(c, f, v, check); err != nil {
				return g.fail(f.path, err)
			}
		}
		if o, ok := over[f.path]; ok {
			v = o
		}
		if f.hidden {
			setPath(c.hidden, f.path, v)
		} else {
			setPath(c.rec, f.path, v)
		}
	}
	return nil
}

// fail is the error of field f's expression.
func (g *Generator) fail(f string, err error) error {
	var ee *exprError
	if errors.As(err, &ee) {
		return &ExprError{API: g.spec.API, Collection: g.spec.Collection, Field: f, Reason: ee.msg}
	}
	return fmt.Errorf("generate %s.%s: field %q: %w", g.spec.API, g.spec.Collection, f, err)
}

// makeUnique retries a unique field's expression until its value is free.
func (g *Generator) makeUnique(c *ctx, f field, v any, taken func(string) bool) (any, error) {
	if _, ok := f.node.(emailNode); ok {
		return v, nil // email checked taken itself
	}
	for try := 0; ; try++ {
		k, ok := store.KeyOf(v)
		if !ok {
			return nil, bad("unique field got %s, not a string, number or boolean", TypeName(v))
		}
		if !taken(k) {
			return v, nil
		}
		if try == uniqueRetries {
			s, ok := v.(string)
			if !ok {
				return nil, bad("cannot find a free unique value after %d tries (last %s)", uniqueRetries, k)
			}
			for n := 2; ; n++ {
				cand := s + "-" + strconv.Itoa(n)
				if !taken(cand) {
					return cand, nil
				}
			}
		}
		var err error
		if v, err = f.node.eval(c); err != nil {
			return nil, err
		}
	}
}

// resetSeqs restarts every sequence inside a node.
func resetSeqs(n node) {
	switch x := n.(type) {
	case *seqNode:
		x.k = 0
	case nullableNode:
		resetSeqs(x.inner)
	case joinNode:
		for _, p := range x.parts {
			resetSeqs(p)
		}
	case *objectNode:
		for _, p := range x.vals {
			resetSeqs(p)
		}
	case listNode:
		resetSeqs(x.item)
	case switchNode:
		for _, e := range x.cases {
			resetSeqs(e)
		}
		resetSeqs(x.def)
	}
}

// Generate is a convenience: the count records of a spec as a slice.
func Generate(spec Spec, env Env, count int) ([]store.Record, error) {
	g, err := Compile(spec)
	if err != nil {
		return nil, err
	}
	out := make([]store.Record, 0, count)
	err = g.Run(env, count, func(_ int, r store.Record) error { out = append(out, r); return nil })
	return out, err
}
