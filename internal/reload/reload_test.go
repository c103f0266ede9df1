package reload

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type calls struct {
	mu  sync.Mutex
	got []string // "kind files error"
	ch  chan struct{}
}

func (c *calls) observe(kind string, files []string, err error) {
	c.mu.Lock()
	e := ""
	if err != nil {
		e = err.Error()
	}
	c.got = append(c.got, kind+" "+filepath.ToSlash(slices.Sorted(slices.Values(files))[0])+" "+e)
	c.mu.Unlock()
	c.ch <- struct{}{}
}

func (c *calls) wait(t *testing.T) string {
	t.Helper()
	select {
	case <-c.ch:
	case <-time.After(10 * time.Second):
		t.Fatal("no reload within 10s")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got[len(c.got)-1]
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchReloadsWhatChanged(t *testing.T) {
	root := t.TempDir()
	scen, specs := filepath.Join(root, "scenarios"), filepath.Join(root, "specs")
	write(t, filepath.Join(scen, "a", "x.yaml"), "v1")
	write(t, filepath.Join(specs, "a", "api.yaml"), "v1")
	c := &calls{ch: make(chan struct{}, 10)}
	var fail atomic.Bool
	w, err := Watch(Options{
		Dirs:      []Dir{{Scenarios, scen}, {Specs, specs}},
		Debounce:  50 * time.Millisecond,
		Scenarios: func() error { return nil },
		All: func() error {
			if fail.Load() {
				return errors.New("api.yaml:3: broken")
			}
			return nil
		},
		Observed: c.observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	tests := []struct {
		name   string
		change func()
		want   string
	}{
		{"a scenario edited", func() { write(t, filepath.Join(scen, "a", "x.yaml"), "v2") }, "scenarios scenarios:a/x.yaml "},
		{"a manifest edited", func() { write(t, filepath.Join(specs, "a", "api.yaml"), "v2") }, "all specs:a/api.yaml "},
		{"a new folder's file", func() {
			write(t, filepath.Join(scen, "b", "y.yaml"), "v1")
			time.Sleep(100 * time.Millisecond) // the folder is watched once created
			write(t, filepath.Join(scen, "b", "y.yaml"), "v2")
		}, "scenarios scenarios:b "},
		{"a failing reload", func() { fail.Store(true); write(t, filepath.Join(specs, "a", "api.yaml"), "v3") }, "all specs:a/api.yaml api.yaml:3: broken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			if got := c.wait(t); got != tc.want {
				t.Errorf("reload %q, want %q", got, tc.want)
			}
			// Drain the second event of a two-step change.
			select {
			case <-c.ch:
			case <-time.After(200 * time.Millisecond):
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		".x.yaml.swp": true, "x.yaml~": true, ".hidden": true, "#x#": true, "x.swp": true,
		"x.yaml": false, "api.yaml": false, "clients.json": false,
	} {
		if got := ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestWatchNeedsAFolder(t *testing.T) {
	if _, err := Watch(Options{}); err == nil {
		t.Fatal("no error without folders")
	}
	if _, err := Watch(Options{Dirs: []Dir{{Scenarios, filepath.Join(t.TempDir(), "missing")}}}); err == nil {
		t.Fatal("no error for a missing folder")
	}
}

// TestWatchSpecFile: a --spec file is watched through its folder: an edit
// of it, its replacement by a rename (an editor's save) and an edit of a
// document beside it rebuild; other files of the folder do not.
func TestWatchSpecFile(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "petstore.yaml")
	write(t, spec, "v1")
	write(t, filepath.Join(dir, "schemas.yaml"), "v1")
	c := &calls{ch: make(chan struct{}, 10)}
	w, err := Watch(Options{
		Dirs:     []Dir{{Spec, spec}},
		Debounce: 50 * time.Millisecond,
		All:      func() error { return nil },
		Observed: c.observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	slash := filepath.ToSlash
	tests := []struct {
		name   string
		change func()
		want   string
	}{
		{"the file edited", func() { write(t, spec, "v2") }, "all spec:" + slash(spec) + " "},
		{"a note beside it, then the file replaced by a rename", func() {
			write(t, filepath.Join(dir, "notes.txt"), "not a contract")
			write(t, filepath.Join(dir, "petstore.yaml.new"), "v3")
			if err := os.Rename(filepath.Join(dir, "petstore.yaml.new"), spec); err != nil {
				t.Fatal(err)
			}
		}, "all spec:" + slash(spec) + " "},
		{"a document it refers to", func() { write(t, filepath.Join(dir, "schemas.yaml"), "v2") }, "all spec:" + slash(filepath.Join(dir, "schemas.yaml")) + " "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			if got := c.wait(t); got != tc.want {
				t.Errorf("reload %q, want %q", got, tc.want)
			}
			select {
			case got := <-c.ch:
				t.Errorf("a second reload for one change: %v", got)
			case <-time.After(200 * time.Millisecond):
			}
		})
	}
	if _, err := Watch(Options{Dirs: []Dir{{Spec, dir}}}); err == nil {
		t.Error("no error for a folder given as a contract file")
	}
}
