package server

// A file system with other file systems mounted as top-level folders.

import (
	"github.com/standin/standin/internal/usererr"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// overlayFS is a file system with other file systems mounted as
// top-level folders (which hide a base folder of the same name).
type overlayFS struct {
	base   fs.FS
	mounts map[string]fs.FS
}

func overlay(base fs.FS, mounts map[string]fs.FS) fs.FS {
	if len(mounts) == 0 {
		return base
	}
	return overlayFS{base: base, mounts: mounts}
}

func (o overlayFS) split(name string) (fs.FS, string, bool) {
	head, rest, _ := strings.Cut(name, "/")
	m, ok := o.mounts[head]
	if !ok {
		return nil, "", false
	}
	if rest == "" {
		rest = "."
	}
	return m, rest, true
}

// FileName names a file as the user knows it: as its mount or the base
// names it (usererr.FileNamer).
func (o overlayFS) FileName(name string) string {
	if m, rest, ok := o.split(name); ok {
		return usererr.FileName(m, rest)
	}
	return usererr.FileName(o.base, name)
}

// Open opens a file of a mount or of the base.
func (o overlayFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if m, rest, ok := o.split(name); ok {
		return m.Open(rest)
	}
	return o.base.Open(name)
}

// ReadFile reads a file of a mount or of the base.
func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if m, rest, ok := o.split(name); ok {
		return fs.ReadFile(m, rest)
	}
	return fs.ReadFile(o.base, name)
}

// ReadDir lists a folder; the top level lists the mounts too.
func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	if m, rest, ok := o.split(name); ok {
		return fs.ReadDir(m, rest)
	}
	entries, err := fs.ReadDir(o.base, name)
	if name != "." {
		return entries, err
	}
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, 0, len(entries)+len(o.mounts))
	for _, e := range entries {
		if _, hidden := o.mounts[e.Name()]; !hidden {
			out = append(out, e)
		}
	}
	for n := range o.mounts {
		out = append(out, mountEntry(n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// mountEntry is a mount as a folder of the top level.
type mountEntry string

func (m mountEntry) Name() string               { return string(m) }
func (m mountEntry) IsDir() bool                { return true }
func (m mountEntry) Type() fs.FileMode          { return fs.ModeDir }
func (m mountEntry) Info() (fs.FileInfo, error) { return mountInfo(m), nil }

type mountInfo string

func (m mountInfo) Name() string       { return string(m) }
func (m mountInfo) Size() int64        { return 0 }
func (m mountInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (m mountInfo) ModTime() time.Time { return time.Time{} }
func (m mountInfo) IsDir() bool        { return true }
func (m mountInfo) Sys() any           { return nil }
