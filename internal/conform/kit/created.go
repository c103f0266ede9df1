package kit

import (
	"fmt"
	"github.com/standin/standin/internal/contract/jsonptr"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/conform/model"
)

// What a stateful chain reads from a creation's answer (the id of the
// record made) and how it holds a record read back to what was sent.

// CreatedID finds the id of the record a creation made, in the order a
// client would: the creation's OpenAPI link to the read ($response.body#/id,
// $response.header.Location, …), the Location header matched against the
// read's path, the field of the answer's body (or of an object in it)
// that the read's path parameter names. sent is the creation's path
// values and body. from says where the id was found; ok is false when
// nowhere.
func CreatedID(c model.CRUDChain, pathValues map[string]string, sent any, resp Response) (id, from string, ok bool) {
	body, _ := DecodeJSON(resp.Body)
	if expr, has := c.Link[c.Param]; has {
		if v, ok := evalLink(expr, pathValues, sent, resp, body); ok && v != "" {
			return v, fmt.Sprintf("the link %s (%s)", c.LinkName, expr), true
		}
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if v, ok := matchPath(c.Read.Path, c.Param, loc); ok {
			return v, "the Location header " + loc, true
		}
	}
	if c.Field != "" {
		if v, ok := fieldIn(body, c.Field); ok {
			return v, "the field " + c.Field + " of the answer", true
		}
	}
	return "", "", false
}

// NoIDFound says where a creation's id was looked for.
func NoIDFound(c model.CRUDChain) string {
	var where []string
	if c.Link != nil {
		where = append(where, fmt.Sprintf("its link %s (%s)", c.LinkName, c.Link[c.Param]))
	}
	where = append(where, "a Location header matching "+c.Read.Path)
	if c.Field != "" {
		where = append(where, "the field "+c.Field+" of the body")
	} else {
		where = append(where, fmt.Sprintf("a field of the body named by {%s} (the read's schema has none of %s)", c.Param, strings.Join(model.ParamFields(c.Param), ", ")))
	}
	return fmt.Sprintf("the answer to %s %s gives no id of the record it made: no %s", c.Create.Method, c.Create.Path, strings.Join(where, ", no "))
}

// linkExpr finds the runtime expressions embedded in a link parameter
// ("{$response.body#/id}" in a template).
var linkExpr = regexp.MustCompile(`\{(\$[^}]+)\}`)

// evalLink evaluates an OpenAPI link parameter: a runtime expression
// ($response.body#/ptr, $response.header.Name, $request.path.name,
// $request.body#/ptr), a template embedding some, or a constant.
func evalLink(expr string, pathValues map[string]string, sent any, resp Response, body any) (string, bool) {
	if !strings.HasPrefix(expr, "$") {
		if !strings.Contains(expr, "{$") {
			return expr, true // a constant
		}
		ok := true
		out := linkExpr.ReplaceAllStringFunc(expr, func(m string) string {
			v, good := evalLink(m[1:len(m)-1], pathValues, sent, resp, body)
			ok = ok && good
			return v
		})
		return out, ok
	}
	switch {
	case strings.HasPrefix(expr, "$response.body#"):
		return pointerText(body, strings.TrimPrefix(expr, "$response.body#"))
	case strings.HasPrefix(expr, "$response.body"):
		return scalarText(body)
	case strings.HasPrefix(expr, "$response.header."):
		v := resp.Header.Get(strings.TrimPrefix(expr, "$response.header."))
		return v, v != ""
	case strings.HasPrefix(expr, "$request.path."):
		v, ok := pathValues[strings.TrimPrefix(expr, "$request.path.")]
		return v, ok
	case strings.HasPrefix(expr, "$request.body#"):
		return pointerText(sent, strings.TrimPrefix(expr, "$request.body#"))
	}
	return "", false
}

// pointerText reads an RFC 6901 pointer in a decoded JSON value as text.
func pointerText(v any, ptr string) (string, bool) {
	if ptr != "" {
		for _, seg := range jsonptr.Split(ptr) {
			switch x := v.(type) {
			case map[string]any:
				v = x[seg]
			case []any:
				i, err := strconv.Atoi(seg)
				if err != nil || i < 0 || i >= len(x) {
					return "", false
				}
				v = x[i]
			default:
				return "", false
			}
		}
	}
	return scalarText(v)
}

// scalarText renders a JSON scalar as path text.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case nil, map[string]any, []any:
		return "", false
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return QueryValue(v), true
}

// matchPath reads param from a Location (an absolute URL or a path) by
// the read operation's path template, matched at the end of its path (a
// base path before it is allowed).
func matchPath(template, param, location string) (string, bool) {
	u, err := url.Parse(location)
	if err != nil {
		return "", false
	}
	var names []string
	var re strings.Builder
	re.WriteString(`(?:^|/)`)
	rest := strings.TrimPrefix(template, "/")
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			re.WriteString(regexp.QuoteMeta(rest))
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", false
		}
		re.WriteString(regexp.QuoteMeta(rest[:i]))
		// a value is whole escapes: two parameters side by side never
		// split one (%20 read as %2 and 0)
		re.WriteString(`((?:[^/%]|%[0-9A-Fa-f]{2})+)`)
		names = append(names, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
	re.WriteString(`/?$`)
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return "", false // a template that is no text (invalid UTF-8)
	}
	m := compiled.FindStringSubmatch(u.EscapedPath())
	if m == nil {
		return "", false
	}
	i := slices.Index(names, param)
	if i < 0 {
		return "", false
	}
	v, err := url.PathUnescape(m[i+1])
	return v, err == nil && v != ""
}

// fieldIn reads a record field from an answer: the body's own, or an
// object member's (an envelope such as {"data": {...}}).
func fieldIn(body any, field string) (string, bool) {
	m, ok := body.(map[string]any)
	if !ok {
		return "", false
	}
	if v, ok := scalarText(m[field]); ok {
		return v, true
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if sub, ok := m[k].(map[string]any); ok {
			if v, ok := scalarText(sub[field]); ok {
				return v, true
			}
		}
	}
	return "", false
}

// RecordIn is the record of an answer: the body when it has the field,
// else the object member that has it (an envelope); the body otherwise.
func RecordIn(body any, field string) map[string]any {
	m, _ := body.(map[string]any)
	if m == nil || field == "" {
		return m
	}
	if _, ok := m[field]; ok {
		return m
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if sub, ok := m[k].(map[string]any); ok {
			if _, ok := sub[field]; ok {
				return sub
			}
		}
	}
	return m
}

// CompareSent records a violation for each scalar field the request sent
// (objects walked, arrays left out: a server may order them) that the
// record read back holds with another value; a field the record does not
// hold is not compared (a server need not echo what its schema lets it
// leave out), nor is one the read schema says nothing of (writeOnly
// included). Dates and times compare as instants, numbers as numbers.
func CompareSent(t *T, read model.Operation, sent, got any, step string) {
	schema := read.SuccessSchema()
	if schema == nil || schema.Value == nil {
		return
	}
	var walk func(ptr []string, s, g any, obj model.Object)
	walk = func(ptr []string, s, g any, obj model.Object) {
		sm, ok1 := s.(map[string]any)
		gm, ok2 := g.(map[string]any)
		if !ok1 || !ok2 {
			return
		}
		for _, k := range slices.Sorted(maps.Keys(sm)) {
			p := obj.Property(k)
			gv, held := gm[k]
			if p == nil || p.WriteOnly || !held {
				continue
			}
			at := append(slices.Clone(ptr), k)
			switch sv := sm[k].(type) {
			case map[string]any:
				walk(at, sv, gv, model.ObjectOf(p))
			case []any:
			default:
				if !sameScalar(sv, gv, p.Format) {
					t.Errorf(BodyAt(at...), "%s sent %s %s, the record read back has %s", step, Pointer(at), Canonical(sv), Canonical(gv))
				}
			}
		}
	}
	walk(nil, sent, got, model.ObjectOf(schema.Value))
}

// sameScalar compares a sent scalar with the one read back.
func sameScalar(sent, got any, format string) bool {
	if Canonical(sent) == Canonical(got) {
		return true
	}
	ss, ok1 := sent.(string)
	gs, ok2 := got.(string)
	if ok1 && ok2 && (format == "date-time" || format == "date") {
		a, errA := time.Parse(time.RFC3339Nano, ss)
		b, errB := time.Parse(time.RFC3339Nano, gs)
		if errA == nil && errB == nil {
			return a.Equal(b)
		}
		return strings.HasPrefix(gs, ss) // a date read back as a date-time
	}
	a, okA := number(sent)
	b, okB := number(got)
	return okA && okB && math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a))
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
