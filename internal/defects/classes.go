package defects

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/standin/standin/internal/conform/kit"
)

// classDefects returns the defects of the second catalog, each caught by
// one check class alone (Defect.Class): the suite fails on it, and passes
// with that class's checks left out.
func classDefects() []Defect {
	return []Defect{
		{Name: "overlapping requests slip past the rate limit (clients-v0)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "concurrent requests are counted one by one", Wrap: overlapSlipsPastLimit},
		{Name: "the rate limit bites one request early (clients-v0 refuses the 100th)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "the limit bites early", Wrap: limitBitesEarly},
		{Name: "Retry-After 0 while limited (clients-v0)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "a client told to retry now is refused again", Wrap: retryAfterZero},
	}
}

// record runs h on r and returns what it answered.
func record(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// replay writes a recorded answer to w.
func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	copyHeader(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// onPath applies wrap only to requests for path; others pass through.
func onPath(path string, wrap func(h http.Handler, w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				h.ServeHTTP(w, r)
				return
			}
			wrap(h, w, r)
		})
	}
}

// overlapSlipsPastLimit serves a request refused by the limit as if it
// were under it when another request of the same token is in flight: a
// counter read and written apart, so that concurrent requests are not all
// counted. One request at a time sees the limit exactly.
func overlapSlipsPastLimit(h http.Handler) http.Handler {
	var mu sync.Mutex
	inFlight := map[string]int{}
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Authorization")
		mu.Lock()
		inFlight[tok]++
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight[tok]--
			mu.Unlock()
		}()
		time.Sleep(time.Millisecond) // the gap between reading and writing the counter
		rec := record(h, r)
		mu.Lock()
		overlapped := inFlight[tok] > 1
		mu.Unlock()
		if rec.Code == http.StatusTooManyRequests && overlapped {
			r2 := r.Clone(r.Context())
			r2.Header.Set("Authorization", "Bearer "+adminToken)
			rec = record(h, r2)
		}
		replay(w, rec)
	})(h)
}

// limitBitesEarly refuses the request that spends a window's last
// allowance (RateLimit-Remaining 0) with the documented 429.
func limitBitesEarly(h http.Handler) http.Handler {
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := record(h, r)
		if rec.Code == http.StatusOK && rec.Header().Get("RateLimit-Remaining") == "0" {
			copyHeader(w.Header(), rec.Header())
			w.Header().Set("Retry-After", rec.Header().Get("RateLimit-Reset"))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"success":false,"error":"Too many requests, please try again later"}`))
			return
		}
		replay(w, rec)
	})(h)
}

// retryAfterZero tells a limited client to retry at once.
func retryAfterZero(h http.Handler) http.Handler {
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := record(h, r)
		if rec.Code == http.StatusTooManyRequests {
			rec.Header().Set("Retry-After", "0")
		}
		replay(w, rec)
	})(h)
}

// bearerValue is the token of an Authorization header ("" when none).
func bearerValue(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if i := strings.IndexByte(v, ' '); i > 0 {
		return v[i+1:]
	}
	return ""
}
