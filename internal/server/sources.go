package server

import (
	"embed"
	"io/fs"
	"path/filepath"

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
