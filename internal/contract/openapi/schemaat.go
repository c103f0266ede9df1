package openapi

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
)

// SchemaAt is the schema a manifest's collection names: a component
// schema by its name, or any schema of the document by a JSON pointer
// ("#/paths/~1pets/get/responses/200/content/application~1json/schema/items",
// an inline record schema). References on the way are followed. It is nil
// when nothing is there.
func SchemaAt(doc *openapi3.T, name string) *openapi3.SchemaRef {
	if doc == nil || name == "" {
		return nil
	}
	if !strings.HasPrefix(name, "#/") {
		if doc.Components == nil {
			return nil
		}
		return doc.Components.Schemas[name]
	}
	toks := jsonptr.Split(strings.TrimPrefix(name, "#"))
	take := func() (string, bool) {
		if len(toks) == 0 {
			return "", false
		}
		t := toks[0]
		toks = toks[1:]
		return t, true
	}
	var ref *openapi3.SchemaRef
	switch t, _ := take(); t {
	case "components":
		if s, _ := take(); s != "schemas" || doc.Components == nil {
			return nil
		}
		n, _ := take()
		ref = doc.Components.Schemas[n]
	case "paths":
		p, _ := take()
		if doc.Paths == nil || doc.Paths.Value(p) == nil {
			return nil
		}
		m, _ := take()
		o := doc.Paths.Value(p).GetOperation(strings.ToUpper(m))
		if o == nil {
			return nil
		}
		var content openapi3.Content
		switch k, _ := take(); k {
		case "responses":
			st, _ := take()
			if o.Responses == nil || o.Responses.Value(st) == nil || o.Responses.Value(st).Value == nil {
				return nil
			}
			content = o.Responses.Value(st).Value.Content
		case "requestBody":
			if o.RequestBody == nil || o.RequestBody.Value == nil {
				return nil
			}
			content = o.RequestBody.Value.Content
		default:
			return nil
		}
		if k, _ := take(); k != "content" {
			return nil
		}
		mt, _ := take()
		if content[mt] == nil {
			return nil
		}
		if k, _ := take(); k != "schema" {
			return nil
		}
		ref = content[mt].Schema
	default:
		return nil
	}
	for len(toks) > 0 && ref != nil && ref.Value != nil {
		s := ref.Value
		k, _ := take()
		switch k {
		case "properties":
			n, _ := take()
			ref = s.Properties[n]
		case "items":
			ref = s.Items
		case "additionalProperties":
			ref = s.AdditionalProperties.Schema
		case "allOf", "oneOf", "anyOf":
			i, err := strconv.Atoi(toks0(&toks))
			list := map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf}[k]
			if err != nil || i < 0 || i >= len(list) {
				return nil
			}
			ref = list[i]
		default:
			return nil
		}
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	return ref
}

// RecordSchemaAt is SchemaAt read as the schema of a collection's
// records, the one they are made, written and checked against: Servable.
// A record schema whose closed objects refuse what their own allOf parts
// declare (ShipEngine's link: additionalProperties false, href required
// and declared by its part alone) admits no record as written; relaxed, it
// admits the records its author meant.
func RecordSchemaAt(doc *openapi3.T, name string) *openapi3.SchemaRef {
	return Servable(SchemaAt(doc, name))
}

func toks0(toks *[]string) string {
	if len(*toks) == 0 {
		return ""
	}
	t := (*toks)[0]
	*toks = (*toks)[1:]
	return t
}

// SchemaPointer is the JSON pointer of a schema of a response: the
// operation at path and method, the status and media type given, then
// the way down (Token'ed already, "items" or "properties/NAME/items").
func SchemaPointer(path, method, status, mediaType string, below ...string) string {
	p := "#/paths/" + jsonptr.Token(path) + "/" + strings.ToLower(method) + "/responses/" + jsonptr.Token(status) + "/content/" + jsonptr.Token(mediaType) + "/schema"
	for _, b := range below {
		p += "/" + b
	}
	return p
}
