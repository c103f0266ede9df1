package suite

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/standintest"
)

// withoutErrorCodes drops extensions from the errors of every GraphQL
// answer to a malformed or invalid request (the ones HTTP 400 answers),
// as a server that codes no validation error would.
func withoutErrorCodes(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var m map[string]any
		if strings.HasSuffix(r.URL.Path, "graphql") && json.Unmarshal(body, &m) == nil {
			if errs, ok := m["errors"].([]any); ok {
				for _, e := range errs {
					if em, ok := e.(map[string]any); ok {
						if c, _ := em["extensions"].(map[string]any)["code"].(string); c != "BAD_USER_INPUT" {
							delete(em, "extensions")
						}
					}
				}
				body, _ = json.Marshal(m)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(bytes.Clone(body))
	})
}

// TestErrorCodeOnlyWhereContractPromises: graphql-invalid-input requires
// an extensions.code only where the API's contract promises one. The
// admin SDL promises none for malformed requests or wrong-typed
// variables (only BAD_USER_INPUT for allClients' out-of-range
// arguments), so a target coding none of those passes; the marketplace
// SDL says every error carries a code, so the same target fails there.
func TestErrorCodeOnlyWhereContractPromises(t *testing.T) {
	mock := standintest.Start(t)
	for _, tc := range []struct {
		api  string
		fail bool
	}{{"admin", false}, {"marketplace", true}} {
		t.Run(tc.api, func(t *testing.T) {
			env := envFor(t, mock, []string{tc.api}, withoutErrorCodes)
			results := engine.RunCases(env, engine.Plan(env, checksNamed(t, "graphql-invalid-input")))
			failed := engine.Failed(results)
			if !tc.fail {
				for _, r := range failed {
					t.Errorf("unexpected failure:\n%s", report.Failure(r))
				}
				return
			}
			found := false
			for _, r := range failed {
				found = found || strings.Contains(report.Failure(r), "no error carries extensions.code, which the contract promises")
			}
			if !found {
				t.Errorf("no failure says the promised code is missing: %s", engine.Summary(results))
			}
		})
	}
}
