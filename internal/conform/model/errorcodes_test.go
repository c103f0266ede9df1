package model

import "testing"

// TestErrorCodePromises reads the bundled SDLs' promises: the marketplace
// schema says every error carries extensions.code, the admin schema does
// not.
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
}
