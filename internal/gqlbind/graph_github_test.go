package gqlbind

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/standin/standin/internal/sdlfix"
)

// TestGraphWalkGitHub walks GitHub's schema as TestGraphWalkNonNull walks
// the small ones: every field of every type reachable from Query, every
// answer checked by respcheck. It needs the schema as shipped in
// STANDIN_GITHUB_SDL (internal/server's TestGitHubSDL fetches it from npm
// and starts it; this walk is the long form) and is skipped without it.
func TestGraphWalkGitHub(t *testing.T) {
	src := os.Getenv("STANDIN_GITHUB_SDL")
	if src == "" {
		t.Skip("STANDIN_GITHUB_SDL is not set: GitHub's schema.graphql (from npm's @octokit/graphql-schema) is not walked")
	}
	if testing.Short() {
		t.Skip("-short: the walk of GitHub's schema takes a while")
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	fixed, _, err := sdlfix.DropRepeatedFields(string(data))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "github.graphql")
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, count := range []int{3, -1} {
		walkSDL(t, file, count, 0)
	}
}
