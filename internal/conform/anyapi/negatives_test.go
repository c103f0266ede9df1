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

// TestVendorMediaType: a contract whose answers are a +json vendor type
// only (as go-swagger's examples are) is asked for that type too, so a
// server that answers 406 to an Accept it has no producer for (or, as
// go-swagger 0.31 does, panics) is checked on its answers, not on
// conform's choice of Accept.
func TestVendorMediaType(t *testing.T) {
	const vendor = "application/vnd.things.v1+json"
	spec := strings.ReplaceAll(thingsSpec("", "", "", false), "application/json:", vendor+":")
	things := thingsServer(anyone, nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), vendor) {
			http.Error(w, "no producer for "+r.Header.Get("Accept"), http.StatusNotAcceptable)
			return
		}
		things.ServeHTTP(vendorWriter{w, vendor}, r)
	})
	t.Run("correct", func(t *testing.T) {
		passes(t, run(t, spec, h), "rest-success", "rest-not-found", "rest-media-type")
	})
	t.Run("errors in plain JSON", func(t *testing.T) {
		// the not-found answer in application/json, which the contract
		// does not offer: one violation per answer, naming the
		// documented type
		plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/things" {
				things.ServeHTTP(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
		r := catches(t, run(t, spec, plain), "rest-not-found", `content type "application/json" is not documented for 404 (want `+vendor+`)`)
		n := 0
		for _, v := range r.Violations {
			if v.Where.String() == "header:Content-Type" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d Content-Type violations for one answer, want 1: %v", n, r.Violations)
		}
	})
}

// vendorWriter answers in a vendor media type whatever the handler says.
type vendorWriter struct {
	http.ResponseWriter
	media string
}

func (v vendorWriter) WriteHeader(code int) {
	v.Header().Set("Content-Type", v.media)
	v.ResponseWriter.WriteHeader(code)
}

func (v vendorWriter) Write(b []byte) (int, error) {
	v.Header().Set("Content-Type", v.media)
	return v.ResponseWriter.Write(b)
}
