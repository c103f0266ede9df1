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
}

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 15, MaxAliases: 100, MaxCost: 10000, DefaultListSize: 10, MaxDocumentBytes: 64 << 10}
}

// Introspection fields (__schema, __type) and their subtrees are exempt
// from depth and cost: their shape is fixed by the schema and bounded by the
// validator's MaxIntrospectionDepth rule.

// Analysis is the static measure of an operation checked against Limits.
type Analysis struct {
	Depth   int
	Aliases int
	Cost    int
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
}

type fragKey struct {
	name      string
	paginated bool
}

// Analyze measures op (with fragments expanded, all branches counted,
// @skip/@include ignored) using the coerced variables for page sizes.
func Analyze(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, lim Limits) Analysis {
	if lim.DefaultListSize <= 0 {
		lim.DefaultListSize = 10
	}
	a := analyzer{schema: schema, doc: doc, vars: vars, lim: lim}
	return a.selectionSet(op.SelectionSet, false)
}

func (a *analyzer) selectionSet(set ast.SelectionSet, parentPaginated bool) Analysis {
	var r Analysis
	for _, sel := range set {
		var s Analysis
		switch x := sel.(type) {
		case *ast.Field:
			s = a.field(x, parentPaginated)
		case *ast.InlineFragment:
			s = a.selectionSet(x.SelectionSet, parentPaginated)
		case *ast.FragmentSpread:
			s = a.fragment(x, parentPaginated)
		}
		r.Cost = satAdd(r.Cost, s.Cost)
		r.Aliases = satAdd(r.Aliases, s.Aliases)
		if s.Depth > r.Depth {
			r.Depth = s.Depth
		}
	}
	return r
}

func (a *analyzer) fragment(x *ast.FragmentSpread, parentPaginated bool) Analysis {
	key := fragKey{x.Name, parentPaginated}
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
	r := a.selectionSet(def.SelectionSet, parentPaginated)
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
		if f.Name != "__typename" {
			// Introspection: only aliases inside are counted.
			sub := a.selectionSet(f.SelectionSet, false)
			r.Aliases = satAdd(r.Aliases, sub.Aliases)
		}
		r.Depth = 1
		return r
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
	sub := a.selectionSet(f.SelectionSet, paginated)
	r.Depth = 1 + sub.Depth
	r.Aliases = satAdd(r.Aliases, sub.Aliases)
	r.Cost = satAdd(1, satMul(mult, sub.Cost))
	return r
}

func (a *analyzer) intArg(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	var raw any
	switch v.Kind {
	case ast.IntValue:
		n, err := strconv.Atoi(v.Raw)
		if err != nil || n < 0 {
			return 0, false
		}
		return min(n, costCap), true
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
	var errs gqlerror.List
	if lim.MaxDocumentBytes > 0 && op.Position != nil && op.Position.Src != nil && len(op.Position.Src.Input) > lim.MaxDocumentBytes {
		errs = append(errs, newGQLError(CodeTooLarge, fmt.Sprintf("Document of %d bytes exceeds the maximum of %d bytes.", len(op.Position.Src.Input), lim.MaxDocumentBytes), nil, nil))
		return errs
	}
	if lim.MaxDepth <= 0 && lim.MaxAliases <= 0 && lim.MaxCost <= 0 {
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
	return errs
}
