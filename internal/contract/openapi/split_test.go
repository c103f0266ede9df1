package openapi

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// TestLoadSplitIsLoad loads every document of the project's testdata
// that has only local $refs (YAML ones converted to JSON) both ways: in
// parts, as large JSON documents are, and whole, as kin-openapi's loader
// does; the two documents must encode to the same JSON.
func TestLoadSplitIsLoad(t *testing.T) {
	var files []string
	for _, glob := range []string{"testdata/lenient/*.*", "../../specinfer/testdata/*.*", "../../rest/testdata/*.yaml", "../../rest/testdata/*/openapi.yaml", "../../../specs/*/openapi.yaml"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		if strings.Contains(f, ".golden") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			var v any
			if yaml.Unmarshal(data, &v) != nil {
				continue
			}
			if data, err = json.Marshal(v); err != nil {
				continue // a YAML map with non-string keys
			}
		}
		if !bytes.Contains(data, []byte(`"openapi"`)) || !splittableRefs(data) {
			continue
		}
		whole, err := openapi3.NewLoader().LoadFromDataWithPath(data, &url.URL{Path: "doc.json"})
		if err != nil {
			continue // refused whole: the lenient tests say why
		}
		split, ok, err := loadSplit(openapi3.NewLoader(), data, &url.URL{Path: "doc.json"})
		if !ok || err != nil {
			t.Errorf("%s: loaded whole, not in parts (ok %v): %v", f, ok, err)
			continue
		}
		a, _ := json.Marshal(whole)
		b, _ := json.Marshal(split)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: in parts it is another document:\nwhole %s\nparts %s", f, a, b)
		}
		n++
	}
	if n < 15 {
		t.Errorf("only %d documents compared", n)
	}
}

// splittableRefs is splittable without the size threshold.
func splittableRefs(data []byte) bool {
	padded := append(bytes.Repeat([]byte(" "), splitAbove), data...)
	return splittable(padded)
}

// TestSplittable: large JSON documents with local $refs only; YAML, small
// documents and $refs to other files are loaded whole.
func TestSplittable(t *testing.T) {
	big := strings.Repeat(" ", splitAbove)
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{big + `{"openapi": "3.1.0", "x": {"$ref": "#/components/schemas/A"}}`, true},
		{big + `{"openapi": "3.1.0", "properties": {"$ref": {"type": "string"}}}`, true},
		{big + `{"openapi": "3.1.0", "x": {"$ref": "other.json#/A"}}`, false},
		{big + "openapi: 3.1.0\n", false},
		{`{"openapi": "3.1.0"}`, false},
	} {
		if got := splittable([]byte(c.doc)); got != c.want {
			t.Errorf("splittable(%.40q…) = %v", strings.TrimSpace(c.doc), got)
		}
	}
}
