package server

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/startup"
)

// StartingMessage is the message of an API's 503 while the data is built.
const StartingMessage = "The mock is starting: its data is being built. Retry shortly."

// Starting returns how the startup gate refuses API requests while New
// builds the data: 503 with Retry-After, in each API's own error shape
// (its 503 template, or its 500 template's body with status 503). It reads
// only the manifests and the paths of the OpenAPI documents, so it is ready
// long before the data. With Options.Progress it also sets the number of
// records to build, so readiness can tell the total at once.
func Starting(cfg config.Config, opts Options) (startup.Unavailable, error) {
	opts = withDefaults(cfg, opts)
	all, err := manifest.LoadAll(opts.Specs)
	if err != nil {
		return nil, err
	}
	var apis []startingAPI
	var enabled []*manifest.API
	counts := map[string]int{}
	for _, a := range all {
		ac := cfg.APIs[a.Name]
		if !ac.On() {
			continue
		}
		enabled = append(enabled, a)
		for col, n := range ac.Counts {
			counts[manifest.StoreName(a.Name, col)] = n
		}
		if ac.Prefix != "" {
			a.Prefix = ac.Prefix
		}
		sa := startingAPI{m: unavailableShape(a)}
		if a.GraphQL != nil {
			sa.gqlPath = a.Prefix + a.GraphQL.Path
		}
		if a.REST != nil {
			tmpls, err := openAPIPaths(opts.Specs, path.Join(a.Dir, a.REST.Spec), newSpecFiles(cfg.SpecsDir, opts.Specs, nil).options())
			if err != nil {
				return nil, err
			}
			for _, t := range tmpls {
				sa.templates = append(sa.templates, strings.Split(strings.Trim(a.Prefix+t, "/"), "/"))
			}
		}
		apis = append(apis, sa)
	}
	if opts.Progress != nil {
		opts.Progress.SetTotal(plannedRecords(enabled, counts))
	}
	return func(w http.ResponseWriter, r *http.Request, retryAfter int) bool {
		for _, a := range apis {
			graphql := a.gqlPath != "" && r.URL.Path == a.gqlPath
			if !graphql && !a.matches(r.URL.Path) {
				continue
			}
			p := render.Problem{Status: http.StatusServiceUnavailable, Headers: map[string]string{"Retry-After": strconv.Itoa(retryAfter)}}
			if graphql {
				render.GraphQL(w, a.m, p)
			} else {
				render.REST(w, a.m, p)
			}
			return true
		}
		return false
	}, nil
}

// startingAPI is what the gate knows of an API before it is built.
type startingAPI struct {
	m         *manifest.API
	gqlPath   string
	templates [][]string // path segments; {name} matches any one segment
}

func (a startingAPI) matches(p string) bool {
	segs := strings.Split(strings.Trim(p, "/"), "/")
next:
	for _, t := range a.templates {
		if len(t) != len(segs) {
			continue
		}
		for i, ts := range t {
			if open := strings.IndexByte(ts, '{'); open >= 0 {
				if !strings.HasPrefix(segs[i], ts[:open]) {
					continue next
				}
				continue
			}
			if ts != segs[i] {
				continue next
			}
		}
		return true
	}
	return false
}

// unavailableShape returns a copy of the manifest whose 503 error is the
// API's own: its 503 template if it has one, else its 500 template's body.
func unavailableShape(a *manifest.API) *manifest.API {
	c := *a
	c.Errors = make(map[int]manifest.ErrorShape, len(a.Errors)+1)
	for k, v := range a.Errors {
		c.Errors[k] = v
	}
	if _, ok := c.Errors[http.StatusServiceUnavailable]; !ok {
		shape := a.Error(http.StatusInternalServerError)
		shape.Code = "service_unavailable"
		if shape.GraphQLCode != "" {
			shape.GraphQLCode = "SERVICE_UNAVAILABLE"
		}
		c.Errors[http.StatusServiceUnavailable] = shape
	}
	s := c.Errors[http.StatusServiceUnavailable]
	s.Message = StartingMessage
	c.Errors[http.StatusServiceUnavailable] = s
	return &c
}

// openAPIPaths reads the path templates of an OpenAPI document without
// loading it whole (read as the contract layer reads it: a regular file
// within the size cap).
func openAPIPaths(fsys fs.FS, file string, files source.Options) ([]string, error) {
	data, err := source.ReadFS(fsys, file, files.Display(file), files.MaxBytes)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		out = append(out, p)
	}
	return out, nil
}

// plannedRecords is how many records the generators will make: each
// collection's generate.count, or the configured count.
func plannedRecords(apis []*manifest.API, counts map[string]int) int {
	total := 0
	for _, a := range apis {
		for _, c := range a.Collections {
			n := 0
			if c.Generate != nil && len(c.Generate.Fields) > 0 {
				n = c.Generate.Count
			}
			if v, ok := counts[manifest.StoreName(a.Name, c.Name)]; ok && c.Generate != nil && len(c.Generate.Fields) > 0 {
				n = v
			}
			total += n
		}
	}
	return total
}
