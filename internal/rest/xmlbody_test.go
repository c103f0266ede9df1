package rest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const xmlDoc = `openapi: 3.0.3
info: {title: x, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      xml: {name: pet, namespace: "https://example.com/pets", prefix: p}
      properties:
        id: {type: integer, xml: {attribute: true}}
        name: {type: string}
        vaccinated: {type: boolean}
        weight: {type: number}
        photoUrls:
          type: array
          xml: {wrapped: true}
          items: {type: string, xml: {name: photoUrl}}
        tags:
          type: array
          items: {$ref: "#/components/schemas/Tag"}
        category: {$ref: "#/components/schemas/Category"}
    Tag:
      type: object
      xml: {name: tag}
      properties:
        name: {type: string}
    Category:
      type: object
      properties:
        name: {type: string}
    Pets:
      type: array
      items: {$ref: "#/components/schemas/Pet"}
`

func loadXMLDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(xmlDoc))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestXMLBodies: a record written as XML by its schema's hints (a name, a
// namespace with its prefix, an attribute, a wrapped and an unwrapped
// array, a nested object) and read back is the same record; a list at the
// root is wrapped; texts convert to their types.
func TestXMLBodies(t *testing.T) {
	doc := loadXMLDoc(t)
	pet := doc.Components.Schemas["Pet"]
	rec := map[string]any{"id": float64(7), "name": "Rex <the> dog", "vaccinated": true, "weight": 12.5,
		"photoUrls": []any{"https://e.com/1.png", "https://e.com/2.png"},
		"tags":      []any{map[string]any{"name": "good"}, map[string]any{"name": "old"}},
		"category":  map[string]any{"name": "dogs"}}
	out, err := encodeXML(rec, pet)
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<p:pet xmlns:p="https://example.com/pets" id="7"><category><name>dogs</name></category><name>Rex &lt;the&gt; dog</name>` +
		`<photoUrls><photoUrl>https://e.com/1.png</photoUrl><photoUrl>https://e.com/2.png</photoUrl></photoUrls>` +
		`<tag><name>good</name></tag><tag><name>old</name></tag><vaccinated>true</vaccinated><weight>12.5</weight></p:pet>`
	if string(out) != want {
		t.Errorf("encoded\n%s\nwant\n%s", out, want)
	}
	back, err := decodeXML(out, pet)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rec) {
		t.Errorf("read back %#v\nwant %#v", back, rec)
	}
	pets := &openapi3.SchemaRef{Ref: "#/components/schemas/Pets", Value: doc.Components.Schemas["Pets"].Value}
	list, err := encodeXML([]any{map[string]any{"name": "a"}}, pets)
	if err != nil || !strings.Contains(string(list), "<Pets><p:pet") {
		t.Errorf("a list of a named schema: %s %v", list, err)
	}
	list, err = encodeXML([]any{"a"}, &openapi3.SchemaRef{Value: openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())})
	if err != nil || !strings.Contains(string(list), "<items><items>a</items></items>") {
		t.Errorf("an inline list: %s %v", list, err)
	}
	for _, bad := range []string{"", "<a>", "not xml", "<a></a><b></b>", strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)} {
		if _, err := decodeXML([]byte(bad), pet); err == nil {
			t.Errorf("%.20q read as XML", bad)
		}
	}
	v, err := decodeXML([]byte(`<pet id="x"><weight>heavy</weight><extra>1</extra></pet>`), pet)
	if err != nil {
		t.Fatal(err)
	}
	if m := v.(map[string]any); m["id"] != "x" || m["weight"] != "heavy" || m["extra"] != "1" {
		t.Errorf("texts that do not convert stay strings, unknown elements stay: %#v", v)
	}
}

// FuzzXMLBody: any bytes are read as XML or refused, never a panic; what
// is read is written again.
func FuzzXMLBody(f *testing.F) {
	f.Add([]byte(`<pet id="1"><name>x</name><photoUrls><photoUrl>u</photoUrl></photoUrls></pet>`))
	f.Add([]byte(`<a><b><c/></b></a>`))
	doc, err := openapi3.NewLoader().LoadFromData([]byte(xmlDoc))
	if err != nil {
		f.Fatal(err)
	}
	pet := doc.Components.Schemas["Pet"]
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeXML(data, pet)
		if err != nil {
			return
		}
		if _, err := encodeXML(v, pet); err != nil {
			t.Fatalf("read %q, cannot write it: %v", data, err)
		}
	})
}
