package server

// The user's APIs served beside the bundled ones: --spec (inferred) and
// the api.yaml folders of --apis-dir, each mounted into the specs,
// fixtures and scenarios file systems.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing/fstest"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/openapi"
	contractsrc "github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/specinfer"
	"github.com/standin/standin/internal/usererr"
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
func loadExtra(cfg config.Config, bundled []*manifest.API, docs *contract.Cache) (*extraAPIs, error) {
	x := &extraAPIs{source: map[string]string{}, specs: map[string]fs.FS{}, fixtures: map[string]fs.FS{}, scenarios: map[string]fs.FS{}, dirs: map[string]string{}}
	for _, a := range bundled {
		x.source[a.Name] = "the bundled specs/" + a.Dir
	}
	var errs []error
	for _, v := range cfg.Specs {
		if err := x.addSpec(v, cfg.Seed, docs); err != nil {
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
func (x *extraAPIs) addSpec(v string, seed uint64, docs *contract.Cache) error {
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
	if in.Doc != nil {
		// the stages after inference read the document inferred from
		docs.PutOpenAPI(path.Join(in.API.Dir, in.API.REST.Spec), in.Doc, in.Loaded)
		// inference knows where in the document, not where in the file
		openapi.Place(fsys, base, files, in.Diagnostics)
	}
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
const codeNotServed = diag.CodeNotServed

// specFile matches the contract files a folder may hold.
var specFile = regexp.MustCompile(`(?i)\.(ya?ml|json|graphqls?|gql|sdl)$`)

// addDir adds the api.yaml folders of one --apis-dir folder. A folder with
// contract files but no api.yaml is not served: a warning says so.
func (x *extraAPIs) addDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("--apis-dir %s: %w", dir, err)
	}
	root := usererr.DirFS(dir)
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
		if _, placed := usererr.Find(err); placed {
			errs = append(errs, err) // names the file and place itself
			continue
		} else if err != nil {
			errs = append(errs, fmt.Errorf("--apis-dir %s: %w", dir, err))
			continue
		}
		if err := x.claim(a.Name, sub); err != nil {
			errs = append(errs, err)
			continue
		}
		var fixtures, scenarios fs.FS
		if st, err := os.Stat(filepath.Join(sub, "fixtures")); err == nil && st.IsDir() {
			fixtures = usererr.DirFS(filepath.Join(sub, "fixtures"))
		}
		if st, err := os.Stat(filepath.Join(sub, "scenarios")); err == nil && st.IsDir() {
			scenarios = usererr.DirFS(filepath.Join(sub, "scenarios"))
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
