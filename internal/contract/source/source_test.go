package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/standin/standin/internal/contract/diag"
)

func TestDetect(t *testing.T) {
	pad := "# " + strings.Repeat("x", 5000) + "\n"
	tests := []struct {
		name, file, data string
		want             Kind
	}{
		{"yaml", "a.yaml", "openapi: 3.0.3\ninfo: {}", KindOpenAPI},
		{"json", "a.json", `{"openapi": "3.1.0"}`, KindOpenAPI},
		{"json indented", "a.json", "{\n  \"info\": {},\n  \"openapi\" : \"3.0.0\"\n}", KindOpenAPI},
		{"minified, key last", "a.json", `{"info":{"title":"t"},"paths":{},"openapi":"3.0.1"}`, KindOpenAPI},
		// regression: the key was looked for in the first 4 KB only
		{"openapi key after 4 KB", "a.yaml", pad + "info: {title: t}\nopenapi: 3.0.3\n", KindOpenAPI},
		{"swagger", "a.yaml", "swagger: \"2.0\"\ninfo: {}", KindSwagger},
		{"swagger json", "a.json", `{"swagger":"2.0"}`, KindSwagger},
		{"swagger 1.2", "a.json", `{"swaggerVersion":"1.2"}`, KindUnknown},
		{"property named openapi", "a.yaml", "info:\n  x-openapi: 3.0\n", KindUnknown},
		{"sdl by extension", "a.graphql", "type Query { a: Int }", KindGraphQL},
		{"sdl by content", "a.txt", "\ntype Query { a: Int }", KindGraphQL},
		{"neither", "a.txt", "hello", KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.file, []byte(tt.data)); got != tt.want {
				t.Errorf("Detect(%q) = %v, want %v", tt.file, got, tt.want)
			}
		})
	}
}

func codeOf(t *testing.T, err error) diag.Code {
	t.Helper()
	var el *diag.ErrorList
	if !errors.As(err, &el) || len(el.List) != 1 {
		t.Fatalf("error %v (%T) is not one diagnostic", err, err)
	}
	return el.List[0].Code
}

// TestReadFileRefuses: what is not a regular file of at most the cap is
// refused at once, with the file's name.
func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		max  int64
		code diag.Code
	}{
		{"/dev/zero", 0, diag.CodeNotRegular},
		{dir, 0, diag.CodeNotRegular},
		{filepath.Join(dir, "missing.yaml"), 0, diag.CodeUnreadable},
		{big, 1024, diag.CodeTooLarge},
	}
	for _, tt := range tests {
		_, err := ReadFile(tt.path, tt.max)
		if got := codeOf(t, err); got != tt.code {
			t.Errorf("%s: code %s, want %s (%v)", tt.path, got, tt.code, err)
		}
		if !strings.Contains(err.Error(), tt.path) {
			t.Errorf("%s: %q does not name the file", tt.path, err)
		}
	}
	if data, err := ReadFile(big, 4096); err != nil || len(data) != 2048 {
		t.Errorf("a file within the cap: %d bytes, %v", len(data), err)
	}
}

// TestReadFileFIFO: a named pipe with no writer is refused without being
// opened (opening it would block).
func TestReadFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "spec.yaml")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo, 0); done <- err }()
	select {
	case err := <-done:
		if got := codeOf(t, err); got != diag.CodeNotRegular || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("code %s: %v", got, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO")
	}
}

func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"api/spec.yaml": {Data: []byte("openapi: 3.0.0")},
		"api/pipe.yaml": {Mode: fs.ModeNamedPipe},
		"api/big.yaml":  {Data: make([]byte, 100)},
	}
	if data, err := ReadFS(fsys, "api/spec.yaml", "", 0); err != nil || string(data) != "openapi: 3.0.0" {
		t.Errorf("ReadFS = %q, %v", data, err)
	}
	if _, err := ReadFS(fsys, "api/pipe.yaml", "specs/api/pipe.yaml", 0); codeOf(t, err) != diag.CodeNotRegular || !strings.Contains(err.Error(), "specs/api/pipe.yaml") {
		t.Errorf("pipe: %v", err)
	}
	if _, err := ReadFS(fsys, "api/big.yaml", "", 10); codeOf(t, err) != diag.CodeTooLarge {
		t.Errorf("big: %v", err)
	}
}
