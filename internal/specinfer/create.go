package specinfer

// Create: what a create assigns (the key, defaults, server time stamps);
// the rest of a record its body lacks is filled (manifest Operation.Fill).

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	contractapi "github.com/standin/standin/internal/contract/openapi"
)

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
	if p := properties(c.schema)[c.key]; p != nil && p.Value != nil {
		s := keySchema(p.Value, c.keyParam)
		switch {
		case s.Type.Is("integer") || s.Type.Includes("integer") || s.Type.Is("number"):
			out[c.key] = "{{seq}}"
			if s.Max != nil {
				lo := 1.0
				if s.Min != nil {
					lo = *s.Min
				}
				out[c.key] = fmt.Sprintf("{{seq %s %s}}", strconv.FormatFloat(lo, 'f', -1, 64), strconv.FormatFloat(*s.Max, 'f', -1, 64))
			}
		case s.Format == "date-time":
			out[c.key] = "{{now}}"
		case s.Format == "uuid" || s.Pattern == "" && s.MaxLength == nil && conventions.IDLike(c.key):
			out[c.key] = "{{uuid}}"
		}
		// any other string key: the collection's key rule (Fill), so it
		// matches the path parameter's pattern and length
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
