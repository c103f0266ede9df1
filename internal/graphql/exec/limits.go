package exec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bounds the work a single request may ask for. They are checked
// before execution. A zero field means "no limit" for that dimension; use
// DefaultLimits for sensible values.
type Limits struct {
	// MaxDepth is the maximum nesting of fields (a root field has depth 1).
	// Default 15.
	MaxDepth int
	// MaxAliases is the maximum number of aliased fields, counting each
	// expansion of a fragment. Default 100.
	MaxAliases int
	// MaxCost is the maximum estimated cost: every field costs 1, and the
	// cost of a field's selection set is multiplied by its page size (the
	// value of a "first" or "last" argument) or, for a list-typed field
	// without one, by DefaultListSize unless its parent field was itself
	// paginated (edges/nodes of a connection). Default 10000.
	MaxCost int
	// DefaultListSize is the multiplier of list fields without a page size
	// argument. Default 10.
	DefaultListSize int
	// MaxDocumentBytes is the maximum length of the document text.
	// Default 65536.
	MaxDocumentBytes int
	// MaxTokens is the most lexical tokens the parser reads before it
	// gives up. Default 15000.
	MaxTokens int
	// MaxSelections is the most selections (fields, inline fragments and
	// fragment spreads, a fragment counted each time it is spread) a
	// document may have, checked by Precheck before validation. Default
	// 2000.
	MaxSelections int
	// MaxFieldsPerPath is the most fields a document may select at one
	// place of the response (one response name under one response path),
	// checked by Precheck before validation. Default 20.
	MaxFieldsPerPath int
	// MaxIntrospectionCost bounds the cost of a request's introspection
	// (the __schema and __type subtrees), priced apart from MaxCost: a
	// client's introspection query is never refused for the schema's
	// size. Zero takes IntrospectionQueries times the cost of the full
	// introspection query of the executor's schema (IntrospectionCost).
	MaxIntrospectionCost int
	// IntrospectionQueries sizes the default MaxIntrospectionCost: that
	// many full introspection queries (graphql-js getIntrospectionQuery
	// with every option) per request. Default 2; zero, with
	// MaxIntrospectionCost zero, leaves introspection unbounded.
	IntrospectionQueries int
}

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 15, MaxAliases: 100, MaxCost: 10000, DefaultListSize: 10, MaxDocumentBytes: 64 << 10,
		MaxTokens: DefaultMaxTokens, MaxSelections: DefaultMaxSelections, MaxFieldsPerPath: DefaultMaxFieldsPerPath,
		IntrospectionQueries: DefaultIntrospectionQueries}
}

// DefaultIntrospectionQueries is Limits.IntrospectionQueries by default.
const DefaultIntrospectionQueries = 2

// Introspection fields (__schema, __type) and their subtrees are exempt
// from depth (the validator's MaxIntrospectionDepth rule bounds it) and
// priced apart from the rest of the query: each field costs 1, a type
// reference's ofType chain costs 1 in all, and __schema's types and
// directives multiply the cost of their selection set by the schema's
// number of types and directives. The standard introspection query costs
// about 50 per type of the schema (1,200 to 2,000 for the bundled schemas,
// some 80,000 for GitHub's 1,636 types), far above what MaxCost allows an
// ordinary query, so introspection has a bound of its own, sized by the
// schema: IntrospectionQueries (2) times the cost of the full query of
// graphql-js's getIntrospectionQuery with every option. GraphiQL's
// introspection and any client's fit at any schema size, while 99 aliased
// __schema fields selecting a dozen fields of every type exceed it.

// Analysis is the static measure of an operation checked against Limits.
type Analysis struct {
	Depth   int
	Aliases int
	// Cost is the cost of the fields outside introspection,
	// IntrospectionCost that of the __schema and __type subtrees.
	Cost              int
	IntrospectionCost int
}

const costCap = 1 << 40

func satAdd(a, b int) int {
	if a+b > costCap {
		return costCap
	}
	return a + b
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCap/b {
		return costCap
	}
	return a * b
}

type analyzer struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	lim    Limits
	memo   map[fragKey]Analysis
	active map[string]bool
	sizes  map[string]int
}

type fragKey struct {
	name      string
	paginated bool
	intro     bool
}

// Analyze measures op (with fragments expanded, all branches counted,
// @skip/@include ignored) using the coerced variables for page sizes.
func Analyze(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, lim Limits) Analysis {
	if lim.DefaultListSize <= 0 {
		lim.DefaultListSize = 10
	}
	a := analyzer{schema: schema, doc: doc, vars: vars, lim: lim}
	return a.selectionSet(op.SelectionSet, false, false)
}

func (a *analyzer) selectionSet(set ast.SelectionSet, parentPaginated, intro bool) Analysis {
	var r Analysis
	for _, sel := range set {
		var s Analysis
		switch x := sel.(type) {
		case *ast.Field:
			if intro {
				s = a.introField(x)
			} else {
				s = a.field(x, parentPaginated)
			}
		case *ast.InlineFragment:
			s = a.selectionSet(x.SelectionSet, parentPaginated, intro)
		case *ast.FragmentSpread:
			s = a.fragment(x, parentPaginated, intro)
		}
		r.Cost = satAdd(r.Cost, s.Cost)
		r.IntrospectionCost = satAdd(r.IntrospectionCost, s.IntrospectionCost)
		r.Aliases = satAdd(r.Aliases, s.Aliases)
		if s.Depth > r.Depth {
			r.Depth = s.Depth
		}
	}
	return r
}

func (a *analyzer) fragment(x *ast.FragmentSpread, parentPaginated, intro bool) Analysis {
	key := fragKey{x.Name, parentPaginated, intro}
	if r, ok := a.memo[key]; ok {
		return r
	}
	if a.active[x.Name] { // cycle: the validator rejects these
		return Analysis{}
	}
	def := x.Definition
	if def == nil && a.doc != nil {
		def = a.doc.Fragments.ForName(x.Name)
	}
	if def == nil {
		return Analysis{}
	}
	if a.active == nil {
		a.active = map[string]bool{}
		a.memo = map[fragKey]Analysis{}
	}
	a.active[x.Name] = true
	r := a.selectionSet(def.SelectionSet, parentPaginated, intro)
	delete(a.active, x.Name)
	a.memo[key] = r
	return r
}

func (a *analyzer) field(f *ast.Field, parentPaginated bool) Analysis {
	var r Analysis
	if f.Alias != "" && f.Alias != f.Name {
		r.Aliases = 1
	}
	if strings.HasPrefix(f.Name, "__") {
		if f.Name == "__typename" {
			r.Depth = 1
			return r
		}
		// introField counts f's own alias
		sub := a.introField(f)
		sub.Depth = 1
		// the subtree's cost is introspection's, priced apart
		sub.IntrospectionCost = satAdd(sub.IntrospectionCost, sub.Cost)
		sub.Cost = 0
		return sub
	}
	mult := 1
	paginated := false
	for _, name := range [...]string{"first", "last"} {
		if arg := f.Arguments.ForName(name); arg != nil {
			if n, ok := a.intArg(arg.Value); ok {
				paginated = true
				if n > mult {
					mult = n
				}
			}
		}
	}
	if !paginated && f.Definition != nil && f.Definition.Type.Elem != nil && !parentPaginated {
		mult = a.lim.DefaultListSize
	}
	sub := a.selectionSet(f.SelectionSet, paginated, false)
	r.Depth = 1 + sub.Depth
	r.Aliases = satAdd(r.Aliases, sub.Aliases)
	r.Cost = satAdd(1, satMul(mult, sub.Cost))
	r.IntrospectionCost = satMul(mult, sub.IntrospectionCost)
	return r
}

// introField measures a field inside introspection (or __schema and
// __type themselves): cost 1 plus its selection set times the schema's own
// size of the list it is (see the comment on introspection above).
func (a *analyzer) introField(f *ast.Field) Analysis {
	var r Analysis
	if f.Alias != "" && f.Alias != f.Name {
		r.Aliases = 1
	}
	sub := a.selectionSet(f.SelectionSet, false, true)
	r.Aliases = satAdd(r.Aliases, sub.Aliases)
	r.Depth = 1 + sub.Depth
	if f.Name == "ofType" {
		// A type reference's chain of wrappers is a few levels at most
		// (the validator bounds its depth too): one unit for the chain.
		r.Cost = 1
		return r
	}
	r.Cost = satAdd(1, satMul(a.introSize(f.Name), sub.Cost))
	return r
}

// introSize is the multiplier of an introspection list field.
func (a *analyzer) introSize(name string) int {
	if a.sizes == nil {
		a.sizes = schemaSizes(a.schema)
	}
	if n, ok := a.sizes[name]; ok {
		return n
	}
	return 1
}

// schemaSizes returns the multipliers of introspection list fields: the
// number of types and of directives. Lists inside a type (fields, args,
// enumValues, …) count once: a type has one of them at most, and counting
// each at the schema's mean length overestimates the answer several times.
func schemaSizes(schema *ast.Schema) map[string]int {
	if schema == nil {
		return map[string]int{}
	}
	return map[string]int{
		"types":      max(1, len(schema.Types)),
		"directives": max(1, len(schema.Directives)),
	}
}

func (a *analyzer) intArg(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	var raw any
	switch v.Kind {
	case ast.IntValue:
		// A literal outside the 32 bits of Int is not a page size: it is
		// refused as an invalid Int (ValidateLiterals), not as a cost.
		n, err := strconv.ParseInt(v.Raw, 10, 32)
		if err != nil || n < 0 {
			return 0, false
		}
		return int(n), true
	case ast.Variable:
		raw = a.vars[v.Raw]
	default:
		return 0, false
	}
	n, ok := toInt64(raw)
	if !ok || n < 0 {
		return 0, false
	}
	if n > costCap {
		n = costCap
	}
	return int(n), true
}

// CheckLimits analyses op and returns one error per exceeded limit (nil when
// within limits). Document size is checked against the source text the
// document was parsed from, when known.
func CheckLimits(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, lim Limits) gqlerror.List {
	return checkLimits(schema, doc, op, vars, lim, introBound(schema, lim))
}

// introBound is the introspection bound the limits give for schema (0:
// none).
func introBound(schema *ast.Schema, lim Limits) int {
	if lim.MaxIntrospectionCost > 0 {
		return lim.MaxIntrospectionCost
	}
	if lim.IntrospectionQueries > 0 {
		return satMul(lim.IntrospectionQueries, max(1, IntrospectionCost(schema)))
	}
	return 0
}

// checkLimits is CheckLimits with the introspection bound computed (the
// Executor computes it once).
func checkLimits(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, lim Limits, maxIntro int) gqlerror.List {
	var errs gqlerror.List
	if lim.MaxDocumentBytes > 0 && op.Position != nil && op.Position.Src != nil && len(op.Position.Src.Input) > lim.MaxDocumentBytes {
		errs = append(errs, newGQLError(CodeTooLarge, fmt.Sprintf("Document of %d bytes exceeds the maximum of %d bytes.", len(op.Position.Src.Input), lim.MaxDocumentBytes), nil, nil))
		return errs
	}
	if lim.MaxDepth <= 0 && lim.MaxAliases <= 0 && lim.MaxCost <= 0 && maxIntro <= 0 {
		return nil
	}
	an := Analyze(schema, doc, op, vars, lim)
	if lim.MaxDepth > 0 && an.Depth > lim.MaxDepth {
		errs = append(errs, newGQLError(CodeTooDeep, fmt.Sprintf("Query depth %d exceeds the maximum depth of %d.", an.Depth, lim.MaxDepth), op.Position, nil))
	}
	if lim.MaxAliases > 0 && an.Aliases > lim.MaxAliases {
		errs = append(errs, newGQLError(CodeTooManyAliases, fmt.Sprintf("Query uses %d aliases, more than the maximum of %d.", an.Aliases, lim.MaxAliases), op.Position, nil))
	}
	if lim.MaxCost > 0 && an.Cost > lim.MaxCost {
		errs = append(errs, newGQLError(CodeTooComplex, fmt.Sprintf("Query cost %d exceeds the maximum cost of %d.", an.Cost, lim.MaxCost), op.Position, nil))
	}
	if maxIntro > 0 && an.IntrospectionCost > maxIntro {
		errs = append(errs, newGQLError(CodeTooComplex, fmt.Sprintf("Introspection cost %d exceeds the maximum introspection cost of %d (%s).", an.IntrospectionCost, maxIntro, introBoundText(lim)), op.Position, nil))
	}
	return errs
}

func introBoundText(lim Limits) string {
	if lim.MaxIntrospectionCost > 0 {
		return "the configured bound"
	}
	return fmt.Sprintf("%d full introspection queries of this schema", lim.IntrospectionQueries)
}
