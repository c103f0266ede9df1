package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/model"
)

// Values of required GraphQL arguments: a configured id of the argument's
// name first (ids in conform.yaml), else a value seen in an earlier answer
// of the target (Seen), so that an id read from a list feeds the lookups
// (user(id:), node(id:)) of a server the suite knows nothing about.

// ArgFiller gives the value of a required argument of a field (ok false
// when it has none).
type ArgFiller func(f *ast.FieldDefinition, arg *ast.ArgumentDefinition) (any, bool)

// IDFiller fills arguments from ids by argument name only.
func IDFiller(ids map[string]string) ArgFiller {
	return func(_ *ast.FieldDefinition, arg *ast.ArgumentDefinition) (any, bool) {
		v, ok := ids[arg.Name]
		return v, ok && v != ""
	}
}

// maxSeen bounds the values kept per field.
const maxSeen = 50

// Seen are the leaf values the target answered, by Type.field, in the
// order they came, without repeats.
type Seen struct {
	values map[string][]any
	keys   map[string]map[string]bool
}

func newSeen() *Seen { return &Seen{values: map[string][]any{}, keys: map[string]map[string]bool{}} }

// add records a value of typeName.field.
func (s *Seen) add(coord string, v any) {
	if v == nil || len(s.values[coord]) >= maxSeen {
		return
	}
	k := Canonical(v)
	if s.keys[coord] == nil {
		s.keys[coord] = map[string]bool{}
	}
	if s.keys[coord][k] {
		return
	}
	s.keys[coord][k] = true
	s.values[coord] = append(s.values[coord], v)
}

// Values are the values seen of typeName.field.
func (s *Seen) Values(typeName, field string) []any { return s.values[typeName+"."+field] }

// Harvest records the leaf values of a response to doc (parsed against
// schema): each object's scalar and enum fields, under the object's
// __typename when it has one, else its field's type.
func (s *Seen) Harvest(schema *ast.Schema, doc *ast.QueryDocument, data any) {
	for _, op := range doc.Operations {
		if op.Operation != ast.Query || schema.Query == nil {
			continue
		}
		s.harvestSet(schema, op.SelectionSet, schema.Query.Name, data)
	}
}

func (s *Seen) harvestSet(schema *ast.Schema, set ast.SelectionSet, typeName string, v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			s.harvestSet(schema, set, typeName, e)
		}
		return
	case map[string]any:
		if tn, ok := x["__typename"].(string); ok && schema.Types[tn] != nil {
			typeName = tn
		}
		for _, sel := range set {
			switch f := sel.(type) {
			case *ast.Field:
				if f.Definition == nil || strings.HasPrefix(f.Name, "__") {
					continue
				}
				val, ok := x[f.Alias]
				if !ok {
					continue
				}
				d := schema.Types[f.Definition.Type.Name()]
				if d == nil {
					continue
				}
				if d.Kind == ast.Scalar || d.Kind == ast.Enum {
					if f.Definition.Type.Elem == nil {
						s.add(typeName+"."+f.Name, val)
					}
					continue
				}
				s.harvestSet(schema, f.SelectionSet, d.Name, val)
			case *ast.InlineFragment:
				if f.TypeCondition == "" || f.TypeCondition == typeName {
					s.harvestSet(schema, f.SelectionSet, typeName, x)
				}
			case *ast.FragmentSpread:
				if f.Definition != nil && (f.Definition.TypeCondition == typeName) {
					s.harvestSet(schema, f.Definition.SelectionSet, typeName, x)
				}
			}
		}
	}
}

// Filler fills a required argument from ids (by argument name), else from
// the values seen: of the returned type's field of the argument's name
// (user(id:) from User.id, through the possible types of an interface or
// union: node(id:)), of the type an argument named like an id names
// (userId, user_id: User.id), else of any field of the argument's name;
// an enum argument takes its first value. A value must fit the
// argument's type.
func (s *Seen) Filler(schema *ast.Schema, ids map[string]string) ArgFiller {
	return func(f *ast.FieldDefinition, arg *ast.ArgumentDefinition) (any, bool) {
		if v, ok := ids[arg.Name]; ok && v != "" {
			return v, true
		}
		d := schema.Types[arg.Type.Name()]
		isEnum := d != nil && d.Kind == ast.Enum
		for _, v := range s.candidates(schema, f, arg) {
			if fits(schema, arg.Type, v) {
				if isEnum {
					return enumValue(v.(string)), true
				}
				return v, true
			}
		}
		if isEnum && len(d.EnumValues) > 0 && arg.Type.Elem == nil {
			return enumValue(d.EnumValues[0].Name), true
		}
		return nil, false
	}
}

// candidates lists the seen values an argument may take, best first.
func (s *Seen) candidates(schema *ast.Schema, f *ast.FieldDefinition, arg *ast.ArgumentDefinition) []any {
	if s == nil {
		return nil
	}
	var out []any
	ret := schema.Types[f.Type.Name()]
	if ret != nil {
		types := []*ast.Definition{ret}
		if ret.Kind == ast.Interface || ret.Kind == ast.Union {
			types = append(types, schema.GetPossibleTypes(ret)...)
		}
		for _, d := range types {
			out = append(out, s.Values(d.Name, arg.Name)...)
		}
	}
	if base, ok := idBase(arg.Name); ok {
		for _, name := range slices.Sorted(maps.Keys(schema.Types)) {
			if strings.EqualFold(name, base) {
				out = append(out, s.Values(name, "id")...)
			}
		}
	}
	for _, coord := range slices.Sorted(maps.Keys(s.values)) {
		if strings.HasSuffix(coord, "."+arg.Name) {
			out = append(out, s.values[coord]...)
		}
	}
	return out
}

// idBase is the type an argument named like an id names: userId and
// user_id name user.
func idBase(name string) (string, bool) {
	for _, suffix := range []string{"_id", "Id", "ID"} {
		if b, ok := strings.CutSuffix(name, suffix); ok && b != "" {
			return b, true
		}
	}
	return "", false
}

// fits reports whether a JSON value is a valid input of type t (one
// level: a list type takes no seen value).
func fits(schema *ast.Schema, t *ast.Type, v any) bool {
	if t.Elem != nil {
		return false
	}
	d := schema.Types[t.Name()]
	if d == nil {
		return false
	}
	switch {
	case d.Kind == ast.Enum:
		s, ok := v.(string)
		return ok && d.EnumValues.ForName(s) != nil
	case d.Kind != ast.Scalar:
		return false
	}
	n, isNum := v.(json.Number)
	switch d.Name {
	case "String":
		_, ok := v.(string)
		return ok
	case "ID":
		if isNum {
			_, err := n.Int64()
			return err == nil
		}
		_, ok := v.(string)
		return ok
	case "Int":
		if !isNum {
			return false
		}
		i, err := n.Int64()
		return err == nil && i >= -1<<31 && i < 1<<31
	case "Float":
		return isNum
	case "Boolean":
		_, ok := v.(bool)
		return ok
	}
	return true // a custom scalar takes what it answered
}

// SeenValues are the values the target answered to a discovery query
// (every root field without required arguments, each object's leaves two
// levels deep, connections' first 20 nodes), read once per API with the
// valid credentials and kept until the run forgets what it discovered. A
// discovery that fails leaves nothing seen and is no failure of the check
// that asked.
func SeenValues(t *T) *Seen {
	return t.env.seenOf(t.api.Name, func() *Seen {
		s := newSeen()
		q := discoveryQuery(t.api.Schema)
		if q == "" {
			return s
		}
		doc, err := ParseQuery(t.api.Schema, q)
		if err != nil {
			return s
		}
		dt := NewT(t.env, t.api)
		dt.Run(func(dt *T) {
			r := GQL(dt, t.api.Credentials(), q, nil)
			if data, err := DecodeJSON(r.Data); err == nil {
				s.Harvest(t.api.Schema, doc, data)
			}
		})
		return s
	})
}

// Filler fills the API's required arguments from its configured ids and
// the values seen (SeenValues).
func Filler(t *T) ArgFiller {
	return SeenValues(t).Filler(t.api.Schema, t.api.Conf.FirstIDs())
}

// discoveryDepth bounds the objects a discovery query descends into.
const discoveryDepth = 2

// discoveryQuery selects the leaves of what every root field without
// required arguments answers ("" when none can be selected).
func discoveryQuery(schema *ast.Schema) string {
	if schema == nil || schema.Query == nil {
		return ""
	}
	sel := discoverySelection(schema, schema.Query, 0)
	if sel == "" {
		return ""
	}
	return "query Discovery " + sel
}

func discoverySelection(schema *ast.Schema, def *ast.Definition, depth int) string {
	var parts []string
	if def.Kind == ast.Interface || def.Kind == ast.Union {
		parts = append(parts, "__typename")
		for _, pt := range schema.GetPossibleTypes(def) {
			if sub := discoverySelection(schema, pt, depth); sub != "" {
				parts = append(parts, "... on "+pt.Name+" "+sub)
			}
		}
		return "{ " + strings.Join(parts, " ") + " }"
	}
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || model.HasRequiredArgs(f) {
			continue
		}
		d := schema.Types[f.Type.Name()]
		if d == nil {
			continue
		}
		if d.Kind == ast.Scalar || d.Kind == ast.Enum {
			if depth > 0 {
				parts = append(parts, f.Name)
			}
			continue
		}
		if d.Kind == ast.InputObject || depth >= discoveryDepth {
			continue
		}
		sub := discoverySelection(schema, d, depth+1)
		if sub == "" {
			continue
		}
		args := ""
		if a := f.Arguments.ForName("first"); a != nil && a.Type.Name() == "Int" {
			args = "(first: 20)"
		}
		parts = append(parts, f.Name+args+" "+sub)
	}
	if len(parts) == 0 {
		return ""
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// UnknownArgValue is a value no record has for a lookup's argument, typed
// as the argument: a large integer for an Int, else a value shaped like
// the configured or seen ones (a fresh uuid for uuids, a made-up word
// otherwise).
func UnknownArgValue(t *T, f *ast.FieldDefinition, arg *ast.ArgumentDefinition) any {
	switch arg.Type.Name() {
	case "Int":
		return 2147480000
	case "Float":
		return 2147480000.5
	}
	sample := t.api.ID(arg.Name)
	if sample == "" {
		for _, v := range SeenValues(t).candidates(t.api.Schema, f, arg) {
			switch x := v.(type) {
			case string:
				sample = x
			case json.Number:
				if arg.Type.Name() == "ID" {
					return "2147480000"
				}
			}
			if sample != "" {
				break
			}
		}
	}
	return UnknownValue(sample)
}

// noValueReason says why a field's required arguments have no value.
func noValueReason(parent string, f *ast.FieldDefinition, fill ArgFiller) string {
	var missing, seen []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			if _, ok := fill(f, a); !ok {
				missing = append(missing, a.Name)
				seen = append(seen, f.Type.Name()+"."+a.Name)
			}
		}
	}
	return fmt.Sprintf("%s.%s(%s:) needs a value: none configured (ids.%s in conform.yaml) and none seen in the target's answers (%s)",
		parent, f.Name, strings.Join(missing, ":, "), strings.Join(missing, ", ids."), strings.Join(seen, ", "))
}
