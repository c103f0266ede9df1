package conform

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// intSpan bounds the integers drawn for a parameter without a maximum.
const intSpan = 20

// RESTPropertyParams: for every GET operation with query parameters or
// with several known ids for a path parameter, random valid combinations
// (path parameters drawn from the configured ids; each query parameter
// present or not; integers within the documented range, enum members,
// booleans, strings from the examples and from the records the operation
// returns) answer the documented success with a body valid against the
// schema. A failure is
// shrunk to the fewest, smallest parameters and printed as a curl line.
var RESTPropertyParams = &Check{
	Name:  "rest-property-params",
	Proto: "rest",
	Doc:   "random valid query parameter combinations answer the documented success; failures shrunk to one curl line",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			params := queryParams(o)
			manyIDs := false
			for _, p := range o.pathParams() {
				manyIDs = manyIDs || len(a.IDs(p)) > 1
			}
			if o.Method != http.MethodGet || (len(params) == 0 && !manyIDs) || o.successStatus() == 0 {
				continue
			}
			title := fmt.Sprintf("%s %s with random valid parameters (--examples %d) answers %d with a valid body", o.Method, o.Path, e.Config.Examples, o.successStatus())
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				values := roleValues(t, o, nil)
				pools := stringPools(t, a, o, values, params)
				t.exchanges = nil
				runProperty(t, func(rt *rapid.T, st *T) string {
					values := drawPathValues(rt, a, o, values)
					q := map[string]string{}
					for _, p := range params {
						if v, ok := drawParam(rt, p, pools[p.Name]); ok {
							q[p.Name] = v
						}
					}
					resp := st.Do(Request{Method: o.Method, Path: o.fill(values) + queryString(q), Token: a.Conf.Token})
					if expectStatus(st, resp, o.successStatus()) {
						checkContentType(st, o, resp)
						validateResponse(st, o, values, resp)
					}
					return fmt.Sprintf("%s with %d query parameters", o.fill(values), len(q))
				})
			}))
		}
		return out
	},
}

// drawPathValues draws each path parameter from its configured ids (the
// given value when there is at most one).
func drawPathValues(rt *rapid.T, a *API, o restOp, given map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range o.pathParams() {
		out[p] = given[p]
		if ids := a.IDs(p); len(ids) > 1 {
			out[p] = rapid.SampledFrom(ids).Draw(rt, p)
		}
	}
	return out
}

// queryParams lists the operation's query parameters (path item and
// operation level), sorted by name.
func queryParams(o restOp) []*openapi3.Parameter {
	seen := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.PathItem.Parameters, o.Op.Parameters} {
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery && ref.Value.Schema != nil && ref.Value.Schema.Value != nil {
				seen[ref.Value.Name] = ref.Value
			}
		}
	}
	out := make([]*openapi3.Parameter, 0, len(seen))
	for _, p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// stringPools collects candidate values of the string parameters: their
// example and default, and the values of fields of the same name in the
// operation's unfiltered answer (so a filter sometimes matches).
func stringPools(t *T, a *API, o restOp, values map[string]string, params []*openapi3.Parameter) map[string][]string {
	pools := map[string][]string{}
	var body any
	fetched := false
	for _, p := range params {
		s := p.Schema.Value
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
			resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: a.Conf.Token})
			if resp.Status == o.successStatus() {
				body, _ = decodeJSON(resp.Body)
			}
		}
		pool = append(pool, fieldValues(body, p.Name, 20)...)
		pool = append(pool, "standin-conform-no-match")
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
			for _, k := range sortedKeys(x) {
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

// drawParam draws a valid value of a query parameter, or none (an
// optional parameter left out, or a type the suite does not generate).
func drawParam(rt *rapid.T, p *openapi3.Parameter, pool []string) (string, bool) {
	s := p.Schema.Value
	if !p.Required && !rapid.Bool().Draw(rt, p.Name+" present") {
		return "", false
	}
	switch {
	case len(s.Enum) > 0:
		return fmt.Sprint(rapid.SampledFrom(s.Enum).Draw(rt, p.Name)), true
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
		return strconv.FormatInt(rapid.Int64Range(lo, hi).Draw(rt, p.Name), 10), true
	case s.Type.Is("boolean"):
		return strconv.FormatBool(rapid.Bool().Draw(rt, p.Name)), true
	case s.Type.Is("string") && len(pool) > 0:
		return rapid.SampledFrom(pool).Draw(rt, p.Name), true
	}
	return "", false
}
