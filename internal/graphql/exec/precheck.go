package exec

import (
	"fmt"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Defaults of the document limits checked by Precheck.
const (
	// DefaultMaxTokens is the default of Limits.MaxTokens.
	DefaultMaxTokens = 15000
	// DefaultMaxSelections is the default of Limits.MaxSelections.
	DefaultMaxSelections = 2000
	// DefaultMaxFieldsPerPath is the default of Limits.MaxFieldsPerPath.
	DefaultMaxFieldsPerPath = 20
	// MaxErrors is the most errors a response lists; further errors are
	// summarised in one last error (graphql-js stops at 100 too).
	MaxErrors = 100
)

// Precheck measures a parsed, not yet validated, document against
// lim.MaxSelections and lim.MaxFieldsPerPath, in time linear in the size of
// the document (fragments are expanded where they are spread, and the walk
// stops at the first limit exceeded). It returns nil when the document is
// within both, else one error naming the limit.
//
// It runs before validation because gqlparser's OverlappingFieldsCanBeMerged
// rule compares every pair of fields that share a response path (fields
// with the same response name, under parents with the same response names):
// its work is the sum over response paths of n² for n fields at that path,
// at most MaxSelections × MaxFieldsPerPath pairs once both limits hold.
// Unknown fragments and fragment cycles are skipped: validation reports
// them.
func Precheck(doc *ast.QueryDocument, lim Limits) *gqlerror.Error {
	if doc == nil || (lim.MaxSelections <= 0 && lim.MaxFieldsPerPath <= 0) {
		return nil
	}
	p := prechecker{doc: doc, lim: lim, active: map[string]bool{}, budget: lim.MaxSelections}
	if p.budget <= 0 {
		// Without a selection limit the walk still ends: a fragment
		// spread inside a field of itself repeats until the budget is
		// spent, and validation then reports the cycle.
		p.budget = 1 << 16
	}
	for _, op := range doc.Operations {
		if p.walk([]ast.SelectionSet{op.SelectionSet}) {
			return p.err
		}
	}
	// The validator visits fragment definitions on their own too.
	for _, f := range doc.Fragments {
		if p.walk([]ast.SelectionSet{f.SelectionSet}) {
			return p.err
		}
	}
	return nil
}

type prechecker struct {
	doc        *ast.QueryDocument
	lim        Limits
	selections int
	budget     int
	active     map[string]bool
	err        *gqlerror.Error
}

// group is the fields of one response name under one response path.
type group struct {
	name   string
	fields []*ast.Field
}

// walk measures the merged selection sets of one response path; it
// reports whether a limit was exceeded (p.err is then set).
func (p *prechecker) walk(sets []ast.SelectionSet) bool {
	var groups []*group
	index := map[string]*group{}
	var collect func(set ast.SelectionSet) bool
	collect = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			p.selections++
			if p.selections > p.budget {
				if p.lim.MaxSelections <= 0 {
					return true // p.err stays nil: no limit to name
				}
				p.err = newGQLError(CodeTooComplex, fmt.Sprintf(
					"Document has more than %d selections (fields, inline fragments and fragment spreads, each fragment counted where it is spread), the maximum.",
					p.lim.MaxSelections), selectionPos(sel), nil)
				return true
			}
			switch x := sel.(type) {
			case *ast.Field:
				key := x.Alias
				if key == "" {
					key = x.Name
				}
				g := index[key]
				if g == nil {
					g = &group{name: key}
					index[key] = g
					groups = append(groups, g)
				}
				g.fields = append(g.fields, x)
				if p.lim.MaxFieldsPerPath > 0 && len(g.fields) > p.lim.MaxFieldsPerPath {
					p.err = newGQLError(CodeTooComplex, fmt.Sprintf(
						"Document selects more than %d fields named %q at one place of the response, the maximum of fields sharing a response name and path.",
						p.lim.MaxFieldsPerPath, key), x.Position, nil)
					return true
				}
			case *ast.InlineFragment:
				if collect(x.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				def := p.doc.Fragments.ForName(x.Name)
				if def == nil || p.active[x.Name] {
					continue
				}
				p.active[x.Name] = true
				stop := collect(def.SelectionSet)
				delete(p.active, x.Name)
				if stop {
					return true
				}
			}
		}
		return false
	}
	for _, set := range sets {
		if collect(set) {
			return true
		}
	}
	for _, g := range groups {
		var children []ast.SelectionSet
		for _, f := range g.fields {
			if len(f.SelectionSet) > 0 {
				children = append(children, f.SelectionSet)
			}
		}
		if len(children) > 0 && p.walk(children) {
			return true
		}
	}
	return false
}

func selectionPos(sel ast.Selection) *ast.Position {
	switch x := sel.(type) {
	case *ast.Field:
		return x.Position
	case *ast.InlineFragment:
		return x.Position
	case *ast.FragmentSpread:
		return x.Position
	}
	return nil
}

// TruncateErrors returns errs cut to MaxErrors: the first MaxErrors-1
// errors and one that says how many more there were. Shorter lists are
// returned as they are.
func TruncateErrors(errs gqlerror.List) gqlerror.List {
	if len(errs) <= MaxErrors {
		return errs
	}
	code := CodeValidationFailed
	if c, ok := errs[MaxErrors-1].Extensions["code"].(string); ok {
		code = c
	}
	out := make(gqlerror.List, MaxErrors)
	copy(out, errs[:MaxErrors-1])
	out[MaxErrors-1] = newGQLError(code, fmt.Sprintf("Too many errors: %d more not listed (a response lists at most %d).", len(errs)-(MaxErrors-1), MaxErrors), nil, nil)
	return out
}

// ValidateLiterals checks what gqlparser's ValuesOfCorrectType rule leaves
// out: an Int literal must fit in 32 bits (GraphQL's Int input coercion), so
// first: 2147483648 is an invalid Int, not a page size. doc must have been
// validated (the validator sets each value's expected type).
func ValidateLiterals(doc *ast.QueryDocument) gqlerror.List {
	var errs gqlerror.List
	var value func(v *ast.Value)
	value = func(v *ast.Value) {
		if v == nil {
			return
		}
		if v.Kind == ast.IntValue && v.Definition != nil && v.Definition.Name == "Int" {
			if _, err := strconv.ParseInt(v.Raw, 10, 32); err != nil {
				errs = append(errs, newGQLError(CodeValidationFailed, "Int cannot represent non 32-bit signed integer value: "+v.Raw, v.Position, nil))
			}
		}
		for _, c := range v.Children {
			value(c.Value)
		}
	}
	args := func(list ast.ArgumentList) {
		for _, a := range list {
			value(a.Value)
		}
	}
	dirs := func(list ast.DirectiveList) {
		for _, d := range list {
			args(d.Arguments)
		}
	}
	var set func(s ast.SelectionSet)
	set = func(s ast.SelectionSet) {
		for _, sel := range s {
			switch x := sel.(type) {
			case *ast.Field:
				args(x.Arguments)
				dirs(x.Directives)
				set(x.SelectionSet)
			case *ast.InlineFragment:
				dirs(x.Directives)
				set(x.SelectionSet)
			case *ast.FragmentSpread:
				dirs(x.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		for _, vd := range op.VariableDefinitions {
			value(vd.DefaultValue)
			dirs(vd.Directives)
		}
		dirs(op.Directives)
		set(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		dirs(f.Directives)
		set(f.SelectionSet)
	}
	return errs
}
