package exec

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// isNull reports whether a resolved value stands for null. Nil slices are
// not null: they complete as empty lists.
func isNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return x == nil
	case json.RawMessage:
		return x == nil || string(x) == "null"
	}
	return false
}

// completeValue writes val completed as type t. It returns false, having
// written nothing, when the result is null in a non-null position.
func (ex *execution) completeValue(t *ast.Type, pf *plannedField, val any) bool {
	if isNull(val) {
		if t.NonNull {
			ex.fieldErrorf(pf, CodeInternal, "Cannot return null for non-nullable field %s.%s.", pf.parentType.Name, pf.def.Name)
			return false
		}
		ex.buf = append(ex.buf, "null"...)
		return true
	}
	if t.NonNull {
		return ex.completeInner(t, pf, val)
	}
	start := len(ex.buf)
	if !ex.completeInner(t, pf, val) {
		ex.buf = append(ex.buf[:start], "null"...)
	}
	return true
}

// completeInner writes a non-null val of type t (nullability ignored). On
// failure it records the error, writes nothing and returns false.
func (ex *execution) completeInner(t *ast.Type, pf *plannedField, val any) bool {
	if t.Elem != nil {
		return ex.completeList(t.Elem, pf, val)
	}
	def := pf.namedType
	if def == nil || def.Name != t.NamedType {
		def = ex.e.schema.Types[t.NamedType]
	}
	if def == nil {
		ex.fieldErrorf(pf, CodeInternal, "Unknown type %q.", t.NamedType)
		return false
	}
	switch def.Kind {
	case ast.Scalar:
		b, err := appendScalar(ex.buf, def.Name, val)
		if err != nil {
			ex.fieldErrorf(pf, CodeInternal, "%s", err.Error())
			return false
		}
		ex.buf = b
		return true
	case ast.Enum:
		s, ok := val.(string)
		if !ok {
			if st, isStringer := val.(fmt.Stringer); isStringer {
				s, ok = st.String(), true
			} else if rv := reflect.ValueOf(val); rv.Kind() == reflect.String {
				s, ok = rv.String(), true
			}
		}
		if _, declared := ex.e.enums[def.Name][s]; !ok || !declared {
			ex.fieldErrorf(pf, CodeInternal, "Enum %q cannot represent value: %s", def.Name, shortJSON(val))
			return false
		}
		ex.buf = appendString(ex.buf, s)
		return true
	case ast.Object:
		return ex.executeFields(def, val, ex.subPlan(def, pf))
	case ast.Interface, ast.Union:
		obj, err := ex.resolveType(def, pf, val)
		if err != nil {
			ex.fieldError(err, pf)
			return false
		}
		return ex.executeFields(obj, val, ex.subPlan(obj, pf))
	}
	ex.fieldErrorf(pf, CodeInternal, "Type %q cannot be an output type.", def.Name)
	return false
}

func (ex *execution) resolveType(abstract *ast.Definition, pf *plannedField, val any) (*ast.Definition, error) {
	name := ""
	if ex.typeResolver != nil {
		n, err := ex.typeResolver.ResolveType(ex.ctx, abstract, val)
		if err != nil {
			return nil, err
		}
		name = n
	}
	if name == "" {
		switch v := val.(type) {
		case map[string]any:
			name, _ = v["__typename"].(string)
		case Object:
			name, _ = v.GraphQLField("__typename").(string)
		}
	}
	possible := ex.e.schema.PossibleTypes[abstract.Name]
	if name == "" {
		var only *ast.Definition
		n := 0
		for _, p := range possible {
			if p.Kind == ast.Object {
				only = p
				n++
			}
		}
		if n == 1 {
			return only, nil
		}
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("Abstract type %q must resolve to an Object type at runtime for field %s.%s: the value has no \"__typename\".", abstract.Name, pf.parentType.Name, pf.def.Name)}
	}
	for _, p := range possible {
		if p.Name == name && p.Kind == ast.Object {
			return p, nil
		}
	}
	return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("Runtime Object type %q is not a possible type for %q.", name, abstract.Name)}
}

func (ex *execution) completeList(elem *ast.Type, pf *plannedField, val any) bool {
	start := len(ex.buf)
	ex.buf = append(ex.buf, '[')
	item := func(i int, v any) bool {
		if i > 0 {
			ex.buf = append(ex.buf, ',')
		}
		ex.path = append(ex.path, ast.PathIndex(i))
		ok := ex.completeValue(elem, pf, v)
		ex.path = ex.path[:len(ex.path)-1]
		return ok
	}
	ok := true
	switch l := val.(type) {
	case []any:
		for i, v := range l {
			if ok = item(i, v); !ok {
				break
			}
		}
	case []map[string]any:
		for i, v := range l {
			if ok = item(i, v); !ok {
				break
			}
		}
	case []string:
		if elem.Elem == nil && (elem.NamedType == "String" || elem.NamedType == "ID") {
			for i, v := range l {
				if i > 0 {
					ex.buf = append(ex.buf, ',')
				}
				ex.buf = appendString(ex.buf, v)
			}
			break
		}
		for i, v := range l {
			if ok = item(i, v); !ok {
				break
			}
		}
	default:
		rv := reflect.ValueOf(val)
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
			ex.buf = ex.buf[:start]
			ex.fieldErrorf(pf, CodeInternal, "Expected a list for field %s.%s, got %T.", pf.parentType.Name, pf.def.Name, val)
			return false
		}
		for i := 0; i < rv.Len(); i++ {
			if ok = item(i, rv.Index(i).Interface()); !ok {
				break
			}
		}
	}
	if !ok {
		ex.buf = ex.buf[:start]
		return false
	}
	ex.buf = append(ex.buf, ']')
	return true
}

// appendScalar serializes a scalar value (result coercion). Built-in
// scalars are strict: Int must be an integral number within 32 bits, Float
// a finite number, String a Go string, Boolean a bool, ID a string or an
// integer (written as a string). Custom scalars are written as JSON values.
func appendScalar(b []byte, scalar string, v any) ([]byte, error) {
	switch scalar {
	case "Int":
		n, ok := toInt64(v)
		if !ok {
			return b, fmt.Errorf("Int cannot represent non-integer value: %s", shortJSON(v))
		}
		if n > math.MaxInt32 || n < math.MinInt32 {
			return b, fmt.Errorf("Int cannot represent non 32-bit signed integer value: %s", shortJSON(v))
		}
		return strconv.AppendInt(b, n, 10), nil
	case "Float":
		f, ok := toFloat64(v)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return b, fmt.Errorf("Float cannot represent non numeric value: %s", shortJSON(v))
		}
		return appendFloat(b, f), nil
	case "String":
		s, ok := v.(string)
		if !ok {
			return b, fmt.Errorf("String cannot represent value: %s", shortJSON(v))
		}
		return appendString(b, s), nil
	case "Boolean":
		x, ok := v.(bool)
		if !ok {
			return b, fmt.Errorf("Boolean cannot represent a non boolean value: %s", shortJSON(v))
		}
		return strconv.AppendBool(b, x), nil
	case "ID":
		if s, ok := v.(string); ok {
			return appendString(b, s), nil
		}
		if n, ok := toInt64(v); ok {
			b = append(b, '"')
			b = strconv.AppendInt(b, n, 10)
			return append(b, '"'), nil
		}
		return b, fmt.Errorf("ID cannot represent value: %s", shortJSON(v))
	}
	start := len(b)
	out, err := appendJSONValue(b, v)
	if err != nil {
		return out[:start], fmt.Errorf("%s cannot represent value: %v", scalar, err)
	}
	return out, nil
}
