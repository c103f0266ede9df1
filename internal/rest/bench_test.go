package rest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/standin/standin/internal/reqctx"
)

const benchPath = "/lib/books/9780000000015"

func BenchmarkEngineMatch(b *testing.B) {
	f := loadBooks(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.eng.Match("GET", benchPath); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeGetByID is the server's whole REST work for a get by id:
// Match, permission and scope checks, path validation, store lookup, cached
// encoding, headers and body.
func BenchmarkServeGetByID(b *testing.B) {
	f := loadBooks(b)
	r := httptest.NewRequest("GET", benchPath, nil)
	r = r.WithContext(reqctx.WithPrincipal(r.Context(), partner))
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		m, err := f.eng.Match(r.Method, r.URL.EscapedPath())
		if err != nil {
			b.Fatal(err)
		}
		f.eng.Serve(w, r, m)
	}
	if w.status != 200 {
		b.Fatal(w.status)
	}
}

func BenchmarkServeList(b *testing.B) {
	f := loadBooks(b)
	r := httptest.NewRequest("GET", "/lib/books?limit=10", nil)
	r = r.WithContext(reqctx.WithPrincipal(r.Context(), admin))
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		m, _ := f.eng.Match(r.Method, r.URL.EscapedPath())
		f.eng.Serve(w, r, m)
	}
	if w.status != 200 {
		b.Fatal(w.status)
	}
}

var fixedBody = []byte(`{"author":{"country":"Country 5","name":"Author 5"},"isbn":"9780000000015","title":"Solaris","year":1935}`)

func fixedHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(fixedBody)
}

// BenchmarkFixedBody is the baseline: a plain handler writing a fixed body.
func BenchmarkFixedBody(b *testing.B) {
	r := httptest.NewRequest("GET", benchPath, nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		fixedHandler(w, r)
	}
}

// The same two over a real HTTP connection, as the server's users see it.
func benchHTTP(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(srv.URL + benchPath)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Error(resp.StatusCode)
				return
			}
		}
	})
}

func BenchmarkHTTPGetByID(b *testing.B) {
	f := loadBooks(b)
	h := f.handler()
	benchHTTP(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(reqctx.WithPrincipal(r.Context(), partner)))
	}))
}

func BenchmarkHTTPFixedBody(b *testing.B) {
	benchHTTP(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fixedHandler(w, r.WithContext(reqctx.WithPrincipal(r.Context(), partner)))
	}))
}
