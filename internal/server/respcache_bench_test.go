package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkServeKept measures what the mock itself spends on a request
// whose answer is kept (CORS, request id, route, scenario, auth, rate
// limit, cache lookup, journal, metrics), without parsing a request per
// iteration: the GET requests of bench/run.sh, one *http.Request each,
// reused. Compare with BenchmarkServe, which also builds the request.
func BenchmarkServeKept(b *testing.B) {
	h := benchServer(b, nil)
	for _, br := range benchRequests {
		if br.method != http.MethodGet {
			continue
		}
		b.Run(br.name, func(b *testing.B) {
			req := newReq(br.method, br.path, br.body)
			w := &discard{h: http.Header{}}
			h.ServeHTTP(w, req)
			b.ReportAllocs()
			for b.Loop() {
				w.h = http.Header{}
				h.ServeHTTP(w, req)
			}
			if ct := w.h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				b.Fatalf("Content-Type %q", ct)
			}
		})
	}
}
