package exec

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CoerceVariables implements CoerceVariableValues of the specification:
// raw holds the variables as decoded from JSON (numbers as float64 or
// json.Number). Defaults are applied, values are type checked and converted
// to the Go representation described on FieldContext.Args. Errors carry the
// code BAD_USER_INPUT.
func CoerceVariables(schema *ast.Schema, op *ast.OperationDefinition, raw map[string]any) (map[string]any, gqlerror.List) {
	if len(op.VariableDefinitions) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(op.VariableDefinitions))
	var errs gqlerror.List
	for _, vd := range op.VariableDefinitions {
		val, has := raw[vd.Variable]
		if !has && vd.DefaultValue != nil {
			v, err := coerceLiteral(schema, vd.DefaultValue, vd.Type, nil)
			if err != nil {
				errs = append(errs, newGQLError(CodeBadUserInput, fmt.Sprintf("Variable \"$%s\" has invalid default value: %s", vd.Variable, err.Error()), vd.Position, nil))
				continue
			}
			out[vd.Variable] = v
			continue
		}
		if vd.Type.NonNull && (!has || val == nil) {
			msg := fmt.Sprintf("Variable \"$%s\" of required type \"%s\" was not provided.", vd.Variable, vd.Type.String())
			if has {
				msg = fmt.Sprintf("Variable \"$%s\" of non-null type \"%s\" must not be null.", vd.Variable, vd.Type.String())
			}
			errs = append(errs, newGQLError(CodeBadUserInput, msg, vd.Position, nil))
			continue
		}
		if !has {
			continue
		}
		v, err := coerceInput(schema, val, vd.Type, "")
		if err != nil {
			errs = append(errs, newGQLError(CodeBadUserInput, fmt.Sprintf("Variable \"$%s\" got invalid value %s; %s", vd.Variable, shortJSON(val), err.Error()), vd.Position, nil))
			continue
		}
		out[vd.Variable] = v
	}
	return out, errs
}

func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

func at(path string) string {
	if path == "" {
		return ""
	}
	return " at \"" + path + "\""
}

// coerceInput coerces a JSON-decoded input value to type t.
func coerceInput(schema *ast.Schema, val any, t *ast.Type, path string) (any, error) {
	if val == nil {
		if t.NonNull {
			return nil, fmt.Errorf("Expected non-nullable type \"%s\" not to be null%s.", t.String(), at(path))
		}
		return nil, nil
	}
	if t.Elem != nil {
		if list, ok := val.([]any); ok {
			out := make([]any, len(list))
			for i, item := range list {
				v, err := coerceInput(schema, item, t.Elem, path+"["+strconv.Itoa(i)+"]")
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		}
		v, err := coerceInput(schema, val, t.Elem, path)
		if err != nil {
			return nil, err
		}
		return []any{v}, nil
	}
	def := schema.Types[t.NamedType]
	if def == nil {
		return nil, fmt.Errorf("Unknown type \"%s\"%s.", t.NamedType, at(path))
	}
	switch def.Kind {
	case ast.InputObject:
		obj, ok := val.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Expected type \"%s\" to be an object%s.", def.Name, at(path))
		}
		var unknown []string
		for k := range obj {
			if def.Fields.ForName(k) == nil {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown) // deterministic message
			return nil, fmt.Errorf("Field \"%s\" is not defined by type \"%s\"%s.", unknown[0], def.Name, at(path))
		}
		out := make(map[string]any, len(def.Fields))
		for _, fd := range def.Fields {
			fpath := fd.Name
			if path != "" {
				fpath = path + "." + fd.Name
			}
			fv, has := obj[fd.Name]
			if !has {
				if fd.DefaultValue != nil {
					v, err := coerceLiteral(schema, fd.DefaultValue, fd.Type, nil)
					if err != nil {
						return nil, err
					}
					out[fd.Name] = v
				} else if fd.Type.NonNull {
					return nil, fmt.Errorf("Field \"%s\" of required type \"%s\" was not provided%s.", fd.Name, fd.Type.String(), at(path))
				}
				continue
			}
			v, err := coerceInput(schema, fv, fd.Type, fpath)
			if err != nil {
				return nil, err
			}
			out[fd.Name] = v
		}
		if err := checkOneOf(def, obj, path); err != nil {
			return nil, err
		}
		return out, nil
	case ast.Enum:
		s, ok := val.(string)
		if !ok || def.EnumValues.ForName(s) == nil {
			return nil, fmt.Errorf("Value %s does not exist in \"%s\" enum%s.", shortJSON(val), def.Name, at(path))
		}
		return s, nil
	case ast.Scalar:
		v, err := coerceScalarInput(def.Name, val)
		if err != nil {
			return nil, fmt.Errorf("%s%s", err.Error(), at(path))
		}
		return v, nil
	}
	return nil, fmt.Errorf("Type \"%s\" is not an input type%s.", def.Name, at(path))
}

func checkOneOf(def *ast.Definition, obj map[string]any, path string) error {
	if def.Directives.ForName("oneOf") == nil {
		return nil
	}
	if len(obj) != 1 {
		return fmt.Errorf("OneOf input object \"%s\" must specify exactly one key%s.", def.Name, at(path))
	}
	for k, v := range obj {
		if v == nil {
			return fmt.Errorf("Field \"%s.%s\" must be non-null%s.", def.Name, k, at(path))
		}
	}
	return nil
}

// coerceScalarInput coerces a JSON-decoded value for a built-in scalar;
// custom scalars are passed through.
func coerceScalarInput(name string, val any) (any, error) {
	switch name {
	case "Int":
		n, ok := toInt64(val)
		if !ok {
			return nil, fmt.Errorf("Int cannot represent non-integer value: %s", shortJSON(val))
		}
		if n > math.MaxInt32 || n < math.MinInt32 {
			return nil, fmt.Errorf("Int cannot represent non 32-bit signed integer value: %s", shortJSON(val))
		}
		return int(n), nil
	case "Float":
		f, ok := toFloat64(val)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("Float cannot represent non numeric value: %s", shortJSON(val))
		}
		return f, nil
	case "String":
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("String cannot represent a non string value: %s", shortJSON(val))
		}
		return s, nil
	case "Boolean":
		b, ok := val.(bool)
		if !ok {
			return nil, fmt.Errorf("Boolean cannot represent a non boolean value: %s", shortJSON(val))
		}
		return b, nil
	case "ID":
		if s, ok := val.(string); ok {
			return s, nil
		}
		if n, ok := toInt64(val); ok {
			return strconv.FormatInt(n, 10), nil
		}
		return nil, fmt.Errorf("ID cannot represent value: %s", shortJSON(val))
	}
	return val, nil
}

// toInt64 converts an integral number of any Go numeric type or
// json.Number.
func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint:
		if uint64(n) > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint8:
		return int64(n), true
	case float64:
		if n != math.Trunc(n) || n > 1<<62 || n < -(1<<62) {
			return 0, false
		}
		return int64(n), true
	case float32:
		return toInt64(float64(n))
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		if f, err := n.Float64(); err == nil {
			return toInt64(f)
		}
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	if i, ok := toInt64(v); ok {
		return float64(i), true
	}
	return 0, false
}

// errUnsetVariable is returned internally when a literal refers to a
// variable that has no value.
type unsetVariable struct{}

func (unsetVariable) Error() string { return "unset variable" }

// coerceLiteral implements ValueFromAST: it coerces a literal of the
// document (which may contain variables) to type t. vars are the coerced
// variable values.
func coerceLiteral(schema *ast.Schema, v *ast.Value, t *ast.Type, vars map[string]any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if v.Kind == ast.Variable {
		val, ok := vars[v.Raw]
		if !ok {
			return nil, unsetVariable{}
		}
		if val == nil && t.NonNull {
			return nil, fmt.Errorf("Variable \"$%s\" of type that may be null used in position expecting non-null type \"%s\".", v.Raw, t.String())
		}
		return val, nil
	}
	if v.Kind == ast.NullValue {
		if t.NonNull {
			return nil, fmt.Errorf("Expected value of non-null type \"%s\", found null.", t.String())
		}
		return nil, nil
	}
	if t.Elem != nil {
		if v.Kind != ast.ListValue {
			item, err := coerceLiteral(schema, v, t.Elem, vars)
			if err != nil {
				if _, ok := err.(unsetVariable); ok {
					return nil, nil
				}
				return nil, err
			}
			return []any{item}, nil
		}
		out := make([]any, len(v.Children))
		for i, c := range v.Children {
			item, err := coerceLiteral(schema, c.Value, t.Elem, vars)
			if err != nil {
				if _, ok := err.(unsetVariable); ok && !t.Elem.NonNull {
					out[i] = nil
					continue
				}
				if _, ok := err.(unsetVariable); ok {
					return nil, fmt.Errorf("Variable \"$%s\" is not provided for a non-null list item.", c.Value.Raw)
				}
				return nil, err
			}
			out[i] = item
		}
		return out, nil
	}
	def := schema.Types[t.NamedType]
	if def == nil {
		return nil, fmt.Errorf("Unknown type \"%s\".", t.NamedType)
	}
	switch def.Kind {
	case ast.InputObject:
		if v.Kind != ast.ObjectValue {
			return nil, fmt.Errorf("Expected type \"%s\" to be an object, found %s.", def.Name, v.String())
		}
		out := make(map[string]any, len(def.Fields))
		given := 0
		for _, fd := range def.Fields {
			cv := v.Children.ForName(fd.Name)
			if cv != nil {
				fv, err := coerceLiteral(schema, cv, fd.Type, vars)
				if err == nil {
					out[fd.Name] = fv
					given++
					if fv == nil && def.Directives.ForName("oneOf") != nil {
						return nil, fmt.Errorf("Field \"%s.%s\" must be non-null.", def.Name, fd.Name)
					}
					continue
				}
				if _, ok := err.(unsetVariable); !ok {
					return nil, err
				}
			}
			if fd.DefaultValue != nil {
				fv, err := coerceLiteral(schema, fd.DefaultValue, fd.Type, nil)
				if err != nil {
					return nil, err
				}
				out[fd.Name] = fv
			} else if fd.Type.NonNull {
				return nil, fmt.Errorf("Field \"%s.%s\" of required type \"%s\" was not provided.", def.Name, fd.Name, fd.Type.String())
			}
		}
		for _, c := range v.Children {
			if def.Fields.ForName(c.Name) == nil {
				return nil, fmt.Errorf("Field \"%s\" is not defined by type \"%s\".", c.Name, def.Name)
			}
		}
		if def.Directives.ForName("oneOf") != nil && given != 1 {
			return nil, fmt.Errorf("OneOf input object \"%s\" must specify exactly one key.", def.Name)
		}
		return out, nil
	case ast.Enum:
		if v.Kind != ast.EnumValue || def.EnumValues.ForName(v.Raw) == nil {
			return nil, fmt.Errorf("Value %s does not exist in \"%s\" enum.", v.String(), def.Name)
		}
		return v.Raw, nil
	case ast.Scalar:
		return coerceScalarLiteral(def.Name, v)
	}
	return nil, fmt.Errorf("Type \"%s\" is not an input type.", def.Name)
}

func coerceScalarLiteral(name string, v *ast.Value) (any, error) {
	switch name {
	case "Int":
		if v.Kind != ast.IntValue {
			return nil, fmt.Errorf("Int cannot represent non-integer value: %s", v.String())
		}
		n, err := strconv.ParseInt(v.Raw, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("Int cannot represent non 32-bit signed integer value: %s", v.Raw)
		}
		return int(n), nil
	case "Float":
		if v.Kind != ast.IntValue && v.Kind != ast.FloatValue {
			return nil, fmt.Errorf("Float cannot represent non numeric value: %s", v.String())
		}
		f, err := strconv.ParseFloat(v.Raw, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("Float cannot represent value: %s", v.Raw)
		}
		return f, nil
	case "String":
		if v.Kind != ast.StringValue && v.Kind != ast.BlockValue {
			return nil, fmt.Errorf("String cannot represent a non string value: %s", v.String())
		}
		return v.Raw, nil
	case "Boolean":
		if v.Kind != ast.BooleanValue {
			return nil, fmt.Errorf("Boolean cannot represent a non boolean value: %s", v.String())
		}
		return v.Raw == "true", nil
	case "ID":
		if v.Kind != ast.StringValue && v.Kind != ast.BlockValue && v.Kind != ast.IntValue {
			return nil, fmt.Errorf("ID cannot represent value: %s", v.String())
		}
		return v.Raw, nil
	}
	return literalToGo(v)
}

// literalToGo converts a literal without variables to plain Go values, for
// custom scalars.
func literalToGo(v *ast.Value) (any, error) {
	switch v.Kind {
	case ast.IntValue:
		if n, err := strconv.ParseInt(v.Raw, 10, 64); err == nil {
			return int(n), nil
		}
		return strconv.ParseFloat(v.Raw, 64)
	case ast.FloatValue:
		return strconv.ParseFloat(v.Raw, 64)
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return v.Raw, nil
	case ast.BooleanValue:
		return v.Raw == "true", nil
	case ast.NullValue:
		return nil, nil
	case ast.ListValue:
		out := make([]any, len(v.Children))
		for i, c := range v.Children {
			x, err := literalToGo(c.Value)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case ast.ObjectValue:
		out := make(map[string]any, len(v.Children))
		for _, c := range v.Children {
			x, err := literalToGo(c.Value)
			if err != nil {
				return nil, err
			}
			out[c.Name] = x
		}
		return out, nil
	}
	return nil, fmt.Errorf("variables are not allowed in custom scalar literals")
}

// coerceArgs implements CoerceArgumentValues. It returns nil when no
// argument has a value.
func coerceArgs(schema *ast.Schema, defs ast.ArgumentDefinitionList, args ast.ArgumentList, vars map[string]any) (map[string]any, error) {
	var out map[string]any
	for _, ad := range defs {
		arg := args.ForName(ad.Name)
		var (
			val any
			has bool
		)
		if arg != nil && arg.Value != nil {
			if arg.Value.Kind == ast.Variable {
				val, has = vars[arg.Value.Raw]
			} else {
				has = true
			}
		}
		if !has {
			if ad.DefaultValue != nil {
				v, err := coerceLiteral(schema, ad.DefaultValue, ad.Type, nil)
				if err != nil {
					return nil, err
				}
				if out == nil {
					out = make(map[string]any, len(defs))
				}
				out[ad.Name] = v
			} else if ad.Type.NonNull {
				return nil, fmt.Errorf("Argument \"%s\" of required type \"%s\" was not provided.", ad.Name, ad.Type.String())
			}
			continue
		}
		if arg.Value.Kind == ast.Variable {
			if val == nil && ad.Type.NonNull {
				return nil, fmt.Errorf("Argument \"%s\" of non-null type \"%s\" must not be null.", ad.Name, ad.Type.String())
			}
		} else {
			v, err := coerceLiteral(schema, arg.Value, ad.Type, vars)
			if err != nil {
				return nil, fmt.Errorf("Argument \"%s\" has invalid value %s: %s", ad.Name, arg.Value.String(), err.Error())
			}
			val = v
		}
		if out == nil {
			out = make(map[string]any, len(defs))
		}
		out[ad.Name] = val
	}
	return out, nil
}
