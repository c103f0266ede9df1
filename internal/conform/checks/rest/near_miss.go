package rest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// nearMissValues bounds the real values each lookup and filter is probed
// around.
const nearMissValues = 2

// NearMiss is rest-near-miss: each get-by-key operation and each list
// filter is probed, around real values (the configured ids, the values of
// the walked list), with near misses (kit.NearMisses: the case changed, a
// character dropped at either end, one changed, a space before or after,
// one appended), judged by the contract's own matching rule
// (kit.ReadMatchRule, from the parameter's and the operation's
// descriptions): a lookup answers a record only for a value the rule
// matches to it (unstated: identity, a UUID's case aside), a filter
// answers at least the records the rule must match and none it may not
// (unstated: at most the records containing the value, whatever the case
// and surrounding spaces). A value that is a real one is not a near miss.
func (Catalog) NearMiss() kit.Check {
	return kit.Check{
		Name:  "rest-near-miss",
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Class: kit.ClassNearMiss,
		Doc:   "lookups and filters probed with near misses of real values (case, prefix, one character, spaces), judged by the contract's matching rule",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				params := o.PathParams()
				if o.Method != http.MethodGet || len(params) != 1 || o.SuccessStatus() == 0 || isEnum(pathParam(o, params[0])) || recordField(o, params[0]) == "" {
					continue
				}
				rule := kit.ReadMatchRule(o.ParamDescription(params[0]), o.Op.Description)
				title := fmt.Sprintf("GET %s with near misses of real %s values (the contract's rule: %s) finds no other record", o.Path, params[0], rule)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) { nearMissLookup(t, a, o, params[0], rule) }))
			}
			for _, l := range a.Lists() {
				for _, f := range l.Filters {
					if isEnum(queryParam(l.Op, f)) {
						continue
					}
					rule := kit.ReadMatchRule(l.Op.ParamDescription(f))
					title := fmt.Sprintf("GET %s?%s= with near misses of real values (the contract's rule: %s) answers exactly what the rule matches", l.Op.Path, f, rule)
					out = append(out, kit.Single(ch, a, l.Op.ID(), title, func(t *kit.T) { nearMissFilter(t, a, l, f, rule) }))
				}
			}
			return out
		},
	}
}

func pathParam(o model.Operation, name string) *openapi3.Parameter {
	for _, list := range []openapi3.Parameters{o.PathItem.Parameters, o.Op.Parameters} {
		for _, p := range list {
			if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Name == name {
				return p.Value
			}
		}
	}
	return nil
}

func queryParam(o model.Operation, name string) *openapi3.Parameter {
	for _, p := range o.QueryParams() {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// recordField is the field of the operation's success body that its path
// parameter names ("" when the body is not a record holding one: a list,
// or another resource).
func recordField(o model.Operation, param string) string {
	body := o.SuccessSchema()
	if body == nil || body.Value == nil || !body.Value.Type.Is("object") {
		return ""
	}
	for _, c := range model.IDFields(param) {
		if body.Value.Properties[c] != nil {
			return c
		}
	}
	return ""
}

// isEnum reports whether a parameter takes enumerated values: a near
// miss of one is invalid input, the negative checks' business.
func isEnum(p *openapi3.Parameter) bool {
	return p != nil && p.Schema != nil && p.Schema.Value != nil && len(p.Schema.Value.Enum) > 0
}

// knownValues gathers the lookup's real values: the configured ids, then
// the field's values in the list operations whose records have the
// operation's schema. complete is true when a list was walked to its end
// (every real value is then known).
func knownValues(t *kit.T, a *kit.API, o model.Operation, param string) (field string, values []string, complete bool) {
	values = append(values, a.IDs(param)...)
	body := o.SuccessSchema()
	for _, l := range a.Lists() {
		if body == nil || l.Item.Ref == "" || l.Item.Ref != body.Ref {
			continue
		}
		for _, c := range model.IDFields(param) {
			if l.Item.Value.Properties[c] != nil {
				field = c
				break
			}
		}
		if field == "" {
			continue
		}
		max := t.Env().Config.MaxRecords
		_, recs := kit.WalkList(t, l, l.BigSize(), max, nil, false)
		complete = len(recs) < max
		for _, r := range recs {
			if s, ok := r.Rec[field].(string); ok && !slices.Contains(values, s) {
				values = append(values, s)
			}
		}
		break
	}
	if field == "" {
		field = recordField(o, param)
	}
	t.DropExchanges()
	return field, values, complete
}

func nearMissLookup(t *kit.T, a *kit.API, o model.Operation, param string, rule kit.MatchRule) {
	field, known, complete := knownValues(t, a, o, param)
	if len(known) == 0 {
		t.Skip("no real %s to derive near misses from: set ids.%s in conform.yaml", param, param)
	}
	isKnown := map[string]bool{}
	for _, v := range known {
		isKnown[v] = true
	}
	for _, v := range known[:min(nearMissValues, len(known))] {
		for _, nm := range kit.NearMisses(v) {
			// Without every real value known, only near misses no other
			// record can hold: the case and spaces.
			if isKnown[nm.Value] || (!complete && !nm.CaseOnly(v) && nm.Value != v+" " && nm.Value != " "+v) {
				continue
			}
			path := kit.Target(o, map[string]string{param: nm.Value})
			n := t.ViolationCount()
			resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: kit.OpCredentials(t, o)})
			switch {
			case resp.Status >= 500:
				t.Errorf(kit.Status(), "%s %q (%s %s): HTTP %d, a server error for a value that names no record", param, nm.Value, v, nm.How, resp.Status)
			case resp.Status >= 200 && resp.Status < 300:
				body, _ := kit.DecodeJSON(resp.Body)
				got, _ := kit.At(body, field).(string)
				if !kit.MayMatch(rule, true, got, nm.Value) {
					t.Errorf(kit.Body("/"+field), "%s %q (%s %s) answered the record whose %s is %q: the contract's rule is %s, so a near miss must not find it", param, nm.Value, v, nm.How, field, got, rule)
				}
			case kit.MustMatch(rule, v, nm.Value):
				t.Errorf(kit.Status(), "%s %q (%s %s): HTTP %d, but the contract's rule (%s) matches it to the record whose %s is %q", param, nm.Value, v, nm.How, resp.Status, rule, field, v)
			}
			if t.ViolationCount() == n {
				t.DropLastExchange()
			}
		}
	}
}

func nearMissFilter(t *kit.T, a *kit.API, l model.List, f string, rule kit.MatchRule) {
	max := t.Env().Config.MaxRecords
	_, all := kit.WalkList(t, l, l.BigSize(), max, nil, false)
	if len(all) >= max {
		t.Skip("the list has %d records or more (--max-records): what a filter must answer is unknown", max)
	}
	var values []string
	for _, v := range kit.DistinctValues(all, f, nearMissValues) {
		if s, ok := v.(string); ok {
			values = append(values, s)
		}
	}
	if len(values) == 0 {
		t.Skip("no record of %s has a %s to derive near misses from", l.Op.Path, f)
	}
	isKnown := map[string]bool{}
	for _, r := range all {
		if s, ok := r.Rec[f].(string); ok {
			isKnown[s] = true
		}
	}
	t.DropExchanges()
	for _, v := range values {
		for _, nm := range kit.NearMisses(v) {
			if isKnown[nm.Value] {
				continue
			}
			n := t.ViolationCount()
			_, got := kit.WalkList(t, l, l.BigSize(), max, url.Values{f: {nm.Value}}, false)
			answered := map[string]bool{}
			for _, r := range got {
				k := kit.KeyOf(r.Rec, l.Key)
				answered[k] = true
				rv, _ := r.Rec[f].(string)
				if !kit.MayMatch(rule, false, rv, nm.Value) {
					t.Errorf(kit.Body(""), "filter %s=%q (%s %s) answered %s %s, whose %s is %q: the contract's rule is %s, so the near miss must not match it", f, nm.Value, v, nm.How, l.Key, k, f, rv, rule)
					break
				}
			}
			for _, r := range all {
				rv, _ := r.Rec[f].(string)
				if k := kit.KeyOf(r.Rec, l.Key); kit.MustMatch(rule, rv, nm.Value) && !answered[k] {
					t.Errorf(kit.Body(""), "filter %s=%q (%s %s) left out %s %s, whose %s %q the contract's rule (%s) matches", f, nm.Value, v, nm.How, l.Key, k, f, rv, rule)
					break
				}
			}
			if t.ViolationCount() == n {
				t.DropExchanges()
			}
		}
	}
}
