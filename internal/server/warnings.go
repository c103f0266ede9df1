package server

// What of the user's files is not served as written.

import (
	"fmt"
	"slices"

	"github.com/standin/standin/internal/contract/diag"
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

// addWarnings keeps warnings, each once.
func (s *Server) addWarnings(ws ...warning) {
	for _, w := range ws {
		if !slices.ContainsFunc(s.warnings, func(o warning) bool { return o.d == w.d }) {
			s.warnings = append(s.warnings, w)
		}
	}
}
