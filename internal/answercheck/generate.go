package answercheck

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/regexgen"
)

// genOptions steer the values made for requests.
type genOptions struct {
	optional bool // fill optional properties too
	variant  int  // varies the values
	name     string
	base     string // the file the schema is in
}

// Generate makes a value for a schema of the document (as written), for
// requests: readOnly properties left out; optional properties filled when
// optional is true; variant varies strings and numbers.
func (d *Document) Generate(schema any, optional bool, variant int) any {
	return d.gen(schema, genOptions{optional: optional, variant: variant, base: d.file}, 0)
}

func (d *Document) gen(v any, o genOptions, depth int) any {
	if o.base == "" {
		o.base = d.file
	}
	sv, base := d.follow(o.base, v)
	o.base = base
	s, _ := sv.(map[string]any)
	if s == nil {
		return map[string]any{}
	}
	if depth > 6 {
		if s["nullable"] == true || typeHas(s, "null") {
			return nil
		}
	}
	if c, ok := s["const"]; ok {
		return c
	}
	if e := asList(s["enum"]); len(e) > 0 {
		for i := range e {
			if x := e[(i+o.variant)%len(e)]; x != nil {
				return x
			}
		}
		return e[0]
	}
	if ex, ok := s["example"]; ok && o.variant == 0 && ex != nil {
		return ex
	}
	if all := asList(s["allOf"]); len(all) > 0 {
		merged := map[string]any{}
		var other any
		for _, part := range all {
			x := d.gen(part, o, depth+1)
			if m, ok := x.(map[string]any); ok {
				for k, e := range m {
					merged[k] = e
				}
			} else if other == nil {
				other = x
			}
		}
		if _, ok := s["properties"]; ok {
			for k, e := range d.object(s, o, depth) {
				if _, set := merged[k]; !set {
					merged[k] = e
				}
			}
		}
		if len(merged) > 0 || other == nil {
			return merged
		}
		return other
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts := asList(s[k]); len(alts) > 0 {
			x := d.gen(alts[o.variant%len(alts)], o, depth+1)
			if disc, ok := s["discriminator"].(map[string]any); ok {
				if m, ok := x.(map[string]any); ok {
					if pn, ok := disc["propertyName"].(string); ok {
						ref := refOf(alts[o.variant%len(alts)])
						name := ref[strings.LastIndex(ref, "/")+1:]
						m[pn] = name
						if mp, ok := disc["mapping"].(map[string]any); ok {
							for val, r := range mp {
								if r == ref || r == name {
									m[pn] = val
								}
							}
						}
					}
				}
			}
			return x
		}
	}
	typ := mainType(s)
	switch typ {
	case "object":
		return d.object(s, o, depth)
	case "array":
		n := 1
		if mi, ok := num(s["minItems"]); ok && int(mi) > n {
			n = int(mi)
		}
		if ma, ok := num(s["maxItems"]); ok && int(ma) < n {
			n = int(ma)
		}
		out := make([]any, n)
		for i := range out {
			io := o
			io.variant = o.variant + i
			out[i] = d.gen(s["items"], io, depth+1)
		}
		return out
	case "integer", "number":
		if idLike(o.name) {
			// a new record's id: one no generated record has
			return genNumber(s, 900000+o.variant, typ == "integer")
		}
		return genNumber(s, o.variant, typ == "integer")
	case "boolean":
		return o.variant%2 == 0
	case "string":
		return genString(s, o)
	case "null":
		return nil
	}
	return map[string]any{}
}

func (d *Document) object(s map[string]any, o genOptions, depth int) map[string]any {
	out := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	req := map[string]bool{}
	for _, r := range asList(s["required"]) {
		if n, ok := r.(string); ok {
			req[n] = true
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		pv, _ := d.follow(o.base, props[n])
		p, _ := pv.(map[string]any)
		if p == nil || p["readOnly"] == true {
			continue
		}
		if !req[n] && (!o.optional || depth > 3) {
			continue
		}
		po := o
		po.name = n
		out[n] = d.gen(props[n], po, depth+1)
	}
	return out
}

// idLike reports whether a field name reads as an identifier.
func idLike(name string) bool {
	n := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	return n == "id" || strings.HasSuffix(n, "id") && len(n) > 2 && !strings.HasSuffix(n, "valid") || n == "uuid"
}

// typeHas reports whether a schema's type is or includes t.
func typeHas(s map[string]any, t string) bool {
	switch x := s["type"].(type) {
	case string:
		return x == t
	case []any:
		return containsValue(x, t)
	}
	return false
}

// mainType is a schema's first type other than null, or the one its
// keywords imply.
func mainType(s map[string]any) string {
	switch x := s["type"].(type) {
	case string:
		return x
	case []any:
		for _, t := range x {
			if t != "null" {
				ts, _ := t.(string)
				return ts
			}
		}
		return "null"
	}
	switch {
	case s["properties"] != nil || s["additionalProperties"] != nil:
		return "object"
	case s["items"] != nil:
		return "array"
	}
	return ""
}

// num reads a JSON number.
func num(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func genNumber(s map[string]any, variant int, integer bool) any {
	lo, hi := math.Inf(-1), math.Inf(1)
	if m, ok := num(s["minimum"]); ok {
		lo = m
		if s["exclusiveMinimum"] == true {
			lo += 1
		}
	}
	if m, ok := num(s["exclusiveMinimum"]); ok {
		lo = m + 1
	}
	if m, ok := num(s["maximum"]); ok {
		hi = m
		if s["exclusiveMaximum"] == true {
			hi -= 1
		}
	}
	if m, ok := num(s["exclusiveMaximum"]); ok {
		hi = m - 1
	}
	v := float64(1 + variant)
	if v < lo {
		v = lo
	}
	if v > hi {
		v = hi
	}
	if mo, ok := num(s["multipleOf"]); ok && mo > 0 {
		v = math.Ceil(v/mo) * mo
	}
	if integer {
		return int64(math.Ceil(v))
	}
	return v
}

func genString(s map[string]any, o genOptions) string {
	format, _ := s["format"].(string)
	v := "standin-" + strconv.Itoa(o.variant)
	switch format {
	case "date-time":
		v = "2024-05-0" + strconv.Itoa(1+o.variant%9) + "T10:00:00Z"
	case "date":
		v = "2024-05-0" + strconv.Itoa(1+o.variant%9)
	case "time":
		v = "10:00:00"
	case "email":
		v = fmt.Sprintf("user%d@example.com", o.variant)
	case "uri", "url", "uri-reference", "iri":
		v = fmt.Sprintf("https://example.com/%d", o.variant)
	case "uuid":
		v = fmt.Sprintf("5eed0000-0000-4000-8000-%012d", o.variant)
	case "ipv4":
		v = "192.0.2.1"
	case "ipv6":
		v = "2001:db8::1"
	case "hostname":
		v = "example.com"
	case "byte":
		v = "c3RhbmRpbg=="
	}
	if p, ok := s["pattern"].(string); ok {
		if x, ok := regexgen.Shortest(p); ok {
			v = x
		}
	}
	if mi, ok := num(s["minLength"]); ok && len([]rune(v)) < int(mi) {
		v += strings.Repeat("x", int(mi)-len([]rune(v)))
	}
	if ma, ok := num(s["maxLength"]); ok && len([]rune(v)) > int(ma) {
		v = string([]rune(v)[:int(ma)])
	}
	return v
}
