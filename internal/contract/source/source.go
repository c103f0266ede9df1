// Package source reads contract files as the project reads every user
// file: a regular file only (a FIFO, a device or a directory is refused
// before it is opened, so a FIFO with no writer never blocks start-up),
// at most MaxBytes, every failure a diagnostic naming the file. It also
// tells the kinds of contract apart (Detect), reading the whole document.
package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/standin/standin/internal/contract/diag"
)

// Options say how contract files are read and named.
type Options struct {
	// Dir is the folder a file system stands for, as the user names it: a
	// file f of it is named Dir/f in diagnostics. "" names files as in the
	// file system.
	Dir string
	// MaxBytes caps each file read (0: DefaultMaxBytes).
	MaxBytes int64
	// Name, when set, names a file of the file system in diagnostics
	// instead of Dir (for a file system made of several folders).
	Name func(file string) string
}

// Display names a file of the file system as the user knows it.
func (o Options) Display(file string) string {
	if o.Name != nil {
		return o.Name(file)
	}
	if o.Dir == "" {
		return file
	}
	return filepath.ToSlash(filepath.Join(o.Dir, file))
}

// Split is the file system and file name of a path of the operating
// system, with the options naming files as the path does: the file's
// folder is the file system.
func (o Options) Split(file string) (fs.FS, string, Options) {
	dir, base := filepath.Split(file)
	if o.Dir == "" {
		if d := filepath.Clean(dir); dir != "" && d != "." {
			o.Dir = d
		}
	}
	if dir == "" {
		dir = "."
	}
	return os.DirFS(dir), base, o
}

// DefaultMaxBytes caps the size of one contract file: 64 MiB, room for the
// largest public descriptions (GitHub's REST description is 13 MB).
const DefaultMaxBytes = 64 << 20

// ReadFile reads a file of the operating system: a regular file of at
// most max bytes (0: DefaultMaxBytes). The path is checked before it is
// opened. Failures are *diag.ErrorList naming path.
func ReadFile(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, unreadable(path, err)
	}
	if err := check(path, st, max); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unreadable(path, err)
	}
	defer f.Close()
	return readAll(path, f, max, st.Size())
}

// ReadFS reads name from fsys as ReadFile reads a path: the file is
// stat'ed first (fs.Stat), then read up to max bytes (0:
// DefaultMaxBytes). display is the file as the user names it, for the
// diagnostics ("" is name).
func ReadFS(fsys fs.FS, name, display string, max int64) ([]byte, error) {
	if display == "" {
		display = name
	}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, unreadable(display, err)
	}
	if err := check(display, st, max); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, unreadable(display, err)
	}
	defer f.Close()
	return readAll(display, f, max, st.Size())
}

func limit(max int64) int64 {
	if max <= 0 {
		return DefaultMaxBytes
	}
	return max
}

// check refuses what is not a regular file, or is larger than max.
func check(display string, st fs.FileInfo, max int64) error {
	if m := st.Mode(); !m.IsRegular() {
		kind := "a special file"
		switch {
		case m.IsDir():
			kind = "a directory"
		case m&fs.ModeDevice != 0:
			kind = "a device"
		case m&fs.ModeNamedPipe != 0:
			kind = "a named pipe"
		case m&fs.ModeSocket != 0:
			kind = "a socket"
		}
		return &diag.ErrorList{List: diag.List{{Code: diag.CodeNotRegular, Severity: diag.Error, File: display,
			Message: kind + ", not a regular file", Fix: "give the path of the contract file itself"}}}
	}
	if max := limit(max); st.Size() > max {
		return tooLarge(display, fmt.Sprintf("%d bytes", st.Size()), max)
	}
	return nil
}

// readAll reads at most max bytes, refusing a file that grew past it
// while read. size is the file's size when it was checked: the buffer is
// made that large at once (io.ReadAll's growing by doubling copied GitHub's
// 13 MB description about twenty times).
func readAll(display string, r io.Reader, max, size int64) ([]byte, error) {
	max = limit(max)
	lr := io.LimitReader(r, max+1)
	if size < 0 {
		size = 0
	}
	data := make([]byte, 0, min(size, max)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown: the file was written to
		}
		n, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, unreadable(display, err)
		}
	}
	if int64(len(data)) > max {
		return nil, tooLarge(display, "grown while read", max)
	}
	return data, nil
}

func tooLarge(display, size string, max int64) error {
	return &diag.ErrorList{List: diag.List{{Code: diag.CodeTooLarge, Severity: diag.Error, File: display,
		Message: fmt.Sprintf("%s, larger than the maximum of %d bytes", size, max)}}}
}

func unreadable(display string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is the diagnostic's file
	}
	return &diag.ErrorList{List: diag.List{{Code: diag.CodeUnreadable, Severity: diag.Error, File: display, Message: err.Error()}}}
}
