package fakedata

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// exprError is a problem with one expression; Compile adds the field and
// the file. Line and Column (from 1) are the place in the YAML source, zero
// when the expression did not come from a file.
type exprError struct {
	msg          string
	line, column int
}

func (e *exprError) Error() string { return e.msg }

// bad is an error without a place; compile gives it the place of the
// generator's parameters.
func bad(format string, args ...any) error { return &exprError{msg: fmt.Sprintf(format, args...)} }

// at is an error at the place of a YAML node.
func at(n *yaml.Node, format string, args ...any) error {
	return &exprError{msg: fmt.Sprintf(format, args...), line: n.Line, column: n.Column}
}

// placed gives err the place of n unless it has one.
func placed(err error, n *yaml.Node) error {
	var ee *exprError
	if errors.As(err, &ee) && ee.line == 0 {
		return &exprError{msg: ee.msg, line: n.Line, column: n.Column}
	}
	return err
}

// wrapf prefixes err's message, keeping its place.
func wrapf(err error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...) + ": " + err.Error()
	var ee *exprError
	if errors.As(err, &ee) {
		return &exprError{msg: msg, line: ee.line, column: ee.column}
	}
	return &exprError{msg: msg}
}

// resolve follows aliases and unwraps documents; nil stays nil.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch {
		case n.Kind == yaml.AliasNode && n.Alias != nil:
			n = n.Alias
		case n.Kind == yaml.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		default:
			return n
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// value decodes a node into a JSON-shaped value (see normalize).
func value(n *yaml.Node) (any, error) {
	if n = resolve(n); isNull(n) {
		return nil, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, at(n, "%v", err)
	}
	v, err := normalize(v)
	if err != nil {
		return nil, placed(err, n)
	}
	return v, nil
}

// nodeOf turns a Go value (a Spec field set without a YAML node) into a node.
func nodeOf(v any) (*yaml.Node, error) {
	if n, ok := jsonNode(v); ok {
		return n, nil
	}
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, bad("cannot read expression: %v", err)
	}
	return n, nil
}

// jsonNode builds the node of a JSON-shaped value (normalize's: nil,
// string, bool, float64, []any, map[string]any, keys sorted as yaml's
// encoder sorts them) without the encoder, whose reflection was a tenth of
// GitHub's schema's start-up (382 collections of rules made in Go);
// false for anything else (non-finite numbers included).
func jsonNode(v any) (*yaml.Node, bool) {
	scalar := func(tag, val string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: val} }
	switch x := v.(type) {
	case nil:
		return scalar("!!null", "null"), true
	case string:
		return scalar("!!str", x), true
	case bool:
		return scalar("!!bool", strconv.FormatBool(x)), true
	case float64:
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return nil, false
		case x == math.Trunc(x) && math.Abs(x) < 1<<53:
			return scalar("!!int", strconv.FormatInt(int64(x), 10)), true
		}
		return scalar("!!float", strconv.FormatFloat(x, 'g', -1, 64)), true
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(x))}
		for _, e := range x {
			c, ok := jsonNode(e)
			if !ok {
				return nil, false
			}
			n.Content = append(n.Content, c)
		}
		return n, true
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(x))}
		for _, k := range keys {
			c, ok := jsonNode(x[k])
			if !ok {
				return nil, false
			}
			n.Content = append(n.Content, scalar("!!str", k), c)
		}
		return n, true
	}
	return nil, false
}

// probability is a number between 0 and 1.
type probability float64

// decodeParams decodes the parameter map of generator gen into dst, a
// pointer to a struct whose fields carry `param:"name"` tags. Fields hold
// their defaults on entry. Supported field types: float64, int, *int (nil
// when absent), probability, string, bool, []any (a list of values),
// []string (a list of strings or one string), time.Time (RFC 3339),
// time.Duration ("720h"), *yaml.Node (an expression, nil when absent) and
// []*yaml.Node (a list of expressions). Unknown keys are refused.
func decodeParams(gen string, n *yaml.Node, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	index := map[string]int{}
	allowed := make([]string, rt.NumField())
	for i := range allowed {
		allowed[i] = rt.Field(i).Tag.Get("param")
		index[allowed[i]] = i
	}
	if n = resolve(n); isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		v, _ := value(n)
		return at(n, "%s: parameters must be a map, got %s", gen, TypeName(v))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !hasKey(index, k.Value) {
			return at(k, "%s: unknown parameter %q (allowed: %s)", gen, k.Value, strings.Join(allowed, ", "))
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if err := decodeParam(gen, k.Value, v, rv.Field(index[k.Value]).Addr().Interface()); err != nil {
			return placed(err, v)
		}
	}
	return nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func decodeParam(gen, k string, n *yaml.Node, dst any) error {
	switch p := dst.(type) {
	case **yaml.Node:
		*p = n
		return nil
	case *[]*yaml.Node:
		if n.Kind != yaml.SequenceNode {
			v, _ := value(n)
			return bad("%s: %s must be a list, got %s", gen, k, TypeName(v))
		}
		*p = make([]*yaml.Node, len(n.Content))
		for i, e := range n.Content {
			(*p)[i] = resolve(e)
		}
		return nil
	}
	v, err := value(n)
	if err != nil {
		return err
	}
	switch p := dst.(type) {
	case *float64:
		*p, err = number(gen, k, v)
	case *probability:
		var f float64
		if f, err = number(gen, k, v); err == nil && (f < 0 || f > 1) {
			err = bad("%s: %s must be between 0 and 1, got %v", gen, k, f)
		}
		*p = probability(f)
	case *int:
		*p, err = whole(gen, k, v)
	case **int:
		var i int
		i, err = whole(gen, k, v)
		*p = &i
	case *string:
		s, ok := v.(string)
		if !ok {
			return bad("%s: %s must be a string, got %s", gen, k, TypeName(v))
		}
		*p = s
	case *bool:
		b, ok := v.(bool)
		if !ok {
			return bad("%s: %s must be true or false, got %s", gen, k, TypeName(v))
		}
		*p = b
	case *[]any:
		l, ok := v.([]any)
		if !ok {
			return bad("%s: %s must be a list, got %s", gen, k, TypeName(v))
		}
		*p = l
	case *[]string:
		*p, err = stringList(gen, k, v)
	case *time.Time:
		*p, err = rfc3339(gen, k, v)
	case *time.Duration:
		*p, err = duration(gen, k, v)
	default:
		return bad("%s: %s: parameter of unsupported Go type %T", gen, k, dst)
	}
	return err
}

func number(gen, k string, v any) (float64, error) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, bad("%s: %s must be a number, got %s", gen, k, TypeName(v))
	}
	return f, nil
}

func whole(gen, k string, v any) (int, error) {
	f, err := number(gen, k, v)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, bad("%s: %s must be a whole number, got %v", gen, k, f)
	}
	return int(f), nil
}

func stringList(gen, k string, v any) ([]string, error) {
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, bad("%s: %s must be a list, got %s", gen, k, TypeName(v))
	}
	out := make([]string, len(l))
	for i, e := range l {
		s, ok := e.(string)
		if !ok {
			return nil, bad("%s: %s[%d] must be a string, got %s", gen, k, i, TypeName(e))
		}
		out[i] = s
	}
	return out, nil
}

func rfc3339(gen, k string, v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, bad("%s: %s must be an RFC 3339 time string, got %s", gen, k, TypeName(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, bad("%s: %s: %q is not an RFC 3339 time", gen, k, s)
	}
	return t.UTC(), nil
}

func duration(gen, k string, v any) (time.Duration, error) {
	s, ok := v.(string)
	if !ok {
		return 0, bad("%s: %s must be a duration string like \"720h\", got %s", gen, k, TypeName(v))
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, bad("%s: %s: %q is not a non-negative duration like \"720h\"", gen, k, s)
	}
	return d, nil
}

// TypeName names the JSON type of a JSON-shaped value (as decoded from YAML
// or JSON) for error messages: "null", "a string", "a number", "a boolean",
// "a list", "an object". The fixtures' record errors use it too.
func TypeName(v any) string { return TypeNameWith(v, "a list") }

// TypeNameWith is TypeName with list as the name of a list: the data API's
// errors, which speak of JSON bodies, say "an array".
func TypeNameWith(v any, list string) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return list
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// normalize turns a YAML-decoded value into a JSON-shaped one.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = n
		}
		return out, nil
	}
	return nil, bad("unsupported value of type %T", v)
}
