package server

// The spec files named as the user finds them, for diagnostics.

import (
	"embed"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/usererr"
	"github.com/standin/standin/specs"
)

// nameSources makes each manifest's Source name its file as the user finds
// it, so that errors in it (a broken generate rule, at its line and column)
// point there: under specsDir when set, under the repository's specs/ for
// the bundled specs, and as read for any other file system.
func nameSources(apis []*manifest.API, specsDir string, fsys fs.FS) {
	if _, named := fsys.(usererr.FileNamer); named {
		return // manifest.Load named them as fsys does
	}
	root := specsDir
	if root == "" {
		if bundled, ok := fsys.(embed.FS); !ok || bundled != specs.FS {
			return
		}
		root = "specs"
	}
	for _, a := range apis {
		a.Source = filepath.ToSlash(filepath.Join(root, a.Source))
	}
}

// specFiles names the files of the specs file system as the user finds
// them, for diagnostics: a mount's files under the folder on disk it came
// from (--spec, --apis-dir), the others under root (specsDir, the
// repository's specs/ for the bundled specs, or as read).
type specFiles struct {
	root   string
	mounts map[string]string // mount name → folder on disk
}

// newSpecFiles names the files of fsys (specsDir set or not) and of the
// mounts.
func newSpecFiles(specsDir string, fsys fs.FS, mounts map[string]string) specFiles {
	root := specsDir
	if root == "" {
		if bundled, ok := fsys.(embed.FS); ok && bundled == specs.FS {
			root = "specs"
		}
	}
	return specFiles{root: root, mounts: mounts}
}

func (n specFiles) name(file string) string {
	head, rest, _ := strings.Cut(file, "/")
	if dir, ok := n.mounts[head]; ok {
		return filepath.ToSlash(filepath.Join(dir, rest))
	}
	if n.root == "" {
		return file
	}
	return filepath.ToSlash(filepath.Join(n.root, file))
}

// options are the contract layer's options for the specs file system.
func (n specFiles) options() source.Options { return source.Options{Name: n.name} }
