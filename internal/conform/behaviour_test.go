package conform

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestIDListYAML(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       IDList
		bad        bool
	}{
		{"one id", "client_id: a1", IDList{"a1"}, false},
		{"a list", "client_id: [a1, a2]", IDList{"a1", "a2"}, false},
		{"a block list", "client_id:\n  - a1\n  - a2\n  - a3", IDList{"a1", "a2", "a3"}, false},
		{"a map", "client_id: {x: 1}", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "conform.yaml")
			body := "apis:\n  clients-v2:\n    baseURL: http://127.0.0.1:1\n    token: x\n    ids:\n"
			for _, line := range splitLines(tc.yaml) {
				body += "      " + line + "\n"
			}
			if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadFile(file)
			if tc.bad {
				if err == nil {
					t.Fatalf("want an error, got %v", cfg.APIs["clients-v2"].IDs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.APIs["clients-v2"].IDs["client_id"]; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if got := cfg.APIs["clients-v2"].FirstIDs()["client_id"]; got != tc.want[0] {
				t.Fatalf("FirstIDs: got %q", got)
			}
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestMaxRecordsFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
		bad  bool
	}{
		{nil, DefaultMaxRecords, false},
		{[]string{"--max-records", "10"}, 10, false},
		{[]string{"--max-records", "-1"}, 0, true},
	} {
		fs := flag.NewFlagSet("conform", flag.ContinueOnError)
		f := BindFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.Config()
		if tc.bad != (err != nil) {
			t.Fatalf("%v: err %v", tc.args, err)
		}
		if !tc.bad && cfg.MaxRecords != tc.want {
			t.Fatalf("%v: MaxRecords %d, want %d", tc.args, cfg.MaxRecords, tc.want)
		}
	}
}

func TestNotes(t *testing.T) {
	for _, tc := range []struct{ where, records, want string }{
		{"/content/3/name", "content", " (record #14 of the walk)"},
		{"/3/name", "", " (record #14 of the walk)"},
		{"/page/size", "content", ""},
		{"", "content", ""},
	} {
		if got := recordNote(tc.where, tc.records, 10); got != tc.want {
			t.Errorf("recordNote(%q): %q, want %q", tc.where, got, tc.want)
		}
	}
	for _, tc := range []struct{ where, want string }{
		{"data.accounts.edges[36].node.countryCode", " (node #47 of the walk)"},
		{"data.accounts.totalCount", ""},
	} {
		if got := nodeNote(tc.where, 10); got != tc.want {
			t.Errorf("nodeNote(%q): %q, want %q", tc.where, got, tc.want)
		}
	}
}

func TestDistinctValues(t *testing.T) {
	recs := []walkedRecord{}
	for _, n := range []string{"a", "b", "b", "c", "b", "d"} {
		recs = append(recs, walkedRecord{rec: map[string]any{"name": n}})
	}
	recs = append(recs, walkedRecord{rec: map[string]any{"name": nil}})
	got := distinctValues(recs, "name", 3)
	if !reflect.DeepEqual(got, []any{"a", "b", "d"}) {
		t.Fatalf("got %v: want the first, the most shared, the last", got)
	}
	if got := distinctValues(recs, "missing", 3); got != nil {
		t.Fatalf("got %v for a field no record has", got)
	}
}

func TestMatchMode(t *testing.T) {
	for doc, want := range map[string]string{
		"Only companies whose name equals this value exactly": "equal",
		"Exact, case-sensitive account name.":                 "equal",
		"Case-insensitive match on the name":                  "fold",
		"Names that contain this text":                        "equal",
		"Only names that contains this substring":             "contains",
	} {
		if got := matchMode(doc); got != want {
			t.Errorf("matchMode(%q) = %s, want %s", doc, got, want)
		}
	}
}

func TestCompareScalars(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want int
	}{
		{json.Number("2"), json.Number("10"), -1},
		{"b", "a", 1},
		{"2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z", 0},
		{nil, "a", -1},
		{false, true, -1},
	} {
		if got := compareScalars(tc.a, tc.b); got != tc.want {
			t.Errorf("compareScalars(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestEnumToFieldAndRange(t *testing.T) {
	node := &ast.Definition{Fields: ast.FieldList{{Name: "name"}, {Name: "createdOn"}}}
	for v, want := range map[string]string{"NAME": "name", "CREATED_ON": "createdOn", "SIZE": ""} {
		if got := enumToField(node, v); got != want {
			t.Errorf("enumToField(%s) = %q, want %q", v, got, want)
		}
	}
	f := &ast.FieldDefinition{Arguments: ast.ArgumentDefinitionList{
		{Name: "first", Description: "Return at most this many accounts after `after` (0-100)."},
		{Name: "last", Description: "Cursor."},
	}}
	if lo, hi, ok := argRange(f, "first"); !ok || lo != 0 || hi != 100 {
		t.Errorf("argRange(first) = %d %d %v", lo, hi, ok)
	}
	if _, _, ok := argRange(f, "last"); ok {
		t.Errorf("argRange(last): a description without a range has none")
	}
}

func TestSchemaViolations(t *testing.T) {
	min, max := 1.0, 100.0
	ml := uint64(3)
	for _, tc := range []struct {
		name string
		s    *openapi3.Schema
		want []string
	}{
		{"integer with a range", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Min: &min, Max: &max}, []string{"abc", "1.5", "0", "101"}},
		{"uuid", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "uuid"}, []string{"not-a-uuid"}},
		{"enum", &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"a"}}, []string{"STANDIN_NOT_A_VALUE"}},
		{"pattern and length", &openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: "^[A-Z]{2}$", MaxLength: &ml}, []string{"!", "aaaa"}},
		{"free string", &openapi3.Schema{Type: &openapi3.Types{"string"}, MinLength: 1}, nil},
	} {
		var got []string
		for _, v := range schemaViolations(tc.s) {
			got = append(got, v[0])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
