package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/reqctx"
)

var fuzzMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get"}

// FuzzMatch: any method and path routes without panicking, to an operation,
// ErrNotFound or a *MethodNotAllowedError.
func FuzzMatch(f *testing.F) {
	fx := loadBooks(f)
	for _, p := range []string{"/lib/books", "/lib/books/title:Dune", "/lib/books/title%3A%2F", "/lib/books/%zz", "/lib//books", "", "/", "/lib/books/1/reviews/"} {
		f.Add("GET", p)
	}
	f.Add("OPTIONS", "/lib/stats")
	f.Fuzz(func(t *testing.T, method, path string) {
		m, err := fx.eng.Match(method, path)
		if err != nil {
			var mna *MethodNotAllowedError
			if !(err == ErrNotFound || asMNA(err, &mna)) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if m.op == nil && !m.Options() {
			t.Fatal("empty match")
		}
		_ = m.Params()
	})
}

func asMNA(err error, target **MethodNotAllowedError) bool {
	m, ok := err.(*MethodNotAllowedError)
	*target = m
	return ok
}

// FuzzServe: any path and query through Match and Serve never panics, never
// answers 5xx, and answers JSON that validates against the spec.
func FuzzServe(f *testing.F) {
	fx := loadBooks(f)
	seeds := []struct {
		method      byte
		path, query string
		who         byte
	}{
		{0, "/lib/books", "offset=3&limit=2", 0},
		{0, "/lib/books", "limit=0&sort=x&offset=-1", 1},
		{0, "/lib/books/9780000000010", "", 2},
		{0, "/lib/books/9780000000011", "", 2},
		{0, "/lib/books/title:Dune", "", 0},
		{0, "/lib/books/title%3AEmma%20%3C&%20%22Woodhouse%22%3E", "", 0},
		{0, "/lib/admin/books/9780000000010", "", 1},
		{0, "/lib/stats", "x=%zz", 0},
		{0, "/lib/books/9780000000010/reviews", "", 3},
		{2, "/lib/books", "", 0},
		{4, "/lib/books", "", 0},
		{5, "/lib/books/123", "", 0},
		{0, "/lib/catalog", "page=1&size=2&publisher=Acme&title=Dune", 2},
		{0, "/lib/catalog", "page=99999999999999999999&size=5&&title=%zz;x", 0},
		{0, "/lib/catalog", "size=0&page=-1&publisher=&publisher=Globex", 0x81},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.who)
	}
	h := fx.handler()
	whos := []*auth.Principal{admin, readonly, partner, denied}
	f.Fuzz(func(t *testing.T, mi byte, path, query string, wi byte) {
		method := fuzzMethods[int(mi)%len(fuzzMethods)]
		target := path
		if query != "" {
			target += "?" + query
		}
		u, err := url.ParseRequestURI(target)
		if err != nil || strings.ContainsAny(target, " \t\r\n") {
			return // net/http would not accept it either
		}
		r := &http.Request{Method: method, URL: u, Header: http.Header{}, Body: http.NoBody, Host: "example.com", RequestURI: target}
		ctx := reqctx.WithPrincipal(context.Background(), whos[int(wi)%len(whos)])
		if wi&0x80 != 0 {
			ctx = reqctx.WithDataSet(ctx, reqctx.DataEmpty)
		}
		// the fast checks may only be stricter than openapi3filter
		if m, err := fx.eng.Match(method, u.EscapedPath()); err == nil && m.op != nil && m.op.fastAccept(r, &m.res) {
			if msgs, _ := m.op.fullValidate(ctx, r, &m.res); len(msgs) > 0 {
				t.Fatalf("%s %s: fast check accepted what openapi3filter rejects: %v", method, target, msgs)
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(ctx))
		resp := w.Result()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, resp.StatusCode, body)
		}
		if err := fx.checkResponse(t, method, u, resp, body); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, target, resp.StatusCode, body, err)
		}
	})
}
