package server

// What of the user's files is not served as written.

import (
	"fmt"
	"path"
	"slices"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/specinfer"
)

// warning is something of the user's files that is not served as
// written: a diagnostic and, for an API served from a lone spec, the API
// and the spec's path as given.
type warning struct {
	api, file string
	d         diag.Diagnostic
}

// String is the warning as the start-up summary prints it: the
// diagnostic, or "API (file:line:col): message" for an API's.
func (w warning) String() string {
	if w.api == "" {
		return w.d.String()
	}
	place := w.d.Place()
	if place == "" {
		place = w.file
	}
	text := w.d
	text.File = ""
	return fmt.Sprintf("%s (%s): %s", w.api, place, text.String())
}

// Warnings lists what of the user's specs and API folders is not served
// as written, and why, as the start-up summary prints it.
func (s *Server) Warnings() []string {
	out := make([]string, len(s.warnings))
	for i, w := range s.warnings {
		out[i] = w.String()
	}
	return out
}

// Diagnostics are the warnings as diagnostics (code, severity, place,
// pointer, message, fix).
func (s *Server) Diagnostics() diag.List {
	out := make(diag.List, len(s.warnings))
	for i, w := range s.warnings {
		out[i] = w.d
		if out[i].File == "" {
			out[i].File = w.file
		}
	}
	return out
}

// apiDiagnostics are the warnings about one API's files, as Diagnostics
// gives them.
func (s *Server) apiDiagnostics(api string) diag.List {
	var out diag.List
	for _, w := range s.warnings {
		if w.api == api {
			d := w.d
			if d.File == "" {
				d.File = w.file
			}
			out = append(out, d)
		}
	}
	return out
}

// addWarnings keeps warnings, each once.
func (s *Server) addWarnings(ws ...warning) {
	if s.warned == nil {
		s.warned = map[diag.Diagnostic]bool{}
	}
	for _, w := range ws {
		if !s.warned[w.d] {
			s.warned[w.d] = true
			s.warnings = append(s.warnings, w)
		}
	}
}

// kindNames name the kinds of warnings in the start-up summary, by code.
var kindNames = map[diag.Code]string{
	diag.CodeInvalidExample:      "invalid examples",
	diag.CodeExampleWithoutValue: "examples without a value",
	diag.CodeInvalidDocument:     "places that break the OpenAPI specification (served as read)",
	diag.CodeUnsatisfiableSchema: "request bodies no value matches (checked against a relaxed schema, else by their properties' schemas, else accepted unchecked)",
	diag.CodeNotServed:           "things described and not served (webhooks, callbacks, links, operations)",
	diag.CodeConverted:           "conversions",
	specinfer.CodeCollection:     "paths not served as a collection",
	specinfer.CodeOperation:      "operations answered from the spec's examples or schema",
	specinfer.CodeShape:          "answer fields the records cannot fill",
	specinfer.CodeCreate:         "creates that need more than the request schema",
	specinfer.CodeExample:        "example records left out",
	specinfer.CodeSecurity:       "security notes",
	specinfer.CodeRules:          "generated fields left out",
	specinfer.CodeGraphQL:        "SDL parts not inferred",
}

// maxFirst bounds the first warning of a group as the summary prints it.
const maxFirst = 240

// clip cuts s to at most n characters, with "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// groupShown is the size up to which a group of warnings is printed whole
// in the start-up summary; a larger one is counted, with its first.
const groupShown = 3

// warningLines are the warnings as the start-up summary prints them:
// grouped by API and kind (code), in the order of their first; a group of
// up to groupShown is printed whole, a larger one as its count and its
// first ("262 invalid examples (first: file:line:col: … (at /paths/…))").
func (s *Server) warningLines() []string {
	type group struct {
		api  string
		code diag.Code
		ws   []warning
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, w := range s.warnings {
		k := w.api + "\x00" + string(w.d.Code)
		g := byKey[k]
		if g == nil {
			g = &group{api: w.api, code: w.d.Code}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.ws = append(g.ws, w)
	}
	var out []string
	for _, g := range groups {
		if len(g.ws) <= groupShown {
			for _, w := range g.ws {
				out = append(out, w.String())
			}
			continue
		}
		kind := kindNames[g.code]
		if kind == "" {
			kind = "warnings " + string(g.code)
		}
		who := ""
		if g.api != "" {
			who = g.api + ": "
		}
		first := g.ws[0]
		first.api = ""
		if first.d.File == "" {
			first.d.File = first.file
		}
		out = append(out, fmt.Sprintf("%s%d %s (first: %s)", who, len(g.ws), kind, clip(first.String(), maxFirst)))
	}
	return out
}

// engineWarnings are a REST engine's warnings about an API's document,
// each named by the API and placed in the document by its pointer.
func (s *Server) engineWarnings(a *manifest.API, opts Options, list diag.List) []warning {
	if len(list) == 0 {
		return nil
	}
	file := path.Join(a.Dir, a.REST.Spec)
	list = slices.Clone(list)
	for i := range list {
		// an origin the loader recorded names the document as it was
		// read: name it as the user finds it
		if d := &list[i]; d.File != "" && path.Base(d.File) == path.Base(file) {
			d.File = opts.files.name(file)
		}
	}
	openapi.Place(opts.Specs, file, opts.files.options(), list)
	out := make([]warning, len(list))
	for i, d := range list {
		out[i] = warning{api: a.Name, file: opts.files.name(file), d: d}
	}
	return out
}
