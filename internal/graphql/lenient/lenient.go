// Package lenient repairs three mistakes that documentation examples often
// make, so that examples copied from an API's pages run as printed:
//
//   - a variable used but not declared by its operation is declared with the
//     type of the argument it is passed to (an unset optional variable is
//     then simply absent; an unset required one is a clear request error);
//   - a field of object type written without a selection set selects the
//     type's leaf fields that take no required arguments;
//   - a selection set missing its opening brace (a field's arguments followed
//     by its fields and a closing brace) gets the brace back (RepairSource).
//
// Repair fixes the first two on a parsed document; RepairSource works on the
// query text and adds the third. Repair runs only on documents that failed
// validation, and the caller re-validates the result, so a valid document
// is never changed and a repaired one must still satisfy every rule. Every repair is reported, for
// the response's extensions.
package lenient

import (
	"fmt"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
)

// Repair fixes doc in place and returns one sentence per repair (nil when
// nothing was repaired).
func Repair(schema *ast.Schema, doc *ast.QueryDocument) []string {
	var notes []string
	for _, op := range doc.Operations {
		root := rootType(schema, op.Operation)
		if root == nil {
			continue
		}
		w := &walker{schema: schema, doc: doc, used: map[string]*ast.Type{}, seen: map[string]bool{}}
		w.selections(op.SelectionSet, root)
		notes = append(notes, w.notes...)
		var names []string
		for name := range w.used {
			if op.VariableDefinitions.ForName(name) == nil {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			t := w.used[name]
			op.VariableDefinitions = append(op.VariableDefinitions, &ast.VariableDefinition{Variable: name, Type: t, Position: op.Position})
			notes = append(notes, fmt.Sprintf("variable $%s was used without being declared; it was declared as %s", name, t.String()))
		}
	}
	return notes
}

func rootType(schema *ast.Schema, op ast.Operation) *ast.Definition {
	switch op {
	case ast.Query:
		return schema.Query
	case ast.Mutation:
		return schema.Mutation
	case ast.Subscription:
		return schema.Subscription
	}
	return nil
}

type walker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	used   map[string]*ast.Type
	seen   map[string]bool
	notes  []string
}

func (w *walker) selections(set ast.SelectionSet, parent *ast.Definition) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			w.field(s, parent)
		case *ast.InlineFragment:
			t := parent
			if s.TypeCondition != "" {
				t = w.schema.Types[s.TypeCondition]
			}
			if t != nil {
				w.selections(s.SelectionSet, t)
			}
		case *ast.FragmentSpread:
			f := w.doc.Fragments.ForName(s.Name)
			if f == nil || w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if t := w.schema.Types[f.TypeCondition]; t != nil {
				w.selections(f.SelectionSet, t)
			}
		}
	}
}

func (w *walker) field(f *ast.Field, parent *ast.Definition) {
	def := parent.Fields.ForName(f.Name)
	if def == nil {
		return
	}
	for _, arg := range f.Arguments {
		if ad := def.Arguments.ForName(arg.Name); ad != nil {
			w.value(arg.Value, ad.Type)
		}
	}
	t := w.schema.Types[def.Type.Name()]
	if t == nil || (t.Kind != ast.Object && t.Kind != ast.Interface) {
		return
	}
	if len(f.SelectionSet) == 0 {
		var names []string
		for _, fd := range t.Fields {
			if isLeaf(w.schema, fd.Type) && !hasRequiredArgs(fd) && fd.Name[0] != '_' {
				f.SelectionSet = append(f.SelectionSet, &ast.Field{Alias: fd.Name, Name: fd.Name, Position: f.Position})
				names = append(names, fd.Name)
			}
		}
		if len(names) > 0 {
			w.notes = append(w.notes, fmt.Sprintf("field %s had no selection set; its leaf fields were selected: %v", f.Alias, names))
		}
		return
	}
	w.selections(f.SelectionSet, t)
}

// value records the variables used in v, which is expected to be of type t.
func (w *walker) value(v *ast.Value, t *ast.Type) {
	if v == nil || t == nil {
		return
	}
	switch v.Kind {
	case ast.Variable:
		if _, ok := w.used[v.Raw]; !ok {
			w.used[v.Raw] = t
		}
	case ast.ListValue:
		if t.Elem != nil {
			for _, c := range v.Children {
				w.value(c.Value, t.Elem)
			}
		}
	case ast.ObjectValue:
		def := w.schema.Types[t.Name()]
		if def == nil {
			return
		}
		for _, c := range v.Children {
			if fd := def.Fields.ForName(c.Name); fd != nil {
				w.value(c.Value, fd.Type)
			}
		}
	}
}

func isLeaf(schema *ast.Schema, t *ast.Type) bool {
	d := schema.Types[t.Name()]
	return d != nil && (d.Kind == ast.Scalar || d.Kind == ast.Enum)
}

func hasRequiredArgs(fd *ast.FieldDefinition) bool {
	for _, a := range fd.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}
