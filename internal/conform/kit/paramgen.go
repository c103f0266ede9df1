package kit

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/model"
)

// The property generators of REST requests (rest-property-params): valid
// values of path and query parameters drawn from the contract and from
// the target's own answers.

// intSpan bounds the integers drawn for a parameter without a maximum.
const intSpan = 20

// DrawPathValues draws each path parameter from its configured ids (the
// given value when there is at most one).
func DrawPathValues(rt *rapid.T, a *API, o model.Operation, given map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range o.PathParams() {
		out[p] = given[p]
		if ids := a.IDs(p); len(ids) > 1 {
			out[p] = rapid.SampledFrom(ids).Draw(rt, p)
		}
	}
	return out
}

// StringPools collects candidate values of the string parameters: their
// example and default, and the values of fields of the same name in the
// operation's unfiltered answer (so a filter sometimes matches).
func StringPools(t *T, a *API, o model.Operation, values map[string]string, params []*openapi3.Parameter) map[string][]string {
	pools := map[string][]string{}
	var body any
	fetched := false
	for _, p := range params {
		s := p.Schema.Value
		if s.Type.Is("array") && s.Items != nil && s.Items.Value != nil {
			s = s.Items.Value // an array of strings: a pool for its items
		}
		if !s.Type.Is("string") || len(s.Enum) > 0 {
			continue
		}
		var pool []string
		for _, v := range []any{p.Example, s.Example, s.Default} {
			if x, ok := v.(string); ok && x != "" {
				pool = append(pool, x)
			}
		}
		if !fetched {
			fetched = true
			creds, _ := a.CredentialsFor(o)
			resp := t.Do(Request{Method: o.Method, Path: Target(o, values), Credentials: creds})
			if resp.Status == o.SuccessStatus() {
				body, _ = DecodeJSON(resp.Body)
			}
		}
		pool = append(pool, fieldValues(body, p.Name, 20)...)
		pool = append(pool, "standin-conform-no-match")
		// only values the schema takes: a date-time parameter gets no
		// "standin-conform-no-match" (Train Travel's /trips?date=)
		pool = slices.DeleteFunc(pool, func(v string) bool { return validate(s, v) != nil })
		pools[p.Name] = pool
	}
	return pools
}

// fieldValues collects up to n string values of keys named name.
func fieldValues(v any, name string, n int) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		if len(out) >= n {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x[name].(string); ok && s != "" {
				out = append(out, s)
			}
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// DrawParam draws a valid value of a query parameter, or none (an
// optional parameter left out, or a type the suite does not generate).
// An array is drawn as its serialized value (DrawQuery sends an exploded
// one as repeated parameters).
func DrawParam(rt *rapid.T, p *openapi3.Parameter, pool []string) (string, bool) {
	q := url.Values{}
	if !DrawQuery(rt, p, pool, q) {
		return "", false
	}
	return strings.Join(q[p.Name], ","), true
}

// DrawQuery draws a valid value of a query parameter into q, or none
// (false: an optional parameter left out, or a type the suite does not
// generate): an enum member, an integer or number within its bounds
// (exclusive ones honoured), a boolean, a string from the pool (or of the
// schema's format or pattern), an array of such items within minItems
// and maxItems, serialized as its style says (form exploded: repeated,
// form: comma-separated, spaceDelimited, pipeDelimited).
func DrawQuery(rt *rapid.T, p *openapi3.Parameter, pool []string, q url.Values) bool {
	s := p.Schema.Value
	if !p.Required && !rapid.Bool().Draw(rt, p.Name+" present") {
		return false
	}
	if s.Type.Is("array") && s.Items != nil && s.Items.Value != nil {
		lo, hi := int(s.MinItems), 3
		if p.Required && lo == 0 {
			lo = 1 // an empty array has no form in a query: a required one has items
		}
		if s.MaxItems != nil && int(*s.MaxItems) < hi {
			hi = int(*s.MaxItems)
		}
		if hi < lo {
			hi = lo
		}
		n := rapid.IntRange(lo, hi).Draw(rt, p.Name+" items")
		var items []string
		for i := range n {
			v, ok := drawScalar(rt, fmt.Sprintf("%s[%d]", p.Name, i), s.Items.Value, pool)
			if !ok {
				return false
			}
			if s.UniqueItems && slices.Contains(items, v) {
				continue
			}
			items = append(items, v)
		}
		if len(items) < lo {
			return false
		}
		switch {
		case len(items) == 0:
			return false // an empty array has no form in a query
		case p.Style == openapi3.SerializationSpaceDelimited:
			q.Set(p.Name, strings.Join(items, " "))
		case p.Style == openapi3.SerializationPipeDelimited:
			q.Set(p.Name, strings.Join(items, "|"))
		case p.Explode != nil && !*p.Explode:
			q.Set(p.Name, strings.Join(items, ","))
		default: // style form, explode true: the default of a query parameter
			q[p.Name] = items
		}
		return true
	}
	v, ok := drawScalar(rt, p.Name, s, pool)
	if ok {
		q.Set(p.Name, v)
	}
	return ok
}

// drawScalar draws a valid scalar of schema s as query text.
func drawScalar(rt *rapid.T, label string, s *openapi3.Schema, pool []string) (string, bool) {
	switch {
	case len(s.Enum) > 0:
		return fmt.Sprint(rapid.SampledFrom(s.Enum).Draw(rt, label)), true
	case s.Type.Is("integer"):
		lo, hi := int64(0), int64(-1)
		if s.Min != nil {
			lo = int64(math.Ceil(*s.Min))
			if s.ExclusiveMin.IsTrue() {
				lo++
			}
		}
		if v := s.ExclusiveMin.Value; v != nil {
			lo = int64(math.Floor(*v)) + 1
		}
		if s.Max != nil {
			hi = int64(math.Floor(*s.Max))
			if s.ExclusiveMax.IsTrue() {
				hi--
			}
		}
		if v := s.ExclusiveMax.Value; v != nil {
			hi = int64(math.Ceil(*v)) - 1
		}
		if hi < lo {
			hi = lo + intSpan
		}
		return strconv.FormatInt(rapid.Int64Range(lo, hi).Draw(rt, label), 10), true
	case s.Type.Is("number"):
		lo, hi := bounds(s)
		if math.IsInf(lo, -1) {
			lo = 0
		}
		if math.IsInf(hi, 1) || hi < lo {
			hi = lo + intSpan
		}
		return strconv.FormatFloat(rapid.Float64Range(lo, hi).Draw(rt, label), 'f', -1, 64), true
	case s.Type.Is("boolean"):
		return strconv.FormatBool(rapid.Bool().Draw(rt, label)), true
	case s.Type.Is("string") && len(pool) > 0:
		return rapid.SampledFrom(pool).Draw(rt, label), true
	case s.Type.Is("string") && (s.Format != "" || s.Pattern != ""):
		return generator{variant: rapid.IntRange(0, 9).Draw(rt, label)}.str(s), true
	}
	return "", false
}

// QueryValues renders drawn parameters in a stable order ("" for none).
func QueryValues(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// QueryString renders parameters in a stable order.
func QueryString(params map[string]string) string {
	if len(params) == 0 {
		return ""
	}
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	return "?" + v.Encode()
}
