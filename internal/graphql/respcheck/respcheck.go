// Package respcheck validates a GraphQL response's data against the schema
// and the operation that produced it: every requested field is present,
// no field that was not requested appears, every value has the declared
// type (built-in scalars, declared enum values, lists, objects), and no
// null appears in a non-null position.
//
// It walks the selection set with the executor's own field collection
// (exec.CollectFields / exec.CollectSubfields: fragments, type conditions,
// @skip/@include, field merging), so the rules are the ones the Standin
// executor follows. The conformance suite uses it on responses from real
// servers.
package respcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
)

// Kind classifies a Violation.
type Kind string

// Violation kinds.
const (
	// WrongType: a value does not have the declared type (e.g. a string for
	// an Int, an object for a list, a non-integral Int).
	WrongType Kind = "wrong_type"
	// NullInNonNull: null in a non-null position.
	NullInNonNull Kind = "null_in_non_null"
	// UnknownEnumValue: a string that is not a declared value of the enum.
	UnknownEnumValue Kind = "unknown_enum_value"
	// MissingField: a requested field is absent from an object.
	MissingField Kind = "missing_field"
	// ExtraField: an object has a key that was not requested.
	ExtraField Kind = "extra_field"
	// UnresolvedType: the concrete type of an interface or union value
	// cannot be determined or is not a possible type.
	UnresolvedType Kind = "unresolved_type"
	// BadRequest: the operation cannot be selected, the variables do not
	// coerce, or the response is not JSON.
	BadRequest Kind = "bad_request"
)

// Violation is one problem found in a response.
type Violation struct {
	// Path is the GraphQL response path (strings and ints) of the value.
	Path []any `json:"path"`
	// Kind classifies the problem.
	Kind Kind `json:"kind"`
	// Message describes it.
	Message string `json:"message"`
}

// String renders the violation as "path: message".
func (v Violation) String() string {
	return PathString(v.Path) + ": " + v.Message
}

// PathString renders a response path like "users.edges[0].node".
func PathString(p []any) string {
	var b strings.Builder
	for i, e := range p {
		switch x := e.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(x) + "]")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, x)
		}
	}
	if b.Len() == 0 {
		return "data"
	}
	return b.String()
}

// maxSteps bounds the work spent trying possible types of abstract values
// that carry no __typename.
const maxSteps = 1_000_000

// Validate checks data (the decoded "data" member of a response; numbers as
// float64 or json.Number) against the selection of the operation named
// operationName in doc (validated against schema), with the raw variables
// the request sent. A nil data (no data, or data: null) has no violations.
// Violations are in walk order.
func Validate(schema *ast.Schema, doc *ast.QueryDocument, operationName string, variables map[string]any, data any) []Violation {
	op, err := exec.GetOperation(doc, operationName)
	if err != nil {
		return []Violation{{Path: []any{}, Kind: BadRequest, Message: err.Message}}
	}
	vars, errs := exec.CoerceVariables(schema, op, variables)
	if len(errs) > 0 {
		return []Violation{{Path: []any{}, Kind: BadRequest, Message: errs[0].Message}}
	}
	if data == nil {
		return nil
	}
	root := exec.RootType(schema, op)
	if root == nil {
		return []Violation{{Path: []any{}, Kind: BadRequest, Message: fmt.Sprintf("schema has no %s root type", op.Operation)}}
	}
	c := &checker{schema: schema, doc: doc, vars: vars}
	obj, ok := data.(map[string]any)
	if !ok {
		c.add(nil, WrongType, "data must be an object, got %s", describe(data))
		return c.out
	}
	c.object(root, exec.CollectFields(schema, doc, root, op.SelectionSet, vars), obj, nil)
	return c.out
}

// ValidateJSON is Validate with data given as JSON text (the value of the
// "data" member). Numbers are decoded exactly (json.Number).
func ValidateJSON(schema *ast.Schema, doc *ast.QueryDocument, operationName string, variables map[string]any, data []byte) []Violation {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []Violation{{Path: []any{}, Kind: BadRequest, Message: "data is not valid JSON: " + err.Error()}}
	}
	return Validate(schema, doc, operationName, variables, v)
}

type checker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	out    []Violation
	steps  int
}

func (c *checker) add(path []any, kind Kind, format string, args ...any) {
	p := make([]any, len(path))
	copy(p, path)
	c.out = append(c.out, Violation{Path: p, Kind: kind, Message: fmt.Sprintf(format, args...)})
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "string " + strconv.Quote(x)
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case json.Number:
		return "number " + x.String()
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprintf("%T", v)
}

func (c *checker) object(obj *ast.Definition, groups []exec.CollectedField, value map[string]any, path []any) {
	c.steps++
	requested := make(map[string]bool, len(groups))
	for _, g := range groups {
		requested[g.ResponseKey] = true
		fpath := append(path, g.ResponseKey)
		v, ok := value[g.ResponseKey]
		if !ok {
			c.add(fpath, MissingField, "requested field %q (%s.%s) is missing", g.ResponseKey, obj.Name, g.Name())
			continue
		}
		name := g.Name()
		if name == "__typename" {
			if s, ok := v.(string); !ok || s != obj.Name {
				c.add(fpath, WrongType, "__typename must be %q, got %s", obj.Name, describe(v))
			}
			continue
		}
		def := obj.Fields.ForName(name)
		if def == nil {
			c.add(fpath, ExtraField, "field %q is not defined on type %s", name, obj.Name)
			continue
		}
		c.value(def.Type, g.Fields, v, fpath)
	}
	var extra []string
	for k := range value {
		if !requested[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		c.add(append(path, k), ExtraField, "field %q was not requested on type %s", k, obj.Name)
	}
}

func (c *checker) value(t *ast.Type, fields []*ast.Field, v any, path []any) {
	if v == nil {
		if t.NonNull {
			c.add(path, NullInNonNull, "null in non-null position of type %s", t.String())
		}
		return
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			c.add(path, WrongType, "expected a list of type %s, got %s", t.String(), describe(v))
			return
		}
		for i, item := range list {
			c.value(t.Elem, fields, item, append(path, i))
		}
		return
	}
	def := c.schema.Types[t.NamedType]
	if def == nil {
		c.add(path, WrongType, "unknown type %s", t.NamedType)
		return
	}
	switch def.Kind {
	case ast.Scalar:
		if msg := checkScalar(def.Name, v); msg != "" {
			c.add(path, WrongType, "%s", msg)
		}
	case ast.Enum:
		s, ok := v.(string)
		if !ok {
			c.add(path, WrongType, "enum %s must be a string, got %s", def.Name, describe(v))
			return
		}
		if def.EnumValues.ForName(s) == nil {
			c.add(path, UnknownEnumValue, "%q is not a value of enum %s", s, def.Name)
		}
	case ast.Object, ast.Interface, ast.Union:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, WrongType, "expected an object of type %s, got %s", def.Name, describe(v))
			return
		}
		if def.Kind == ast.Object {
			c.object(def, exec.CollectSubfields(c.schema, c.doc, def, fields, c.vars), m, path)
			return
		}
		c.abstract(def, fields, m, path)
	default:
		c.add(path, WrongType, "type %s is not an output type", def.Name)
	}
}

func (c *checker) possible(def *ast.Definition) []*ast.Definition {
	var out []*ast.Definition
	for _, p := range c.schema.PossibleTypes[def.Name] {
		if p.Kind == ast.Object {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *checker) abstract(def *ast.Definition, fields []*ast.Field, m map[string]any, path []any) {
	candidates := c.possible(def)
	if tn, ok := m["__typename"].(string); ok {
		for _, p := range candidates {
			if p.Name == tn {
				c.object(p, exec.CollectSubfields(c.schema, c.doc, p, fields, c.vars), m, path)
				return
			}
		}
		c.add(path, UnresolvedType, "__typename %q is not a possible type of %s", tn, def.Name)
		return
	}
	if len(candidates) == 0 {
		c.add(path, UnresolvedType, "abstract type %s has no possible types", def.Name)
		return
	}
	// No __typename: accept the first possible type the value conforms to,
	// else report against the closest one.
	var best []Violation
	bestScore := -1
	for _, p := range candidates {
		if c.steps > maxSteps {
			c.add(path, UnresolvedType, "gave up resolving the type of %s: too much work", def.Name)
			return
		}
		saved := c.out
		c.out = nil
		c.object(p, exec.CollectSubfields(c.schema, c.doc, p, fields, c.vars), m, path)
		got := c.out
		c.out = saved
		if len(got) == 0 {
			return
		}
		if sc := score(got); bestScore < 0 || sc < bestScore {
			best, bestScore = got, sc
		}
	}
	c.out = append(c.out, best...)
}

// score ranks a candidate type's violations: a key set that does not
// match (missing or extra fields) weighs more than wrong values.
func score(vs []Violation) int {
	n := 0
	for _, v := range vs {
		if v.Kind == MissingField || v.Kind == ExtraField {
			n += 1000
		} else {
			n++
		}
	}
	return n
}

// checkScalar returns "" when v is a valid serialized value of a built-in
// scalar (custom scalars accept any JSON value).
func checkScalar(name string, v any) string {
	switch name {
	case "Int":
		var f float64
		switch n := v.(type) {
		case json.Number:
			if i, err := n.Int64(); err == nil {
				if i > math.MaxInt32 || i < math.MinInt32 {
					return "Int out of 32-bit range: " + n.String()
				}
				return ""
			}
			x, err := n.Float64()
			if err != nil {
				return "Int is not a number: " + n.String()
			}
			f = x
		case float64:
			f = n
		default:
			return "expected Int, got " + describe(v)
		}
		if f != math.Trunc(f) {
			return "Int must be integral, got " + describe(v)
		}
		if f > math.MaxInt32 || f < math.MinInt32 {
			return "Int out of 32-bit range: " + describe(v)
		}
	case "Float":
		switch v.(type) {
		case json.Number, float64:
		default:
			return "expected Float, got " + describe(v)
		}
	case "String", "ID":
		if _, ok := v.(string); !ok {
			return "expected " + name + " (a JSON string), got " + describe(v)
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return "expected Boolean, got " + describe(v)
		}
	}
	return ""
}
