package server

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/diag"
	contractsrc "github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/specinfer"
)

// extraAPIs are the APIs served beside the bundled ones: the user's own
// specs (--spec, inferred by package specinfer) and the api.yaml folders
// of --apis-dir. Each brings its files as mounts: folders that appear in
// the specs, fixtures and scenarios file systems under a name of its own,
// so every other stage reads them like bundled files.
type extraAPIs struct {
	apis      []*manifest.API
	source    map[string]string // API name → where it comes from, for errors
	specs     map[string]fs.FS
	fixtures  map[string]fs.FS
	scenarios map[string]fs.FS
	// dirs are the folders on disk of the spec mounts, naming their files
	// in diagnostics.
	dirs     map[string]string
	warnings []warning
}

// mountName is an extra API's folder in the specs and fixtures file
// systems: "+" keeps it apart from every bundled folder.
func mountName(api string) string { return "+" + api }

// loadExtra reads cfg.Specs and cfg.APIsDirs. bundled are the manifests
// already loaded, so that a name taken twice is an error naming both.
func loadExtra(cfg config.Config, bundled []*manifest.API) (*extraAPIs, error) {
	x := &extraAPIs{source: map[string]string{}, specs: map[string]fs.FS{}, fixtures: map[string]fs.FS{}, scenarios: map[string]fs.FS{}, dirs: map[string]string{}}
	for _, a := range bundled {
		x.source[a.Name] = "the bundled specs/" + a.Dir
	}
	var errs []error
	for _, v := range cfg.Specs {
		if err := x.addSpec(v, cfg.Seed); err != nil {
			errs = append(errs, err)
		}
	}
	for _, dir := range cfg.APIsDirs {
		if err := x.addDir(dir); err != nil {
			errs = append(errs, err)
		}
	}
	return x, errors.Join(errs...)
}

func (x *extraAPIs) claim(name, source string) error {
	if other, ok := x.source[name]; ok {
		return fmt.Errorf("API name %q of %s is taken by %s: give it another (--spec OTHER=FILE, or name: in its api.yaml)", name, source, other)
	}
	x.source[name] = source
	return nil
}

// addSpec infers an API from one --spec value.
func (x *extraAPIs) addSpec(v string, seed uint64) error {
	name, file := config.SplitSpec(v)
	if name == "" {
		name = specinfer.Name(file)
	}
	source := "--spec " + v
	// read as every user file is: a regular file within the size cap,
	// checked before it is opened (a FIFO never blocks start-up)
	data, err := contractsrc.ReadFile(file, 0)
	if err != nil {
		return err
	}
	dir, base := filepath.Dir(file), filepath.Base(file)
	fsys := os.DirFS(dir)
	files := contractsrc.Options{Dir: dir}
	if dir == "." {
		files.Dir = ""
	}
	var in *specinfer.Inferred
	switch contractsrc.Detect(base, data) {
	case contractsrc.KindOpenAPI, contractsrc.KindSwagger:
		in, err = specinfer.OpenAPI(name, fsys, base, specinfer.Options{Seed: seed, Files: files})
	case contractsrc.KindGraphQL:
		in, err = specinfer.GraphQL(name, fsys, base, specinfer.Options{Seed: seed, Files: files})
	default:
		return diag.Errorf(diag.CodeNotContract, file, `neither an OpenAPI document (no "openapi: 3.x" or "swagger: \"2.0\"" key) nor a GraphQL SDL`)
	}
	if err != nil {
		var el *diag.ErrorList
		if errors.As(err, &el) {
			return err // it names the file and the place
		}
		return fmt.Errorf("%s: %w", source, err)
	}
	if err := x.claim(in.API.Name, source); err != nil {
		return err
	}
	fixtures := fstest.MapFS{}
	for f, body := range in.Fixtures {
		fixtures[f] = &fstest.MapFile{Data: body, Mode: 0o444, ModTime: time.Time{}}
	}
	x.mount(in.API, fsys, ".", fixtures, specinfer.Scenarios())
	x.dirs[mountName(in.API.Name)] = dir
	for _, d := range in.Loaded {
		x.warnings = append(x.warnings, warning{api: in.API.Name, file: file, d: d})
	}
	for _, d := range in.Diagnostics {
		x.warnings = append(x.warnings, warning{api: in.API.Name, file: file, d: d})
	}
	return nil
}

// mount gives an API its folders and points its manifest at them: specs
// is the folder of its spec files (for --apis-dir, the whole folder given,
// with the API's in sub, so that a spec may be shared: rest.spec
// ../petstore.yaml).
func (x *extraAPIs) mount(a *manifest.API, specs fs.FS, sub string, fixtures, scenarios fs.FS) {
	m := mountName(a.Name)
	a.Dir = path.Join(m, sub)
	x.specs[m] = specs
	if fixtures != nil {
		x.fixtures[m] = fixtures
		for i := range a.Collections {
			if f := a.Collections[i].Fixtures; f != "" {
				a.Collections[i].Fixtures = path.Join(m, strings.TrimPrefix(f, "fixtures/"))
			}
		}
	}
	if scenarios != nil {
		x.scenarios[a.Name] = scenarios
	}
	x.apis = append(x.apis, a)
}

// codeNotServed is the code of a warning about files not served.
const codeNotServed diag.Code = "not-served"

// specFile matches the contract files a folder may hold.
var specFile = regexp.MustCompile(`(?i)\.(ya?ml|json|graphqls?|gql|sdl)$`)

// addDir adds the api.yaml folders of one --apis-dir folder. A folder with
// contract files but no api.yaml is not served: a warning says so.
func (x *extraAPIs) addDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("--apis-dir %s: %w", dir, err)
	}
	root := os.DirFS(dir)
	x.warnings = append(x.warnings, unservedSpecs(root, dir, "--apis-dir")...)
	served := 0
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(sub, manifest.FileName)); err != nil {
			continue
		}
		a, err := manifest.Load(root, e.Name())
		if err != nil {
			errs = append(errs, fmt.Errorf("--apis-dir %s: %w", dir, err))
			continue
		}
		a.Source = filepath.Join(dir, a.Source)
		if err := x.claim(a.Name, sub); err != nil {
			errs = append(errs, err)
			continue
		}
		var fixtures, scenarios fs.FS
		if st, err := os.Stat(filepath.Join(sub, "fixtures")); err == nil && st.IsDir() {
			fixtures = os.DirFS(filepath.Join(sub, "fixtures"))
		}
		if st, err := os.Stat(filepath.Join(sub, "scenarios")); err == nil && st.IsDir() {
			scenarios = os.DirFS(filepath.Join(sub, "scenarios"))
		} else {
			scenarios = specinfer.Scenarios()
		}
		x.mount(a, root, e.Name(), fixtures, scenarios)
		x.dirs[mountName(a.Name)] = dir
		served++
	}
	if served == 0 && len(errs) == 0 {
		x.warnings = append(x.warnings, warning{d: diag.Diagnostic{Code: codeNotServed, Severity: diag.Warning,
			Message: fmt.Sprintf("--apis-dir %s: no folder with an %s in it; nothing served from there", dir, manifest.FileName)}})
	}
	return errors.Join(errs...)
}

// unservedSpecs names the contract files of a specs folder (fsys, shown
// as dir) that no manifest serves: files at its top, and files in
// sub-folders without an api.yaml. what names the option the folder came
// from.
func unservedSpecs(fsys fs.FS, dir, what string) []warning {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil
	}
	var out []warning
	notServed := func(file, format string, args ...any) {
		out = append(out, warning{d: diag.Diagnostic{Code: codeNotServed, Severity: diag.Warning, File: file, Message: fmt.Sprintf(format, args...)}})
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			if specFile.MatchString(name) {
				notServed(filepath.Join(dir, name), "not served: %s takes folders with an %s each; serve a lone spec with --spec %s",
					what, manifest.FileName, filepath.Join(dir, name))
			}
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(name, manifest.FileName)); err == nil {
			continue
		}
		var found []string
		subEntries, _ := fs.ReadDir(fsys, name)
		for _, se := range subEntries {
			if !se.IsDir() && specFile.MatchString(se.Name()) {
				found = append(found, se.Name())
			}
		}
		if len(found) > 0 {
			sub := filepath.Join(dir, name)
			notServed(sub, "not served: it has %s but no %s; add one, or serve the spec alone with --spec %s",
				strings.Join(found, ", "), manifest.FileName, filepath.Join(sub, found[0]))
		}
	}
	return out
}

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

var paramSegment = regexp.MustCompile(`\{[^}]*\}`)

// checkPaths refuses two APIs serving the same path: the same template
// once parameters are unnamed (/pets/{id} is /pets/{petId}), whatever the
// methods. The error names both APIs and both templates.
func checkPaths(apis []*apiRuntime) error {
	type owner struct{ api, path string }
	seen := map[string]owner{}
	var errs []error
	for _, a := range apis {
		mine := map[string]bool{}
		for _, mp := range a.paths {
			_, p, _ := strings.Cut(mp, " ")
			key := paramSegment.ReplaceAllString(p, "{}")
			if mine[key] {
				continue
			}
			mine[key] = true
			if o, ok := seen[key]; ok && o.api != a.m.Name {
				errs = append(errs, fmt.Errorf("path %s of API %s collides with path %s of API %s: mount one under a prefix (apis.%s.prefix in the config) or turn one off", p, a.m.Name, o.path, o.api, a.m.Name))
				continue
			}
			seen[key] = owner{a.m.Name, p}
		}
	}
	return errors.Join(errs...)
}
