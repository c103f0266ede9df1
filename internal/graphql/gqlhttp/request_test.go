package gqlhttp_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/standin/standin/internal/graphql/gqlhttp"
)

// onceBody is a request body that may be read to its end once; a read
// after that fails the test.
type onceBody struct {
	t    *testing.T
	r    io.Reader
	done bool
}

func (b *onceBody) Read(p []byte) (int, error) {
	if b.done {
		b.t.Error("the body was read again after Read")
		return 0, errors.New("read twice")
	}
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.done = true
	}
	return n, err
}

func (b *onceBody) Close() error { return nil }

func TestReadRootFields(t *testing.T) {
	h := newHandler(t, nil)
	tests := []struct {
		name string
		req  *http.Request
		want []string
	}{
		{name: "post", req: post(`{"query":"{ hello who hello2: hello }"}`, appJSON, ""), want: []string{"hello", "who"}},
		{name: "get", req: get(url.Values{"query": {"{ count(n: 1) }"}}, ""), want: []string{"count"}},
		{name: "fragments at the root", req: post(`{"query":"{ ... on Query { who } ...F } fragment F on Query { count(n: 2) ...F2 } fragment F2 on Query { hello }"}`, appJSON, ""),
			want: []string{"who", "count", "hello"}},
		{name: "the operation operationName selects", req: post(`{"query":"query A { hello } query B { who }","operationName":"B"}`, appJSON, ""), want: []string{"who"}},
		{name: "mutation", req: post(`{"query":"mutation { bump }"}`, appJSON, ""), want: []string{"bump"}},
		// What ServeHTTP refuses asks for nothing.
		{name: "application/graphql (415)", req: post(`{ hello }`, "application/graphql", ""), want: nil},
		{name: "no content type (415)", req: post(`{"query":"{ hello }"}`, "", ""), want: nil},
		{name: "Accept refused (406)", req: post(`{"query":"{ hello }"}`, appJSON, "text/html"), want: nil},
		{name: "method (405)", req: httptest.NewRequest(http.MethodPut, "/graphql", strings.NewReader(`{"query":"{ hello }"}`)), want: nil},
		{name: "mutation over GET (405)", req: get(url.Values{"query": {"mutation { bump }"}}, ""), want: nil},
		{name: "invalid document", req: post(`{"query":"{ nosuch }"}`, appJSON, ""), want: nil},
		{name: "unknown operationName", req: post(`{"query":"query A { hello }","operationName":"B"}`, appJSON, ""), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := h.Read(httptest.NewRecorder(), tc.req).RootFields()
			if !slices.Equal(got, tc.want) {
				t.Errorf("RootFields() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReadThenServe holds ServeHTTP to a Read passed on in the context: the
// body is read once, the document looked up in the cache once, and the
// answer is the one ServeHTTP alone gives, refusals included.
func TestReadThenServe(t *testing.T) {
	tests := []struct {
		name, body, ctype string
	}{
		{name: "ok", body: `{"query":"{ hello }"}`, ctype: appJSON},
		{name: "415", body: `{ hello }`, ctype: "application/graphql"},
		{name: "400", body: `{"query":`, ctype: appJSON},
		{name: "validation", body: `{"query":"{ nosuch }"}`, ctype: appJSON},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			alone := do(t, newHandler(t, nil), post(tc.body, tc.ctype, ""))

			h := newHandler(t, nil)
			r := post(tc.body, tc.ctype, "")
			r.Body = &onceBody{t: t, r: strings.NewReader(tc.body)}
			rec := httptest.NewRecorder()
			q := h.Read(rec, r)
			r = r.WithContext(gqlhttp.NewContext(r.Context(), q))
			got := do(t, h, r)
			if got.status != alone.status || got.raw != alone.raw || got.ctype != alone.ctype {
				t.Errorf("after Read: %d %s %s; alone: %d %s %s", got.status, got.ctype, got.raw, alone.status, alone.ctype, alone.raw)
			}
			if hits, misses, _ := h.CacheStats(); hits+misses > 1 {
				t.Errorf("cache looked up %d times (hits %d, misses %d), want at most once", hits+misses, hits, misses)
			}
		})
	}

	t.Run("another handler's Read is not used", func(t *testing.T) {
		other, h := newHandler(t, nil), newHandler(t, nil)
		r := post(`{"query":"{ who }"}`, appJSON, "")
		q := other.Read(httptest.NewRecorder(), post(`{"query":"{ hello }"}`, appJSON, ""))
		got := do(t, h, r.WithContext(gqlhttp.NewContext(r.Context(), q)))
		if strings.Contains(got.raw, "hello") {
			t.Errorf("served the other handler's request: %s", got.raw)
		}
	})
}
