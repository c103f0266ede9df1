package specinfer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden infers each spec under testdata, found by glob (the
// contract files at its top, the openapi.yaml or schema.graphql of each
// folder; petstore.yaml, books-openapi/ and petstore-sdl/ link to the REST
// tests' testdata), and compares the manifest, example records and
// warnings with testdata/<name>.golden.yaml; -update rewrites them.
func TestGolden(t *testing.T) {
	type spec struct{ name, dir, file string }
	var tests []spec
	top, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range top {
		base := filepath.Base(p)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			for _, f := range []string{"openapi.yaml", "schema.graphql"} {
				if _, err := os.Stat(filepath.Join(p, f)); err == nil {
					tests = append(tests, spec{base, p, f})
				}
			}
			continue
		}
		if strings.HasSuffix(base, ".golden.yaml") {
			continue
		}
		switch filepath.Ext(base) {
		case ".yaml", ".json", ".graphql":
			tests = append(tests, spec{strings.TrimSuffix(base, filepath.Ext(base)), "testdata", base})
		}
	}
	if len(tests) < 9 {
		t.Fatalf("%d specs under testdata", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(tt.dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var in *Inferred
			switch source.Detect(tt.file, data) {
			case source.KindOpenAPI, source.KindSwagger:
				in, err = OpenAPI(tt.name, os.DirFS(tt.dir), tt.file, Options{Seed: 1})
			case source.KindGraphQL:
				in, err = GraphQL(tt.name, os.DirFS(tt.dir), tt.file, Options{Seed: 1})
			default:
				t.Fatalf("%s: kind not detected", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			fixtures := map[string]any{}
			for f, b := range in.Fixtures {
				var v any
				if err := yaml.Unmarshal(b, &v); err != nil {
					t.Fatal(err)
				}
				fixtures[f] = v
			}
			var buf bytes.Buffer
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(map[string]any{"manifest": in.API, "fixtures": fixtures, "warnings": messages(in.Diagnostics)}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".golden.yaml")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from the inferred manifest (run with -update after checking):\n%s", golden, buf.String())
			}
			// what is inferred is what a file would give
			reread := &manifest.API{}
			if err := yaml.Unmarshal(mustYAML(t, in.API), reread); err != nil {
				t.Fatal(err)
			}
			if err := reread.Check(); err != nil {
				t.Errorf("the inferred manifest, written and read back, fails the manifest rules: %v", err)
			}
			for _, c := range in.API.Collections {
				if c.Generate == nil {
					continue
				}
				if _, err := fakedata.Compile(fakedata.SpecOf(in.API.Name, &c)); err != nil {
					t.Errorf("collection %s: rules do not compile: %v", c.Name, err)
				}
			}
		})
	}
}

func mustYAML(t *testing.T, v any) []byte {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestName(t *testing.T) {
	tests := []struct{ file, want string }{
		{"internal/rest/testdata/petstore.yaml", "petstore"},
		{"apis/Pet Store/openapi.yaml", "pet-store"},
		{"schema.graphql", "schema"},
		{"dir/schema.graphql", "dir"},
		{"2024_API.v1.json", "api-2024-api-v1"},
		{`C:\specs\Orders.yaml`, "orders"},
	}
	for _, tt := range tests {
		if got := Name(tt.file); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

func TestSplitItem(t *testing.T) {
	tests := []struct {
		p, base, param string
		ok             bool
	}{
		{"/pets/{petId}", "/pets", "petId", true},
		{"/a/{x}/b/{y}", "/a/{x}/b", "y", true},
		{"/pets", "", "", false},
		{"/{id}", "", "", false},
		{"/pets/v{version}", "", "", false},
		{"/pets/{a}{b}", "", "", false},
	}
	for _, tt := range tests {
		base, param, ok := splitItem(tt.p)
		if base != tt.base || param != tt.param || ok != tt.ok {
			t.Errorf("splitItem(%q) = %q %q %v", tt.p, base, param, ok)
		}
	}
}

// TestNotServedIsReported: what cannot be a collection is a warning that
// names the path and why, and still answers from the spec.
func TestNotServedIsReported(t *testing.T) {
	in, err := OpenAPI("odd", os.DirFS("testdata"), "odd.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(messages(in.Diagnostics), "\n")
	// a nested collection is scoped by its parents now, not reported
	if b := in.API.REST.Operations["GET /v1/users/{username}/notes"]; b.Parents["username"] == "" {
		t.Errorf("the nested list of notes is not scoped by its parent: %+v", b)
	}
	for _, want := range []string{
		"/v1/orphans/{id} is not a collection: there is no path /v1/orphans to list it",
		"GET /v1/health answers from the spec's examples or schema",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

// FuzzOpenAPI: any document either is refused with an error or gives a
// manifest that passes the manifest rules and rules that compile; never a
// panic.
func FuzzOpenAPI(f *testing.F) {
	for _, file := range []string{"testdata/todo31.yaml", "testdata/odd.json", "testdata/schemas/shapes.yaml", "testdata/closed-parts.yaml", "../rest/testdata/petstore.yaml", "../rest/testdata/books/openapi.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("openapi: 3.0.0\ninfo: {title: t, version: v}\npaths: {/a: {get: {responses: {'200': {description: d}}}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"spec.yaml": {Data: data}}
		in, err := OpenAPI("fuzz", fsys, "spec.yaml", Options{Count: 3})
		if err != nil {
			return
		}
		if err := in.API.Check(); err != nil {
			t.Fatalf("inferred manifest breaks the rules: %v", err)
		}
		for _, c := range in.API.Collections {
			if c.Generate == nil {
				continue
			}
			if _, err := fakedata.Generate(fakedata.SpecOf("fuzz", &c), fakedata.Env{Seed: 1}, 3); err != nil {
				t.Fatalf("collection %s: rules fail: %v", c.Name, err)
			}
		}
	})
}

// messages are the diagnostics' messages, as the golden files keep them.
// messages are the warnings as the goldens keep them: code, pointer (the
// server places it in the file) and message.
func messages(l diag.List) []string {
	var out []string
	for _, d := range l {
		where := ""
		if d.Pointer != "" {
			where = " at " + d.Pointer
		}
		out = append(out, string(d.Code)+where+": "+d.Message)
	}
	return out
}
