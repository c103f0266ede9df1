package openapi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/internal/contract/diag"
)

// FuzzLoad: any bytes load into a document or are refused with
// diagnostics (every one with a code and the file); never a panic, never
// an error of another type. The lenient documents are the seeds.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "lenient", "*.*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"api/spec.yaml": {Data: data}, "api/other.yaml": {Data: []byte("Thing: {type: string}\n")}}
		doc, warnings, err := Load(fsys, "api/spec.yaml", Options{})
		if err == nil {
			if doc == nil {
				t.Fatal("no error and no document")
			}
			for _, d := range warnings {
				if d.Severity != diag.Warning || d.Code == "" {
					t.Fatalf("a warning without severity or code: %+v", d)
				}
			}
			return
		}
		var el *diag.ErrorList
		if !errors.As(err, &el) || !el.List.HasErrors() {
			t.Fatalf("error %T is no list of error diagnostics: %v", err, err)
		}
		for _, d := range el.List {
			if d.Code == "" || d.File == "" {
				t.Fatalf("a diagnostic without code or file: %+v", d)
			}
		}
	})
}
