package specs_test

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/specs"
)

func TestCanonicalUUID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"aa7cf840-9ca9-46a3-9778-9015d6580d50", "aa7cf840-9ca9-46a3-9778-9015d6580d50", true},
		{"AA7CF840-9CA9-46A3-9778-9015D6580D50", "aa7cf840-9ca9-46a3-9778-9015d6580d50", true},
		{"Aa7cF840-9ca9-46A3-9778-9015d6580D50", "aa7cf840-9ca9-46a3-9778-9015d6580d50", true},
		{"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "ffffffff-ffff-ffff-ffff-ffffffffffff", true},
		{"AA7CF840-9CA9-46A3-9778-9015D6580D5G", "", false},
		{"AA7CF8409CA946A397789015D6580D50", "", false},
		{"AA7CF840-9CA9-46A3-9778-9015D6580D500", "", false},
		{"{AA7CF840-9CA9-46A3-9778-9015D6580D5}", "", false},
		{"ACME", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		if got, ok := specs.CanonicalUUID(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("CanonicalUUID(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUUIDPaths(t *testing.T) {
	uuid := openapi3.NewUUIDSchema()
	node := openapi3.NewObjectSchema().WithProperty("id", uuid)
	// A tree: the parent refers back to the node.
	node.WithProperty("parent", node)
	s := openapi3.NewObjectSchema().
		WithProperty("id", uuid).
		WithProperty("name", openapi3.NewStringSchema()).
		WithProperty("email", openapi3.NewStringSchema().WithFormat("email")).
		WithProperty("partner", openapi3.NewObjectSchema().WithProperty("id", uuid).WithProperty("name", openapi3.NewStringSchema())).
		WithProperty("ids", openapi3.NewArraySchema().WithItems(uuid)).
		WithProperty("count", openapi3.NewIntegerSchema().WithFormat("uuid")).
		WithProperty("node", node)
	s.AllOf = openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewObjectSchema().WithProperty("ownerId", uuid))}
	// Not through arrays, not an integer, and the tree entered twice.
	want := []string{"id", "node.id", "node.parent.id", "ownerId", "partner.id"}
	if got := specs.UUIDPaths(s); !reflect.DeepEqual(got, want) {
		t.Errorf("UUIDPaths = %q, want %q", got, want)
	}
	// A schema of ten properties each referring back to it: bounded.
	wide := openapi3.NewObjectSchema().WithProperty("id", uuid)
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		wide.WithProperty(n, wide)
	}
	if got := specs.UUIDPaths(wide); len(got) != 1+10 {
		t.Errorf("UUIDPaths of a wide recursive schema: %d paths, want 11 (id, a.id … j.id)", len(got))
	}
}

func TestCanonicalUUIDs(t *testing.T) {
	rec := map[string]any{
		"id":      "AA7CF840-9CA9-46A3-9778-9015D6580D50",
		"name":    "AA7CF840-9CA9-46A3-9778-9015D6580D50", // not a uuid field
		"partner": map[string]any{"id": "B2C3D4E5-F6A7-8901-BCDE-F12345678901", "name": "P"},
		"other":   map[string]any{"id": "C2C3D4E5-F6A7-8901-BCDE-F12345678901"},
	}
	got := specs.CanonicalUUIDs(rec, []string{"id", "partner.id", "missing.id", "name.x"})
	want := map[string]any{
		"id":      "aa7cf840-9ca9-46a3-9778-9015d6580d50",
		"name":    "AA7CF840-9CA9-46A3-9778-9015D6580D50",
		"partner": map[string]any{"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "name": "P"},
		"other":   map[string]any{"id": "C2C3D4E5-F6A7-8901-BCDE-F12345678901"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CanonicalUUIDs = %v", got)
	}
	if rec["id"] != "AA7CF840-9CA9-46A3-9778-9015D6580D50" || rec["partner"].(map[string]any)["id"] != "B2C3D4E5-F6A7-8901-BCDE-F12345678901" {
		t.Errorf("the record given was changed: %v", rec)
	}
	lower := map[string]any{"id": "aa7cf840-9ca9-46a3-9778-9015d6580d50"}
	if same := specs.CanonicalUUIDs(lower, []string{"id"}); reflect.ValueOf(same).Pointer() != reflect.ValueOf(lower).Pointer() {
		t.Error("a record already canonical was copied")
	}
}
