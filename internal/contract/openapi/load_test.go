package openapi

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/internal/contract/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestLenientGolden loads each document under testdata/lenient (the files
// at its top, and the openapi.yaml of each folder) and compares what is
// said about it (loaded or refused, every diagnostic with code, severity,
// place and pointer) with testdata/lenient.golden; -update rewrites it.
func TestLenientGolden(t *testing.T) {
	const dir = "testdata/lenient"
	files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
	folders, _ := filepath.Glob(filepath.Join(dir, "*", "openapi.yaml"))
	files = append(files, folders...)
	slices.Sort(files)
	if len(files) < 10 {
		t.Fatalf("%d documents under %s", len(files), dir)
	}
	var out bytes.Buffer
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		rel = filepath.ToSlash(rel)
		doc, warnings, err := Load(os.DirFS(dir), rel, Options{Dir: dir})
		fmt.Fprintf(&out, "== %s\n", rel)
		var list diag.List
		switch {
		case err != nil:
			var el *diag.ErrorList
			if !errors.As(err, &el) {
				t.Errorf("%s: error %T is no *diag.ErrorList: %v", rel, err, err)
				continue
			}
			if doc != nil {
				t.Errorf("%s: refused, yet a document is returned", rel)
			}
			out.WriteString("refused\n")
			list = el.List
		default:
			fmt.Fprintf(&out, "loaded: %d paths\n", doc.Paths.Len())
			list = warnings
		}
		for _, d := range list {
			fmt.Fprintf(&out, "  %s %s: %s\n", d.Severity, d.Code, d)
		}
	}
	golden := filepath.Join("testdata", "lenient.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("%s differs (run with -update after checking):\n%s", golden, out.String())
	}
}

// TestSwaggerProducesInherited: a Swagger 2.0 operation without its own
// "produces" answers the document's media types (openapi2conv alone gives
// it application/json), its own "produces" when it has one.
func TestSwaggerProducesInherited(t *testing.T) {
	const doc = `swagger: "2.0"
info: {title: t, version: "1"}
produces: [application/vnd.todo.v1+json]
paths:
  /items:
    get:
      responses:
        "200": {description: ok, schema: {type: array, items: {type: string}}}
  /text:
    get:
      produces: [text/plain]
      responses:
        "200": {description: ok, schema: {type: string}}
`
	fsys := fstest.MapFS{"todo.yaml": {Data: []byte(doc)}}
	d, _, err := Load(fsys, "todo.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/items": "application/vnd.todo.v1+json", "/text": "text/plain"} {
		content := d.Paths.Value(path).Get.Responses.Status(200).Value.Content
		if len(content) != 1 || content[want] == nil {
			t.Errorf("%s answers %v, want %s only", path, content, want)
		}
	}
}
