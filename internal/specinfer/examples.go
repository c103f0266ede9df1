package specinfer

// Examples: the records the spec gives as examples, kept as fixtures
// when they match the record schema.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/specs"
)

// exampleRecords gathers the records the spec gives as examples: the list
// answer's, the item answer's and the record schema's own, each valid
// against the record schema and with a key, first of a key kept.
func exampleRecords(doc *openapi3.T, c *collection, warn warnFunc) []map[string]any {
	var cands []any
	pi := doc.Paths.Value(c.base)
	ii := doc.Paths.Value(c.item)
	media := func(o *openapi3.Operation, st string) *openapi3.MediaType {
		if o == nil || o.Responses == nil {
			return nil
		}
		r := o.Responses.Value(st)
		if r == nil || r.Value == nil {
			return nil
		}
		return contractapi.JSONMedia(r.Value.Content)
	}
	examplesOf := func(mt *openapi3.MediaType) []any {
		if mt == nil {
			return nil
		}
		var out []any
		if mt.Example != nil {
			out = append(out, mt.Example)
		}
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				out = append(out, ex.Value.Value)
			}
		}
		return out
	}
	_, way := listItems(jsonSchema(pi.Get, "200"))
	for _, ex := range examplesOf(media(pi.Get, "200")) {
		for _, prop := range way {
			if m, ok := ex.(map[string]any); ok {
				ex = m[prop]
			}
		}
		if list, ok := ex.([]any); ok {
			cands = append(cands, list...)
		}
	}
	for _, ex := range examplesOf(media(ii.Get, "200")) {
		if m, ok := ex.(map[string]any); ok && c.wrap != "" {
			ex = m[c.wrap] // the record inside its wrapper ({"data": Record})
		}
		cands = append(cands, ex)
	}
	if c.schema.Example != nil {
		cands = append(cands, c.schema.Example)
	}
	cands = append(cands, c.schema.Examples...)
	if len(cands) == 0 {
		if rec := propertyExample(c.schema); rec != nil {
			cands = append(cands, rec)
		}
	}
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	if doc.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	var out []map[string]any
	seen := map[string]bool{}
	for _, cand := range cands {
		m, ok := normalize(cand).(map[string]any)
		if !ok {
			continue
		}
		if _, has := m[c.key]; !has {
			m[c.key] = exampleKey(c, len(out)+1)
		}
		k, ok := keyString(m[c.key])
		if !ok || seen[k] {
			continue
		}
		if err := c.schema.VisitJSON(m, opts...); err != nil {
			warn(CodeExample, "collection %s: an example record (key %s) does not match the record schema and is left out: %v", c.name, k, oneLine(err))
			continue
		}
		seen[k] = true
		out = append(out, m)
	}
	return out
}

// propertyExample is a record made of the properties' own examples (else
// their default, const or first enum value); nil when a required property
// has none of them or no property has an example.
func propertyExample(s *openapi3.Schema) map[string]any {
	rec := map[string]any{}
	examples := 0
	for name, p := range properties(s) {
		if p == nil || p.Value == nil || p.Value.WriteOnly {
			continue
		}
		v := p.Value
		switch {
		case v.Example != nil:
			rec[name] = v.Example
			examples++
		case len(v.Examples) > 0:
			rec[name] = v.Examples[0]
			examples++
		case v.Default != nil:
			rec[name] = v.Default
		case v.Const != nil:
			rec[name] = v.Const
		case len(v.Enum) > 0:
			rec[name] = v.Enum[0]
		}
	}
	for _, r := range s.Required {
		if _, ok := rec[r]; !ok {
			return nil
		}
	}
	if examples == 0 {
		return nil
	}
	return rec
}

// exampleKey is the key of the n-th example record that has none: n for
// number keys, else a UUID derived from the collection and n (stable
// across runs).
func exampleKey(c *collection, n int) any {
	if p := c.schema.Properties[c.key]; p != nil && p.Value != nil && (p.Value.Type.Is("integer") || p.Value.Type.Includes("integer") || p.Value.Type.Is("number")) {
		return float64(n)
	}
	h := sha256.Sum256([]byte(c.name + "\x00" + strconv.Itoa(n)))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// normalize makes a YAML- or JSON-decoded example JSON-shaped (numbers
// float64), as records decoded from fixture files are.
func normalize(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return out
}

func keyString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// oneLine is a validation error in a warning: its violations on one line
// (the contract layer's flattener, never kin-openapi's Error, which writes
// out the whole schema), at most 200 characters.
func oneLine(err error) string {
	s := strings.Join(strings.Fields(strings.Join(contractapi.Reasons(err, contractapi.FlattenOptions{}), "; ")), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
