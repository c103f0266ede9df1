package server

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

// lenientDir holds the contract layer's documents that real APIs get
// wrong in the ways the peers tolerate.
const lenientDir = "../contract/openapi/testdata/lenient"

// lenientDocs are the documents the mock must start on (the refused ones
// of lenientDir are the contract layer's to test).
var lenientDocs = []string{
	"bad-example.yaml",           // invalid examples, example beside examples
	"bad-example.json",           // the same in JSON: lines found by pointer
	"example-without-value.yaml", // an example object without value
	"null-type-30.yaml",          // type: "null" in 3.0
	"null-type-31.yaml",          // 3.1 type arrays and null
	"webhook-readonly.yaml",      // a webhook with a readOnly property
	"only-webhooks.yaml",         // 3.1, webhooks and no paths
	"late-key.yaml",              // the openapi key after 4 KB
	"array-without-items.yaml",   // type: array without items
	"circular.yaml",              // circular schemas, an invalid example
	"spec-errors.yaml",           // conflicting paths, an undefined scheme, bad defaults
	"repeated-param.yaml",        // a template repeating a parameter, an operationId twice
	"swagger2.yaml",              // Swagger 2.0, converted
	"swagger2-no-paths.yaml",     // and one without paths: serves nothing
}

// TestStartsOnEveryDocument starts the mock on each document of
// lenientDocs alone and compares, with testdata/lenient.golden, its
// warnings (code, place, pointer, message: every one, as GET
// /__standin/apis lists them), the start-up summary's grouped lines, and
// the status of one request to each operation it serves (path parameters
// "1"): no document is refused, no operation answers 5xx, nothing
// recurses without end (circular.yaml). -update rewrites the golden file.
func TestStartsOnEveryDocument(t *testing.T) {
	var out bytes.Buffer
	for _, doc := range lenientDocs {
		cfg := config.Default()
		cfg.Specs = config.List{filepath.Join(lenientDir, doc)}
		mock, err := New(cfg, Options{})
		if err != nil {
			t.Errorf("%s: refused: %v", doc, err)
			continue
		}
		fmt.Fprintf(&out, "== %s\n", doc)
		name := ""
		for _, a := range mock.apis {
			if a.rest != nil && strings.HasPrefix(a.m.Dir, "+") {
				name = a.m.Name
			}
		}
		out.WriteString("warnings:\n")
		withLine := 0
		for _, d := range mock.apiDiagnostics(name) {
			fmt.Fprintf(&out, "  %s %s\n", d.Code, d.String())
			if d.Line > 0 {
				withLine++
			}
		}
		out.WriteString("summary:\n")
		for _, l := range mock.warningLines() {
			fmt.Fprintf(&out, "  %s\n", l)
		}
		out.WriteString("answers:\n")
		srv := httptest.NewServer(mock)
		t.Cleanup(srv.Close)
		ts := &stServer{Server: srv, mock: mock}
		for _, a := range mock.apis {
			if a.m.Name != name || a.rest == nil {
				continue
			}
			ops := slices.Sorted(slices.Values(a.rest.Operations()))
			for _, op := range ops {
				f := strings.Fields(op)
				method, tmpl := f[0], f[1]
				p := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(tmpl, "1")
				q := stReq{method: method, path: p, token: stAdmin}
				if method == "POST" || method == "PUT" || method == "PATCH" {
					q.body = "{}"
				}
				r := ts.do(t, q)
				if r.status >= 500 {
					t.Errorf("%s: %s %s = %s", doc, method, p, r)
				}
				fmt.Fprintf(&out, "  %s %s -> %d\n", method, p, r.status)
			}
		}
		if !strings.HasPrefix(doc, "swagger2") && doc != "only-webhooks.yaml" && doc != "late-key.yaml" && withLine == 0 {
			t.Errorf("%s: no warning has a line", doc)
		}
		if doc == "only-webhooks.yaml" && !strings.Contains(out.String(), "serves no request") {
			t.Errorf("%s: the summary does not say it serves nothing", doc)
		}
	}
	stGoldenFile(t, filepath.Join("testdata", "lenient.golden"), out.Bytes())
}
