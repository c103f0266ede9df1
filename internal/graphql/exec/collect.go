package exec

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// CollectedField is one entry of the ordered result of CollectFields: the
// response key and every field node merged under it, in document order.
type CollectedField struct {
	ResponseKey string
	Fields      []*ast.Field
}

// Name returns the field name shared by the merged nodes.
func (c CollectedField) Name() string { return c.Fields[0].Name }

// CollectFields implements CollectFields of the GraphQL specification: it
// walks selectionSet for an object of type objectType, honouring @skip and
// @include (with the coerced variables), expanding named and inline
// fragments whose type condition applies to objectType, and groups the
// fields by response key in first-occurrence order. doc is used to find
// fragment definitions when the validator did not link them.
func CollectFields(schema *ast.Schema, doc *ast.QueryDocument, objectType *ast.Definition, selectionSet ast.SelectionSet, variables map[string]any) []CollectedField {
	c := collector{schema: schema, doc: doc, vars: variables}
	c.collect(objectType, selectionSet)
	return c.out
}

// CollectSubfields collects the merged selection sets of fields (the nodes
// of one CollectedField) for an object of type objectType.
func CollectSubfields(schema *ast.Schema, doc *ast.QueryDocument, objectType *ast.Definition, fields []*ast.Field, variables map[string]any) []CollectedField {
	c := collector{schema: schema, doc: doc, vars: variables}
	for _, f := range fields {
		c.collect(objectType, f.SelectionSet)
	}
	return c.out
}

type collector struct {
	schema  *ast.Schema
	doc     *ast.QueryDocument
	vars    map[string]any
	out     []CollectedField
	index   map[string]int
	visited []string
}

func (c *collector) add(f *ast.Field) {
	key := f.Alias
	if key == "" {
		key = f.Name
	}
	if c.index != nil {
		if i, ok := c.index[key]; ok {
			c.out[i].Fields = append(c.out[i].Fields, f)
			return
		}
	} else {
		for i := range c.out {
			if c.out[i].ResponseKey == key {
				c.out[i].Fields = append(c.out[i].Fields, f)
				return
			}
		}
	}
	c.out = append(c.out, CollectedField{ResponseKey: key, Fields: []*ast.Field{f}})
	if c.index == nil && len(c.out) > 12 {
		c.index = make(map[string]int, 2*len(c.out))
		for i := range c.out {
			c.index[c.out[i].ResponseKey] = i
		}
	} else if c.index != nil {
		c.index[key] = len(c.out) - 1
	}
}

func (c *collector) seen(name string) bool {
	for _, v := range c.visited {
		if v == name {
			return true
		}
	}
	c.visited = append(c.visited, name)
	return false
}

func (c *collector) collect(objectType *ast.Definition, set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !ShouldInclude(s.Directives, c.vars) {
				continue
			}
			c.add(s)
		case *ast.FragmentSpread:
			if !ShouldInclude(s.Directives, c.vars) {
				continue
			}
			if c.seen(s.Name) {
				continue
			}
			def := s.Definition
			if def == nil && c.doc != nil {
				def = c.doc.Fragments.ForName(s.Name)
			}
			if def == nil || !DoesFragmentTypeApply(c.schema, objectType, def.TypeCondition) {
				continue
			}
			c.collect(objectType, def.SelectionSet)
		case *ast.InlineFragment:
			if !ShouldInclude(s.Directives, c.vars) {
				continue
			}
			if !DoesFragmentTypeApply(c.schema, objectType, s.TypeCondition) {
				continue
			}
			c.collect(objectType, s.SelectionSet)
		}
	}
}

// DoesFragmentTypeApply reports whether a fragment with the given type
// condition ("" for none) applies to an object of type objectType.
func DoesFragmentTypeApply(schema *ast.Schema, objectType *ast.Definition, condition string) bool {
	if condition == "" || objectType == nil || condition == objectType.Name {
		return condition == "" || objectType != nil
	}
	def := schema.Types[condition]
	if def == nil || !def.IsAbstractType() {
		return false
	}
	for _, p := range schema.PossibleTypes[condition] {
		if p.Name == objectType.Name {
			return true
		}
	}
	return false
}

// ShouldInclude evaluates @skip(if:) and @include(if:) in directives with
// the coerced variables.
func ShouldInclude(directives ast.DirectiveList, variables map[string]any) bool {
	for _, d := range directives {
		switch d.Name {
		case "skip":
			if directiveIf(d, variables) {
				return false
			}
		case "include":
			if !directiveIf(d, variables) {
				return false
			}
		}
	}
	return true
}

func directiveIf(d *ast.Directive, variables map[string]any) bool {
	a := d.Arguments.ForName("if")
	if a == nil || a.Value == nil {
		return false
	}
	switch a.Value.Kind {
	case ast.BooleanValue:
		return a.Value.Raw == "true"
	case ast.Variable:
		b, _ := variables[a.Value.Raw].(bool)
		return b
	}
	return false
}

// GetOperation selects the operation to execute: the one named name, or the
// only operation of the document when name is empty.
func GetOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *Error) {
	if doc == nil || len(doc.Operations) == 0 {
		return nil, Errorf(CodeOperationNotFound, "The document contains no operation.")
	}
	if name == "" {
		if len(doc.Operations) > 1 {
			return nil, Errorf(CodeOperationNotFound, "Must provide operation name if query contains multiple operations.")
		}
		return doc.Operations[0], nil
	}
	op := doc.Operations.ForName(name)
	if op == nil {
		return nil, Errorf(CodeOperationNotFound, "Unknown operation named %q.", name)
	}
	return op, nil
}

// RootType returns the root object type of op in schema, nil when the
// schema has none for that operation kind.
func RootType(schema *ast.Schema, op *ast.OperationDefinition) *ast.Definition {
	switch op.Operation {
	case ast.Mutation:
		return schema.Mutation
	case ast.Subscription:
		return schema.Subscription
	default:
		return schema.Query
	}
}
