// Package reload watches the mock's folders on disk (--watch) and reloads
// what changed: a change under the scenarios folder reloads the scenarios
// alone, in place, keeping sticky choices; a change to specs, manifests or
// fixtures rebuilds the whole server and swaps it in. A file that fails to
// load leaves the running state as it was and is logged with its file and
// line. Changes are debounced, so an editor's save (write, rename, chmod) is
// one reload.
//
// Folders are watched recursively with fsnotify; folders created later are
// added as they appear. A contract file served with --spec is watched
// through its folder (an editor's save may replace the file): a change to
// it, or to a YAML, JSON or SDL file beside it (a document it refers to),
// rebuilds the server as a change to specs does. Hidden files and editor backups (.x, x~, .swp) do
// not trigger a reload.
package reload

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Kind names what a folder holds.
type Kind string

// The kinds of watched folders.
const (
	Scenarios Kind = "scenarios"
	Fixtures  Kind = "fixtures"
	Specs     Kind = "specs"
	// Spec is one contract file (--spec), not a folder.
	Spec Kind = "spec"
)

// DefaultDebounce is how long the watcher waits after the last change before
// reloading.
const DefaultDebounce = 150 * time.Millisecond

// Dir is one watched folder (for Kind Spec, one file).
type Dir struct {
	Kind Kind
	Path string
}

// Options configure Watch.
type Options struct {
	Dirs []Dir
	// Debounce is the quiet time before a reload (DefaultDebounce if 0).
	Debounce time.Duration
	// Logger receives the reloads and their errors.
	Logger *slog.Logger
	// Scenarios reloads the scenarios alone; All rebuilds everything.
	Scenarios func() error
	All       func() error
	// Observed, when set, is told of each reload: its kind ("scenarios" or
	// "all"), the files that changed (relative to their folder) and its
	// error.
	Observed func(kind string, files []string, err error)
}

// Watcher watches until Close.
type Watcher struct {
	fsw  *fsnotify.Watcher
	opts Options
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
}

// Watch starts watching opts.Dirs. It fails when a folder cannot be watched.
func Watch(opts Options) (*Watcher, error) {
	if len(opts.Dirs) == 0 {
		return nil, errors.New("reload: no folder to watch (set specsDir, fixturesDir or scenariosDir)")
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("reload: %w", err)
	}
	w := &Watcher{fsw: fsw, opts: opts, stop: make(chan struct{})}
	for _, d := range opts.Dirs {
		var err error
		if d.Kind == Spec {
			err = w.addFileDir(d.Path)
		} else {
			err = w.addTree(d.Path)
		}
		if err != nil {
			_ = fsw.Close()
			return nil, err
		}
	}
	w.done.Add(1)
	go w.loop()
	return w, nil
}

// Close stops watching and waits for a reload under way to finish.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.stop)
		err = w.fsw.Close()
		w.done.Wait()
	})
	return err
}

// addTree watches a folder and every folder below it.
func (w *Watcher) addTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reload: watch %s: %w", p, err)
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && ignored(d.Name()) {
			return filepath.SkipDir
		}
		if err := w.fsw.Add(p); err != nil {
			return fmt.Errorf("reload: watch %s: %w", p, err)
		}
		return nil
	})
}

// addFileDir watches the folder of a file (not below it): the file may
// be replaced rather than written, and documents beside it may be part of
// it.
func (w *Watcher) addFileDir(file string) error {
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("reload: watch %s: %w", file, err)
	}
	if st.IsDir() {
		return fmt.Errorf("reload: watch %s: a folder, not a contract file", file)
	}
	dir := filepath.Dir(file)
	if slices.Contains(w.fsw.WatchList(), dir) {
		return nil
	}
	if err := w.fsw.Add(dir); err != nil {
		return fmt.Errorf("reload: watch %s: %w", dir, err)
	}
	return nil
}

// contractFile reports whether a file beside a --spec file may be part of
// its contract: a YAML, JSON or GraphQL SDL file.
func contractFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json", ".graphql", ".graphqls", ".gql":
		return true
	}
	return false
}

// ignored reports names that never trigger a reload: hidden files and
// editor backups.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasPrefix(name, "#")
}

// kindOf returns the watched folder a path is in, and the path relative to
// it.
func (w *Watcher) kindOf(p string) (Kind, string, bool) {
	for _, d := range w.opts.Dirs {
		if d.Kind != Spec {
			continue
		}
		if filepath.Clean(p) == filepath.Clean(d.Path) || filepath.Dir(p) == filepath.Dir(filepath.Clean(d.Path)) && contractFile(p) {
			return Spec, filepath.ToSlash(p), true
		}
	}
	for _, d := range w.opts.Dirs {
		if d.Kind == Spec {
			continue
		}
		rel, err := filepath.Rel(d.Path, p)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return d.Kind, filepath.ToSlash(rel), true
		}
	}
	return "", "", false
}

func (w *Watcher) loop() {
	defer w.done.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	pending := map[Kind][]string{}
	for {
		select {
		case <-w.stop:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ignored(filepath.Base(ev.Name)) {
				continue
			}
			kind, rel, ok := w.kindOf(ev.Name)
			if !ok {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					if err := w.addTree(ev.Name); err != nil {
						w.opts.Logger.Warn("reload: cannot watch a new folder", "err", err)
					}
				}
			}
			if !slices.Contains(pending[kind], rel) {
				pending[kind] = append(pending[kind], rel)
			}
			timer.Reset(w.opts.Debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.opts.Logger.Warn("reload: watch error", "err", err)
		case <-timer.C:
			w.apply(pending)
			pending = map[Kind][]string{}
		}
	}
}

// apply reloads for one batch of changes: the scenarios alone when nothing
// else changed, everything otherwise.
func (w *Watcher) apply(pending map[Kind][]string) {
	if len(pending) == 0 {
		return
	}
	var files []string
	for _, k := range []Kind{Spec, Specs, Fixtures, Scenarios} {
		for _, f := range pending[k] {
			files = append(files, string(k)+":"+f)
		}
	}
	kind, run := "all", w.opts.All
	if _, ok := pending[Scenarios]; ok && len(pending) == 1 {
		kind, run = "scenarios", w.opts.Scenarios
	}
	if run == nil {
		return
	}
	began := time.Now()
	err := run()
	if w.opts.Observed != nil {
		w.opts.Observed(kind, files, err)
	}
	if err != nil {
		w.opts.Logger.Error("reload failed; the running state is kept", "kind", kind, "files", strings.Join(files, ","), "err", err)
		return
	}
	w.opts.Logger.Info("reloaded", "kind", kind, "files", strings.Join(files, ","), "duration", time.Since(began))
}
