package server

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

var errorsSpec = filepath.Join("testdata", "features", "errors.yaml")

// TestErrorsInTheDocumentsShape: a --spec API answers each error in the
// shape its document gives the operation for that status: 422 where the
// operation documents 422 for a body that breaks its schema (and not 400),
// 400 for a body that is not JSON where it documents 400, the
// operation's example (the message put in), the schema of default, a
// status documented without a body answered without one, the 401, 429
// and 500 of scenarios and authentication, the document's media type
// (application/problem+json); an operation that documents nothing takes
// the API's shape. Every answer whose status the operation documents
// validates against its response (kin-openapi), and the answers are
// compared with testdata/errors.golden (-update rewrites it).
func TestErrorsInTheDocumentsShape(t *testing.T) {
	s, ss := startOwnSpec(t, "errors", errorsSpec)
	key := map[string]string{"X-Key": "k"}
	with := func(h map[string]string) map[string]string {
		out := map[string]string{"X-Key": "k"}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name, opID, path string
		q                stReq
		status           int
	}{
		{"a query that breaks its schema: the documented 400, RFC 7807", "listWidgets", "/widgets", stReq{path: "/widgets?limit=500", header: key}, 400},
		{"a query parameter that breaks its format (uuid): the documented 400", "listWidgets", "/widgets", stReq{path: "/widgets?owner=not-a-uuid", header: key}, 400},
		{"no credential: the documented 401", "listWidgets", "/widgets", stReq{path: "/widgets"}, 401},
		{"rate-limited scenario: the documented 429", "listWidgets", "/widgets", stReq{path: "/widgets", header: with(map[string]string{"X-Standin-Scenario": "rate-limited"})}, 429},
		{"server-error scenario: the documented 500's example", "listWidgets", "/widgets", stReq{path: "/widgets", header: with(map[string]string{"X-Standin-Scenario": "server-error"})}, 500},
		{"a body that breaks the schema: 422, the only client error documented", "createWidget", "/widgets", stReq{method: "POST", path: "/widgets", header: key, body: `{"name": ""}`}, 422},
		{"a body that is not JSON: 422 too, 400 is not documented", "createWidget", "/widgets", stReq{method: "POST", path: "/widgets", header: key, body: `{"name": `}, 422},
		{"a media type not taken: 422, 415 and 400 not documented", "createWidget", "/widgets", stReq{method: "POST", path: "/widgets", header: with(map[string]string{"Content-Type": "text/csv"}), body: "name\nx"}, 422},
		{"an unknown id: the documented 404's example", "getWidget", "/widgets/999", stReq{path: "/widgets/999", header: key}, 404},
		{"a path parameter that breaks its schema: the documented 404 (400 and 422 are not)", "getWidget", "/widgets/abc", stReq{path: "/widgets/abc", header: key}, 404},
		{"replace: a body that breaks the schema is 422", "replaceWidget", "/widgets/1", stReq{method: "PUT", path: "/widgets/1", header: key, body: `{"name": "x", "size": 0}`}, 422},
		{"replace: a body that is not JSON is 400", "replaceWidget", "/widgets/1", stReq{method: "PUT", path: "/widgets/1", header: key, body: `{"name"`}, 400},
		{"replace: an unknown id, 404 documented without a body", "replaceWidget", "/widgets/999", stReq{method: "PUT", path: "/widgets/999", header: key, body: `{"name": "x"}`}, 404},
		{"delete: an unknown id, default's schema", "deleteWidget", "/widgets/999", stReq{method: "DELETE", path: "/widgets/999", header: key}, 404},
		{"a negative limit where the schema sets no minimum: the default page", "listGadgets", "/gadgets", stReq{path: "/gadgets?limit=-1", header: key}, 200},
		{"a body that breaks the schema, no 400 or 422: the client error described as invalid input", "createGadget", "/gadgets", stReq{method: "POST", path: "/gadgets", header: key, body: `{"size": 0}`}, 405},
		{"no credential where 403 alone is documented: 403, without a challenge", "getGadget", "/gadgets/2", stReq{path: "/gadgets/2"}, 403},
		{"delete: an existing id, 204", "deleteGadget", "/gadgets/1", stReq{method: "DELETE", path: "/gadgets/1", header: key}, 204},
		{"delete: the same id again, no way to say not found documented: done, 204", "deleteGadget", "/gadgets/1", stReq{method: "DELETE", path: "/gadgets/1", header: key}, 204},
	}
	var out bytes.Buffer
	for _, tt := range tests {
		r := s.do(t, tt.q)
		if r.status != tt.status {
			t.Errorf("%s: %s %s = %s, want %d", tt.name, tt.q.method, tt.q.path, r, tt.status)
			continue
		}
		params := map[string]string{}
		if strings.Count(tt.path, "/") == 2 {
			params["widgetId"] = strings.TrimPrefix(tt.path, "/widgets/")
		}
		if err := ss.validate(t, "errors", tt.opID, tt.path, params, r); err != nil {
			t.Errorf("%s: the %d answer does not match the document: %v\n%s", tt.name, r.status, err, r)
		}
		fmt.Fprintf(&out, "### %s\n%s %s -> %d %s", tt.name, tt.q.method, tt.q.path, r.status, r.header.Get("Content-Type"))
		for _, h := range []string{"WWW-Authenticate", "Retry-After"} {
			if v := r.header.Get(h); v != "" {
				fmt.Fprintf(&out, " %s: %s", h, v)
			}
		}
		fmt.Fprintf(&out, "\n%s\n\n", r.body)
	}
	stGoldenFile(t, filepath.Join("testdata", "errors.golden"), out.Bytes())
	// the gadget deleted twice above is gone: a read says so, with the
	// 404 its operation does not document (nothing is made up)
	if r := s.do(t, stReq{path: "/gadgets/1", header: key}); r.status != 404 {
		t.Errorf("GET /gadgets/1 after its delete = %s, want 404", r)
	}
}
