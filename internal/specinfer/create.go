package specinfer

// Create: what a create assigns (the key, defaults, server time stamps)
// and what its request body lacks.

import (
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// createGaps warns about required record fields a create's body schema
// does not have and no assign fills: such creates are refused (400).
func createGaps(c *collection, create *openapi3.Operation, warn warnFunc) {
	if create.RequestBody == nil || create.RequestBody.Value == nil {
		return
	}
	mt := contractapi.JSONMedia(create.RequestBody.Value.Content)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return
	}
	body := properties(mt.Schema.Value)
	assigned := assignFor(c, create)
	var gaps []string
	for _, r := range c.schema.Required {
		if _, ok := body[r]; !ok {
			if _, ok := assigned[r]; !ok {
				gaps = append(gaps, r)
			}
		}
	}
	if len(gaps) > 0 {
		sort.Strings(gaps)
		warn(CodeCreate, "POST %s: the request body schema lacks the record's required fields %s; a create is refused (400) unless the body carries them", c.base, strings.Join(gaps, ", "))
	}
}

// assignFor gives a create the key (when the body leaves it out) and the
// required fields with a default the spec declares.
func assignFor(c *collection, create *openapi3.Operation) map[string]any {
	out := map[string]any{}
	if create != nil && create.RequestBody != nil && create.RequestBody.Value != nil {
		if mt := contractapi.JSONMedia(create.RequestBody.Value.Content); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			for name, p := range properties(mt.Schema.Value) {
				if p != nil && p.Value != nil && p.Value.Default != nil && c.schema.Properties[name] != nil {
					out[name] = normalize(p.Value.Default)
				}
			}
		}
	}
	if p := c.schema.Properties[c.key]; p != nil && p.Value != nil {
		s := p.Value
		switch {
		case s.Type.Is("integer") || s.Type.Includes("integer") || s.Type.Is("number"):
			out[c.key] = "{{seq}}"
		case s.Format == "date-time":
			out[c.key] = "{{now}}"
		default:
			out[c.key] = "{{uuid}}"
		}
	}
	for r, p := range c.schema.Properties {
		if _, done := out[r]; done || r == c.key || p == nil || p.Value == nil {
			continue
		}
		required := slices.Contains(c.schema.Required, r)
		switch {
		case required && p.Value.Default != nil:
			out[r] = normalize(p.Value.Default)
		case p.Value.Format == "date-time" && (p.Value.ReadOnly || required && isTimestamp(r)):
			// the server's clock stamps what the client may not send
			out[r] = "{{now}}"
		}
	}
	return out
}

func isTimestamp(field string) bool {
	f := strings.ToLower(field)
	return strings.HasPrefix(f, "created") || strings.HasPrefix(f, "updated") || strings.HasSuffix(f, "_at") || strings.HasSuffix(f, "at") && strings.Contains(f, "ed")
}
