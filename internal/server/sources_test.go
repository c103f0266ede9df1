package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestBrokenGenerateRuleStopsStartUp: a broken generate rule in a
// manifest stops start-up with the manifest's file, line and column, as
// the user finds the file (here under --specs-dir specs).
func TestBrokenGenerateRuleStopsStartUp(t *testing.T) {
	src := filepath.Join("..", "..", "specs", "admin")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, "specs", "admin")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	var manifest string
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "api.yaml" {
			manifest = string(data)
			continue
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const good, broken = "_team:\n          pick:", "_team:\n          pikc:"
	i := strings.Index(manifest, good)
	if i < 0 {
		t.Fatalf("specs/admin/api.yaml no longer has %q; pick another rule to break", good)
	}
	i += strings.Index(good, "pick")
	line := strings.Count(manifest[:i], "\n") + 1
	col := i - strings.LastIndex(manifest[:i], "\n")
	manifest = strings.Replace(manifest, good, broken, 1)
	if err := os.WriteFile(filepath.Join(dst, "api.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cfg := config.Default()
	cfg.SpecsDir = "specs"
	_, err = New(cfg, Options{})
	if err == nil {
		t.Fatal("start-up with a broken generate rule succeeded")
	}
	want := fmt.Sprintf("specs/admin/api.yaml:%d:%d: generate admin.", line, col)
	t.Log(err)
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `unknown generator "pikc"`) {
		t.Errorf("start-up error\n  %v\nwant it to contain %q and the unknown generator", err, want)
	}
}
