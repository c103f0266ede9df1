package suite

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/server"
	"github.com/standin/standin/standintest"
)

// writesAnyway does every write of the readonly token with the admin
// token first, then answers the readonly token's request as it is (a
// refusal): a target that checks the permission after writing.
func writesAnyway(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Header.Get("Authorization") == "Bearer "+standintest.ReadonlyToken {
			data, _ := io.ReadAll(r.Body)
			done := r.Clone(r.Context())
			done.Body = io.NopCloser(bytes.NewReader(data))
			done.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
			h.ServeHTTP(httptest.NewRecorder(), done)
			r.Body = io.NopCloser(bytes.NewReader(data))
		}
		h.ServeHTTP(w, r)
	})
}

// TestRESTRoleWrites: rest-role-writes against the petstore served by
// the mock's own --spec (reads need READ, writes WRITE): the readonly
// role is refused every write it lists (403, the contract's default
// answer) and nothing changes; against a target that does the write
// before refusing it, each write fails, read back.
func TestRESTRoleWrites(t *testing.T) {
	spec := filepath.Join("..", "internal", "rest", "testdata", "petstore.yaml")
	writes := []string{"createPet", "replacePet", "updatePet", "deletePet"}
	for _, tc := range []struct {
		name string
		wrap func(http.Handler) http.Handler
		fail bool
	}{{"refused", nil, false}, {"done anyway", writesAnyway, true}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Specs = config.List{spec}
			srv, err := server.New(cfg, server.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var h http.Handler = srv
			if tc.wrap != nil {
				h = tc.wrap(h)
			}
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			ccfg := conform.Config{Destructive: true, Timeout: manifest.Duration(10 * time.Second), APIs: map[string]conform.APIConfig{
				"petstore": {BaseURL: ts.URL, Token: standintest.AdminToken, Spec: spec,
					IDs:   map[string]conform.IDList{"petId": {"1"}},
					Reset: &conform.ResetHook{URL: ts.URL + "/__standin/reset"},
					Roles: []conform.Role{{Name: "readonly", Token: standintest.ReadonlyToken, Refuse: writes}}},
			}}
			if err := ccfg.Validate(); err != nil {
				t.Fatal(err)
			}
			env, err := engine.NewEnv(ccfg, Queries())
			if err != nil {
				t.Fatal(err)
			}
			results := engine.RunCases(env, engine.Plan(env, checksNamed(t, "rest-role-writes")))
			if len(results) != len(writes) {
				t.Fatalf("%d results, want one per write: %s", len(results), engine.Summary(results))
			}
			failed := engine.Failed(results)
			if !tc.fail {
				for _, r := range failed {
					t.Errorf("unexpected failure:\n%s", report.Failure(r))
				}
				if p, _, _ := engine.Counts(results); p != len(writes) {
					t.Errorf("want every write refused: %s", engine.Summary(results))
				}
				return
			}
			if len(failed) != len(writes) {
				t.Errorf("want every write caught, got %s", engine.Summary(results))
			}
			for _, r := range failed {
				if text := report.Failure(r); !strings.Contains(text, "changed the record") && !strings.Contains(text, "answers 404, 200 before") {
					t.Errorf("the failure does not say the refused write changed the record:\n%s", text)
				}
			}
		})
	}
}
