package auth

import (
	"net/http/httptest"
	"testing"

	"github.com/standin/standin/internal/manifest"
)

// FuzzParse feeds arbitrary bytes as a credentials file and an arbitrary
// Authorization header: nothing panics, and an accepted file's tokens are
// found again by their own text.
func FuzzParse(f *testing.F) {
	f.Add([]byte(creds), "Bearer admin")
	f.Add([]byte("tokens: []\n"), "bearer ")
	f.Fuzz(func(t *testing.T, data []byte, header string) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		for _, p := range c.List() {
			if got, ok := c.Lookup(p.Token); !ok || got != p {
				t.Fatalf("token %q not found again", p.Token)
			}
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Authorization"] = []string{header}
		_, _ = c.Authenticate(r, manifest.Auth{Bearer: true, APIKeyHeader: "X-API-Key"})
	})
}
