package server

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/standin/standin/internal/config"
)

var mediaSpec = filepath.Join("testdata", "features", "media.yaml")

// TestMediaTypes: a --spec API reads form, multipart and XML bodies as
// its document declares them (validated against the schema, stored as
// JSON: a pet created from a form is read back with typed values), and
// answers by Accept among the documented media types: XML by the schema's
// xml hints (an attribute, a wrapped list), the documented text/plain,
// JSON for */*, 406 in the document's shape when nothing documented is
// acceptable. Compared with testdata/media.golden (-update rewrites it).
func TestMediaTypes(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{mediaSpec} })
	ct := func(v string) map[string]string { return map[string]string{"Content-Type": v} }
	accept := func(v string) map[string]string { return map[string]string{"Accept": v} }
	multipart := "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nMulti\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n4\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--XyZ--\r\n"
	tests := []struct {
		name   string
		q      stReq
		status int
	}{
		{"create from a form: typed values", stReq{method: "POST", path: "/pets", body: "name=Formy&age=3&vaccinated=true&tags=a&tags=b", header: ct("application/x-www-form-urlencoded")}, 201},
		{"a form that breaks the schema", stReq{method: "POST", path: "/pets", body: "name=&age=old", header: ct("application/x-www-form-urlencoded")}, 400},
		{"create from multipart, with a file part", stReq{method: "POST", path: "/pets", body: multipart, header: ct("multipart/form-data; boundary=XyZ")}, 201},
		{"create from XML", stReq{method: "POST", path: "/pets", body: `<pet><name>Xena</name><age>5</age><vaccinated>false</vaccinated><tags><tag>x</tag><tag>y</tag></tags></pet>`, header: ct("application/xml")}, 201},
		{"XML that breaks the schema", stReq{method: "POST", path: "/pets", body: `<pet><name></name><age>-1</age></pet>`, header: ct("application/xml")}, 400},
		{"not XML", stReq{method: "POST", path: "/pets", body: `<pet><name>x</nam></pet>`, header: ct("application/xml")}, 400},
		{"a media type not declared: 415 is not documented, 400 is", stReq{method: "POST", path: "/pets", body: "name,age\nx,1", header: ct("text/csv")}, 400},
		{"created from a form, read back", stReq{path: "/pets/21"}, 200},
		{"created from multipart, read back", stReq{path: "/pets/22"}, 200},
		{"created from XML, read back as XML", stReq{path: "/pets/23", header: accept("application/xml")}, 200},
		{"the list as XML: a wrapped list", stReq{path: "/pets?__scenario=none", header: accept("application/xml;q=0.9, application/json;q=0.1")}, 200},
		{"Accept */*: JSON", stReq{path: "/pets/23", header: accept("*/*")}, 200},
		{"Accept text/html only: 406 in the document's shape", stReq{path: "/pets/23", header: accept("text/html")}, 406},
		{"an error asked as XML, documented as JSON only: JSON", stReq{path: "/pets/999", header: accept("application/xml")}, 404},
		{"XML only: answered in XML", stReq{method: "POST", path: "/notes", body: `<note><text>hi</text></note>`, header: ct("application/xml; charset=utf-8")}, 201},
		{"XML only, sent text/xml: not the media type declared", stReq{method: "POST", path: "/notes", body: `<note><text>hi</text></note>`, header: ct("text/xml")}, 415},
		{"XML only, sent JSON: the documented 415, naming what it takes", stReq{method: "POST", path: "/notes", body: `{"text":"hi"}`, header: ct("application/json")}, 415},
		{"XML only, asked for JSON: 406", stReq{method: "POST", path: "/notes", body: `<note><text>hi</text></note>`, header: map[string]string{"Content-Type": "application/xml", "Accept": "application/json"}}, 406},
		{"an answer from the spec in text/plain", stReq{path: "/health", header: accept("text/plain")}, 200},
		{"an answer from the spec in JSON", stReq{path: "/health"}, 200},
	}
	var out bytes.Buffer
	for _, tt := range tests {
		r := s.do(t, tt.q)
		if r.status != tt.status {
			t.Errorf("%s: %s %s = %s, want %d", tt.name, tt.q.method, tt.q.path, r, tt.status)
		}
		body := r.body
		if len(body) > 600 {
			body = append(body[:600:600], "…"...)
		}
		fmt.Fprintf(&out, "### %s\n%s %s -> %d %s\n%s\n\n", tt.name, tt.q.method, tt.q.path, r.status, r.header.Get("Content-Type"), body)
	}
	stGoldenFile(t, filepath.Join("testdata", "media.golden"), out.Bytes())
}
