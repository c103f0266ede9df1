package standintest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestExternalModuleTidy keeps examples/external building exactly as
// committed: its go.mod and go.sum must already hold everything the root
// module's packages need (go mod tidy -diff finds nothing to change). It
// fails when the root module gains or changes a requirement and
// examples/external was not tidied with it.
func TestExternalModuleTidy(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to run go mod tidy -diff")
	}
	// Read here so that go test's cache keys the result on them: the go
	// command run below is invisible to it.
	for _, f := range []string{"../go.mod", "../go.sum", "../examples/external/go.mod", "../examples/external/go.sum"} {
		if _, err := os.ReadFile(filepath.FromSlash(f)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gobin, "mod", "tidy", "-diff")
	cmd.Dir = "../examples/external"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("examples/external: go mod tidy -diff: %v; run go mod tidy in examples/external and commit go.mod and go.sum:\n%s", err, out)
	}
}
