package usererr

import (
	"io/fs"
	"os"
	"path/filepath"
)

// FileNamer is a file system that knows what the user calls its files:
// errors name a file as the user finds it, not by its path inside the
// file system a loader reads.
type FileNamer interface {
	// FileName is what the user calls the file at name (a path valid
	// for fs.FS).
	FileName(name string) string
}

// FileName is what the user calls the file at name in fsys: fsys's own
// answer when it is a FileNamer, else name.
func FileName(fsys fs.FS, name string) string {
	if n, ok := fsys.(FileNamer); ok {
		return n.FileName(name)
	}
	return name
}

// DirFS is os.DirFS(dir) whose files are named by their path on disk
// (dir joined with the name).
func DirFS(dir string) fs.FS { return dirFS{FS: os.DirFS(dir), dir: dir} }

type dirFS struct {
	fs.FS
	dir string
}

// FileName joins the folder and the name.
func (d dirFS) FileName(name string) string { return filepath.Join(d.dir, filepath.FromSlash(name)) }

// ReadFile reads a file (fs.ReadFileFS).
func (d dirFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(d.FS, name) }

// ReadDir reads a folder (fs.ReadDirFS).
func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.FS, name) }

// Stat describes a file (fs.StatFS).
func (d dirFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.FS, name) }
