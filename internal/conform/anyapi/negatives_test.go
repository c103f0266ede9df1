package anyapi

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectWhere200IsDocumented: conform never follows a redirect, so
// a 301 where the contract documents 200 is a failure that says where it
// points, and the redirect's target is never asked.
func TestRedirectWhere200IsDocumented(t *testing.T) {
	spec := thingsSpec("", "", "", false)
	t.Run("correct", func(t *testing.T) {
		passes(t, run(t, spec, thingsServer(anyone, nil)), "rest-success")
	})
	t.Run("defect", func(t *testing.T) {
		var followed atomic.Int32
		things := thingsServer(anyone, nil)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/things": // the canonical path has a trailing slash, says this server
				http.Redirect(w, r, "/things/", http.StatusMovedPermanently)
			case "/things/":
				followed.Add(1)
				r.URL.Path = "/things"
				things.ServeHTTP(w, r)
			default:
				things.ServeHTTP(w, r)
			}
		})
		catches(t, run(t, spec, h), "rest-success", "want HTTP 200, got 301 (a redirect to /things/, not followed")
		if followed.Load() > 0 {
			t.Errorf("the redirect was followed %d times", followed.Load())
		}
	})
}

// TestUnknownIDs: the not-found probe sends an id typed by the
// parameter's schema (a large integer for an int64, never a uuid), so a
// server that answers 400 to a malformed id and 404 to an unknown one
// passes, and one that answers 500 for an unknown id is caught.
func TestUnknownIDs(t *testing.T) {
	spec := thingsSpec("", "", "", false)
	var asked atomic.Value
	correct := thingsServer(anyone, nil)
	watch := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rest, ok := strings.CutPrefix(r.URL.Path, "/things/"); ok && len(rest) > 10 {
				asked.Store(rest)
			}
			h.ServeHTTP(w, r)
		})
	}
	t.Run("correct", func(t *testing.T) {
		passes(t, run(t, spec, watch(correct)), "rest-not-found", "rest-invalid-input")
		id, _ := asked.Load().(string)
		if id == "" || strings.Trim(id, "0123456789") != "" {
			t.Errorf("the unknown id of an int64 parameter was %q, want a large integer", id)
		}
	})
	t.Run("defect", func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rest, ok := strings.CutPrefix(r.URL.Path, "/things/"); ok && len(rest) > 10 {
				problem(w, http.StatusInternalServerError, "sql: no rows in result set")
				return
			}
			correct.ServeHTTP(w, r)
		})
		catches(t, run(t, spec, h), "rest-not-found", `unknown id "`, "answered 500, a server error", "want HTTP 404 for a missing record")
	})
}

// TestUndocumentedStatus: an answer whose status the operation does not
// document (no such code, no range, no default) is a failure naming the
// status and the documented ones.
func TestUndocumentedStatus(t *testing.T) {
	spec := thingsSpec("", "", "", false)
	correct := thingsServer(anyone, nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/things/"); ok && strings.Trim(rest, "0123456789") != "" {
			problem(w, http.StatusUnprocessableEntity, "id: a positive integer") // the contract documents 400
			return
		}
		correct.ServeHTTP(w, r)
	})
	catches(t, run(t, spec, h), "rest-invalid-input", "HTTP 422 is not documented for GET /things/{id} (documented: 200, 400, 404)")
}
