package usererr

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// checker walks a YAML tree against the Go type it decodes into and
// collects every unknown key, repeated key and value of the wrong type at
// its node, before yaml.v3 decodes it (yaml.v3 names a line only, and
// stops at the first error of some kinds).
type checker struct {
	file string
	data []byte
	errs []error
	// budget bounds the nodes visited: aliases may repeat a subtree
	// exponentially often (a "billion laughs" document); past the budget
	// the walk stops and yaml.v3's own alias limit answers.
	budget int
}

// walkBudget is the checker's budget: the document's nodes, ten times
// over, and at least 100,000.
func walkBudget(root *yaml.Node) int {
	n := 0
	var count func(*yaml.Node)
	count = func(x *yaml.Node) {
		n++
		for _, c := range x.Content {
			count(c)
		}
	}
	count(root)
	return max(10*n, 100_000)
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func typeOf(out any) reflect.Type {
	t := reflect.TypeOf(out)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (c *checker) add(n *yaml.Node, problem, fix string) {
	c.errs = append(c.errs, &Error{Place: Place{File: c.file, Line: n.Line, Col: n.Column}, Problem: problem, Fix: fix})
}

// value checks node n decoded into a value of type t; path names it.
func (c *checker) value(n *yaml.Node, t reflect.Type, path []string) {
	if t == nil || c.budget <= 0 {
		return
	}
	c.budget--
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return
		}
		n = n.Alias
	}
	if custom(t) {
		// the type reads itself: decode this node alone and place its
		// complaint here
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			if placed := All(err); len(placed) > 0 {
				for _, e := range placed {
					if e.Line == 0 {
						e.Line, e.Col = n.Line, n.Column
					}
					c.errs = append(c.errs, InFile(e, c.file))
				}
				return
			}
			var te *yaml.TypeError
			msgs := []string{err.Error()}
			if errors.As(err, &te) {
				msgs = te.Errors
			}
			for _, m := range msgs {
				line, msg := lineOf(strings.TrimPrefix(m, "yaml: "))
				at := &yaml.Node{Line: n.Line, Column: n.Column}
				if line > n.Line {
					at.Line, at.Column = line, firstColumn(c.data, line)
				}
				c.add(at, name(path)+": "+msg, "see the documented format of "+name(path))
			}
		}
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // null leaves the zero value, as yaml.v3 does
	}
	switch t.Kind() {
	case reflect.Pointer:
		c.value(n, t.Elem(), path)
	case reflect.Interface:
	case reflect.Struct:
		if !c.want(n, yaml.MappingNode, t, path) {
			return
		}
		fields := structFields(t)
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				continue
			}
			if first, dup := seen[k.Value]; dup {
				c.add(k, fmt.Sprintf("key %q repeated (first at line %d)", keyName(path, k.Value), first.Line), "keep one of them")
				continue
			}
			seen[k.Value] = k
			ft, ok := fields[k.Value]
			if !ok {
				c.add(k, unknownKey(path, k.Value), validKeys(fields, k.Value))
				continue
			}
			c.value(v, ft, append(path, k.Value))
		}
	case reflect.Map:
		if !c.want(n, yaml.MappingNode, t, path) {
			return
		}
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				continue
			}
			if first, dup := seen[k.Value]; dup {
				c.add(k, fmt.Sprintf("key %q repeated (first at line %d)", keyName(path, k.Value), first.Line), "keep one of them")
				continue
			}
			seen[k.Value] = k
			if kt := t.Key(); kt.Kind() != reflect.String && kt.Kind() != reflect.Interface {
				if err := k.Decode(reflect.New(kt).Interface()); err != nil {
					c.add(k, fmt.Sprintf("key %q of %s: want %s", k.Value, name(path), kindWords(kt)), "write "+kindExample(kt, ""))
					continue
				}
			}
			c.value(v, t.Elem(), append(path, k.Value))
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && n.Kind == yaml.ScalarNode {
			return // []byte from !!binary or a string
		}
		if !c.want(n, yaml.SequenceNode, t, path) {
			return
		}
		for i, v := range n.Content {
			c.value(v, t.Elem(), append(path, strconv.Itoa(i)))
		}
	default:
		if n.Kind != yaml.ScalarNode {
			c.add(n, fmt.Sprintf("%s: want %s, not %s", name(path), kindWords(t), nodeWords(n)), "write "+kindExample(t, last(path)))
			return
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			c.add(n, fmt.Sprintf("%s: want %s, not %q", name(path), kindWords(t), n.Value), "write "+kindExample(t, last(path)))
		}
	}
}

// want reports whether n is of kind k, and adds the mistake if not.
func (c *checker) want(n *yaml.Node, k yaml.Kind, t reflect.Type, path []string) bool {
	if n.Kind == k {
		return true
	}
	what := nodeWords(n)
	if n.Kind == yaml.ScalarNode {
		what = fmt.Sprintf("%q", n.Value)
	}
	c.add(n, fmt.Sprintf("%s: want %s, not %s", name(path), kindWords(t), what), "write "+kindExample(t, last(path)))
	return false
}

// custom reports whether values of t decode themselves.
func custom(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || pt.Implements(unmarshalerType) ||
		(t.Kind() != reflect.String && (t.Implements(textUnmarshalerType) || pt.Implements(textUnmarshalerType)))
}

// structFields maps the YAML keys of a struct type to their field types,
// as yaml.v3 reads them: the tag's name, else the field name in lower
// case; "-" skipped; ",inline" structs merged in.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.PkgPath != "" && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range structFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if f.PkgPath != "" {
			continue
		}
		if key == "" {
			key = strings.ToLower(f.Name)
		}
		out[key] = f.Type
	}
	return out
}

func unknownKey(path []string, key string) string {
	if len(path) == 0 {
		return fmt.Sprintf("unknown key %q", key)
	}
	return fmt.Sprintf("unknown key %q in %s", key, name(path))
}

// validKeys is the fix for an unknown key: the keys allowed there, and
// the likely one meant.
func validKeys(fields map[string]reflect.Type, key string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fix := "valid keys here: " + strings.Join(keys, ", ")
	if m := closest(key, keys); m != "" {
		fix = fmt.Sprintf("did you mean %q? ", m) + fix
	}
	return fix
}

// closest is the key nearest to s (equal but for case, or within an edit
// distance of 2 or a third of its length), or "".
func closest(s string, keys []string) string {
	best, bestD := "", max(2, len(s)/3)+1
	for _, k := range keys {
		if strings.EqualFold(k, s) {
			return k
		}
		if d := distance(strings.ToLower(s), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// name is a path as dotted keys ("effect.status"), or "the file" at the top.
func name(path []string) string {
	if len(path) == 0 {
		return "the file"
	}
	return strings.Join(path, ".")
}

func keyName(path []string, key string) string { return name(append(path[:len(path):len(path)], key)) }

func last(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

func nodeWords(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a single value"
}

var durationType = reflect.TypeFor[time.Duration]()

// kindWords says what values of t look like in YAML.
func kindWords(t reflect.Type) string {
	if t == durationType {
		return "a duration"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping (key: value lines)"
	case reflect.Pointer:
		return kindWords(t.Elem())
	}
	return "a " + t.Kind().String()
}

// kindExample is the fix for a value of the wrong type: the form wanted,
// with key as its key when known.
func kindExample(t reflect.Type, key string) string {
	if key == "" || isIndex(key) {
		key = "key"
	}
	if t == durationType {
		return "a Go duration, e.g. " + key + ": 1m30s (units ns, us, ms, s, m, h)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "digits only, e.g. " + key + ": 3"
	case reflect.Float32, reflect.Float64:
		return "a number, e.g. " + key + ": 1.5"
	case reflect.Bool:
		return key + ": true or " + key + ": false"
	case reflect.String:
		return "text; quote it if it is meant as text (" + key + `: "…")`
	case reflect.Slice, reflect.Array:
		return `one "- item" line per entry under ` + key + ":, or [a, b]"
	case reflect.Map, reflect.Struct:
		return `"name: value" lines indented under ` + key + ":"
	case reflect.Pointer:
		return kindExample(t.Elem(), key)
	}
	return "a value of the documented form"
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}
