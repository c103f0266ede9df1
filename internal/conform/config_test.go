package conform

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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

func TestSpecName(t *testing.T) {
	for file, want := range map[string]string{
		"internal/rest/testdata/books/openapi.yaml": "books",
		"specs/admin/schema.graphql":                "admin",
		"petstore.yaml":                             "petstore",
		"openapi.yaml":                              "openapi",
		"/tmp/x/shop-api.json":                      "shop-api",
	} {
		if got := specName(file); got != want {
			t.Errorf("specName(%q) = %q, want %q", file, got, want)
		}
	}
}
