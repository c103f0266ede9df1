package manifest

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestGenerateNodes: a generate block keeps each field's YAML node (for
// error positions) and still refuses unknown keys.
func TestGenerateNodes(t *testing.T) {
	withGen := strings.Replace(good, "    unique: [isbn]\n", "    unique: [isbn]\n    generate:\n      count: 2\n      fields:\n        isbn: {seq: {}}\n", 1)
	a, err := Load(fstest.MapFS{"books/api.yaml": {Data: []byte(withGen)}}, "books")
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "books/api.yaml" {
		t.Errorf("Source = %q", a.Source)
	}
	g := a.Collections[0].Generate
	n := g.Nodes["isbn"]
	if g.Count != 2 || g.Fields["isbn"] == nil || n == nil || n.Line != 11 || n.Column != 15 {
		t.Fatalf("generate = %+v, node %+v", g, n)
	}
	typo := strings.Replace(withGen, "      count: 2\n", "      cuont: 2\n", 1)
	_, err = Load(fstest.MapFS{"books/api.yaml": {Data: []byte(typo)}}, "books")
	if err == nil || !strings.Contains(err.Error(), `books/api.yaml:9:7: unknown key "cuont" in generate; valid keys here: count, fields, order`) {
		t.Errorf("unknown generate key: got %v", err)
	}
}
