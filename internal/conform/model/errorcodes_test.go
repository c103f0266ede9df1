package model

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// TestErrorCodePromises reads the bundled SDLs' promises: the marketplace
// schema says every error carries extensions.code, the admin schema does
// not (it names BAD_USER_INPUT only for allClients' arguments).
func TestErrorCodePromises(t *testing.T) {
	apis, err := LoadBundled(map[string]bool{"admin": true, "marketplace": true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, a := range apis {
		got[a.Name] = a.ErrorsCarryCodes()
	}
	if !got["marketplace"] || got["admin"] {
		t.Errorf("ErrorsCarryCodes: %v, want marketplace only", got)
	}
	for _, tc := range []struct {
		doc  string
		want bool
	}{
		{"`first` and `last` together, or a value out of range, is a BAD_USER_INPUT error.", true},
		{"yields null with an error whose `extensions.code` is FORBIDDEN", true},
		{"Return at most this many clients (0-100).", false},
		{"A permission error yields null.", false},
	} {
		if got := FieldNamesErrorCode(&ast.FieldDefinition{Description: tc.doc}); got != tc.want {
			t.Errorf("FieldNamesErrorCode(%q) = %v", tc.doc, got)
		}
	}
}
