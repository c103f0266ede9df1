package rest

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/schemagen"
	"github.com/standin/standin/internal/store"
)

func jsonOf(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON %q: %v", s, err)
	}
	return v
}

// TestAddingAnAPIIsAddingFiles serves the invented books API of
// testdata/books (a spec, an api.yaml, a fixture file) and checks every
// answer, including the errors, against the spec.
func TestAddingAnAPIIsAddingFiles(t *testing.T) {
	f := loadBooks(t)
	tests := []struct {
		name   string
		c      call
		status int
		body   string // exact JSON, when set
		has    []string
		header map[string]string
	}{
		{name: "list default page", c: call{method: "GET", target: "/lib/books"}, status: 200,
			has: []string{`"ok":true`, `{"authorName":"Author 0","isbn":"9780000000010","title":"Dune"}`, `"Author 9"`}},
		{name: "list offset limit", c: call{method: "GET", target: "/lib/books?offset=10&limit=5"}, status: 200,
			body: `{"data":[{"authorName":"Author 10","isbn":"9780000000020","title":"Kindred"},{"authorName":"Author 11","isbn":"9780000000021","title":"Persuasion"}],"ok":true}`},
		{name: "list limit 0 violates minimum", c: call{method: "GET", target: "/lib/books?limit=0"}, status: 400,
			has: []string{`"bad_request"`, `parameter \"limit\" in query`}},
		{name: "list every violation", c: call{method: "GET", target: "/lib/books?limit=abc&sort=bad"}, status: 400,
			has: []string{`parameter \"limit\" in query`, `parameter \"sort\" in query`}},
		{name: "list scoped to partner", c: call{method: "GET", target: "/lib/books?limit=50", who: partner}, status: 200,
			has: []string{`"Dune"`, `"Ulysses"`, `"Beloved"`}},
		{name: "list scope deny", c: call{method: "GET", target: "/lib/books", who: denied}, status: 200, body: `{"data":[],"ok":true}`},
		{name: "list empty data set", c: call{method: "GET", target: "/lib/books", data: reqctx.DataEmpty}, status: 200, body: `{"data":[],"ok":true}`},
		{name: "get projected with nested fields", c: call{method: "GET", target: "/lib/books/9780000000011"}, status: 200,
			body: `{"author":{"country":"Country 1","name":"Author 1"},"isbn":"9780000000011","title":"Emma <& \"Woodhouse\">","year":1907}`},
		{name: "get null nested field", c: call{method: "GET", target: "/lib/books/9780000000010"}, status: 200,
			has: []string{`"author":{"country":null,"name":"Author 0"}`}},
		{name: "get unknown id", c: call{method: "GET", target: "/lib/books/9780000000099"}, status: 404,
			body: `{"error":{"code":"not_found","message":"Book not found"}}`},
		{name: "get malformed id", c: call{method: "GET", target: "/lib/books/123"}, status: 400,
			has: []string{`parameter \"isbn\" in path`}},
		{name: "get outside scope", c: call{method: "GET", target: "/lib/books/9780000000011", who: partner}, status: 403,
			body: `{"error":{"code":"forbidden","message":"Forbidden"}}`},
		{name: "get inside scope", c: call{method: "GET", target: "/lib/books/9780000000010", who: partner}, status: 200},
		{name: "get empty data set", c: call{method: "GET", target: "/lib/books/9780000000010", data: reqctx.DataEmpty}, status: 404},
		{name: "get by literal-prefixed param, enveloped", c: call{method: "GET", target: "/lib/books/title:Dune"}, status: 200,
			body: `{"book":{"authorName":"Author 0","isbn":"9780000000010","title":"Dune"}}`},
		{name: "percent-encoded colon and value", c: call{method: "GET", target: "/lib/books/title%3AEmma%20%3C&%20%22Woodhouse%22%3E"}, status: 200,
			has: []string{`"9780000000011"`}},
		{name: "permission missing", c: call{method: "GET", target: "/lib/admin/books/9780000000010", who: readonly}, status: 403,
			body: `{"error":{"code":"forbidden","message":"Forbidden: missing permission ADMIN"}}`},
		{name: "permission held, record as stored", c: call{method: "GET", target: "/lib/admin/books/9780000000010"}, status: 200,
			body: `{"author":{"country":null,"name":"Author 0"},"isbn":"9780000000010","publisher":"Acme","title":"Dune","year":1900}`},
		{name: "unbound: first example by name", c: call{method: "GET", target: "/lib/books/9780000000010/reviews"}, status: 200,
			body: `[{"stars":5,"text":"A classic."},{"stars":3,"text":null}]`},
		{name: "unbound: example for 201", c: call{method: "POST", target: "/lib/books", body: `{"isbn":"9780000000001","title":"X"}`}, status: 201,
			body: `{"authorName":"Somebody","isbn":"9780000000001","title":"Created"}`},
		{name: "unbound: body violations", c: call{method: "POST", target: "/lib/books", body: `{"isbn":"12","title":""}`}, status: 400,
			has: []string{`request body at /isbn`, `request body at /title`}},
		{name: "unbound: missing body", c: call{method: "POST", target: "/lib/books"}, status: 400, has: []string{`request body`}},
		{name: "unbound: generated from schema", c: call{method: "GET", target: "/lib/stats"}, status: 200,
			has: []string{`"updated":"20`, `"genres":["fiction","poetry"]`}},
		{name: "method not allowed", c: call{method: "DELETE", target: "/lib/books"}, status: 405,
			header: map[string]string{"Allow": "GET, HEAD, OPTIONS, POST"}, has: []string{`"method_not_allowed"`}},
		{name: "options", c: call{method: "OPTIONS", target: "/lib/books/9780000000010"}, status: 204,
			header: map[string]string{"Allow": "GET, HEAD, OPTIONS"}},
		{name: "head answered by get", c: call{method: "HEAD", target: "/lib/books/9780000000010"}, status: 200},
		{name: "trailing slash", c: call{method: "GET", target: "/lib/books/"}, status: 404,
			body: `{"error":{"code":"not_found","message":"Book not found"}}`},
		{name: "no prefix", c: call{method: "GET", target: "/books"}, status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, tt.c)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if tt.body != "" && !reflect.DeepEqual(jsonOf(t, string(body)), jsonOf(t, tt.body)) {
				t.Errorf("body\n%s\nwant\n%s", body, tt.body)
			}
			for _, s := range tt.has {
				if !strings.Contains(string(body), s) {
					t.Errorf("body %s lacks %s", body, s)
				}
			}
			for k, v := range tt.header {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if err := f.checkResponse(t, tt.c.method, mustURL(t, tt.c.target), resp, body); err != nil {
				t.Errorf("response does not match the spec: %v\n%s", err, body)
			}
		})
	}
}

func TestPartnerListIsScoped(t *testing.T) {
	f := loadBooks(t)
	resp := f.do(t, call{method: "GET", target: "/lib/books?limit=50", who: partner})
	var got struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data) != 8 {
		t.Fatalf("partner sees %d books, want the 8 of Acme", len(got.Data))
	}
	// paging applies after the scope
	resp = f.do(t, call{method: "GET", target: "/lib/books?offset=7&limit=5", who: partner})
	body, _ := io.ReadAll(resp.Body)
	if want := `{"data":[{"authorName":"Author 11","isbn":"9780000000021","title":"Persuasion"}],"ok":true}`; string(body) != want {
		t.Fatalf("got %s, want %s", body, want)
	}
}

func TestCacheFollowsStoreChanges(t *testing.T) {
	f := loadBooks(t)
	get := func() string {
		resp := f.do(t, call{method: "GET", target: "/lib/books/9780000000010"})
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	before := get()
	if get() != before {
		t.Fatal("cached answer differs")
	}
	err := f.st.Update(func(tx *store.Tx) error {
		it, ok, err := tx.Get("books.books", "isbn", "9780000000010")
		if err != nil || !ok {
			return errors.New("fixture missing")
		}
		rec := map[string]any{}
		for k, v := range it.Record() {
			rec[k] = v
		}
		rec["title"] = "Dune Messiah"
		return tx.Replace("books.books", it.Seq, rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := get(); !strings.Contains(after, "Dune Messiah") {
		t.Fatalf("stale answer after a change: %s", after)
	}
	f.st.Reset()
	if got := get(); got != before {
		t.Fatalf("after reset %s, want %s", got, before)
	}
}

func TestNewRejectsBadBindings(t *testing.T) {
	base, err := manifest.Load(os.DirFS("testdata"), "books")
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t, "testdata/books/openapi.yaml")
	st := store.New()
	if err := st.Define(store.Definition{Name: "books.books", Unique: []string{"isbn"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   string
		b    manifest.Operation
		want string
	}{
		{"unknown operationId", "getBok", manifest.Operation{Collection: "books", Action: "list"}, `no operation with this operationId`},
		{"key not a path parameter", "getBook", manifest.Operation{Collection: "books", Action: "get", Key: &manifest.KeyBinding{Param: "id", Field: "isbn"}}, `key.param "id" is not a path parameter`},
		{"collection not in store", "listBooks", manifest.Operation{Collection: "authors", Action: "list"}, `collection "authors"`},
		{"paging parameter not declared", "listBooks", manifest.Operation{Collection: "books", Action: "list", Paging: &manifest.Paging{Offset: "skip"}}, `"skip" is not a query parameter`},
		{"envelope without placeholder", "listBooks", manifest.Operation{Collection: "books", Action: "list", Envelope: map[string]any{"ok": true}}, `has no "{{items}}"`},
		{"bad action", "listBooks", manifest.Operation{Collection: "books", Action: "remove"}, `action "remove"`},
		{"delete without key", "listBooks", manifest.Operation{Collection: "books", Action: "delete"}, `delete needs key.param`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := *base
			rest := *base.REST
			rest.Operations = map[string]manifest.Operation{tt.op: tt.b}
			api.REST = &rest
			_, err := New(&api, doc, st, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want one mentioning %s", err, tt.want)
			}
		})
	}
}

func TestMatchErrors(t *testing.T) {
	f := loadBooks(t)
	if _, err := f.eng.Match("GET", "/lib/nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown path: %v", err)
	}
	_, err := f.eng.Match("PATCH", "/lib/books/1")
	var mna *MethodNotAllowedError
	if !errors.As(err, &mna) || !reflect.DeepEqual(mna.Allow, []string{"GET", "HEAD", "OPTIONS"}) {
		t.Errorf("PATCH: %v", err)
	}
	m, err := f.eng.Match("GET", "/lib/books/title:a%2Fb")
	if err != nil || m.OperationID() != "getBookByTitle" || m.Template() != "/lib/books/title:{title}" {
		t.Fatalf("match %+v %v", m, err)
	}
	if v, ok := m.Param("title"); !ok || v != "a/b" {
		t.Errorf("title = %q", v)
	}
}

func TestFallbackIsDeterministic(t *testing.T) {
	a, b := loadBooks(t), loadBooks(t)
	for i, op := range a.eng.ops {
		ca, cb := op.specAnswer(a.eng), b.eng.ops[i].specAnswer(b.eng)
		if string(ca.body) != string(cb.body) {
			t.Errorf("%s: %s vs %s", op.id, ca.body, cb.body)
		}
		if len(ca.body) == 0 {
			t.Errorf("%s: no fallback body", op.id)
		}
	}
	// every generated value satisfies its schema
	for _, name := range []string{"Stats", "Book", "StoredBook", "Review", "NewBook", "Error"} {
		s := a.doc.Components.Schemas[name]
		v := schemagen.New(schemagen.Options{Optional: true}).Value(s, "")
		if err := s.Value.VisitJSON(v); err != nil {
			t.Errorf("%s: generated %v: %v", name, v, err)
		}
	}
}

func TestServeRecoversFromFaults(t *testing.T) {
	f := loadBooks(t)
	for _, op := range f.eng.ops {
		if op.id == "getBook" {
			op.keyIdx = 99 // an index out of range inside Serve
		}
	}
	resp := f.do(t, call{method: "GET", target: "/lib/books/9780000000010"})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !json.Valid(body) {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
}

func TestNilPrincipal(t *testing.T) {
	f := loadBooks(t)
	r, _ := http.NewRequest("GET", "/lib/admin/books/9780000000010", nil)
	w := &discard{h: http.Header{}}
	m, err := f.eng.Match(r.Method, r.URL.EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	f.eng.Serve(w, r, m)
	if w.status != 403 {
		t.Fatalf("no principal on a permissioned operation: %d", w.status)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, false, "", "plain", "quote\" back\\ nl\n tab\t ctl\x01 html<>& u2028\u2028 bad\xff é 日本",
		0.0, 1.0, -1.5, 1e21, 1e20, 1e-6, 1e-7, 123456789.123, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Copysign(0, -1),
		42, int64(-7), []any{}, []any{1.0, "a", nil}, map[string]any{}, map[string]any{"b": 1.0, "a": []any{map[string]any{"z": nil, "y": "x"}}},
	}
	many := map[string]any{}
	for i := 0; i < 40; i++ {
		many[string(rune('A'+i))] = float64(i)
	}
	values = append(values, many)
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSON(nil, v); string(got) != string(want) {
			t.Errorf("%#v: got %s, want %s", v, got, want)
		}
	}
}

func TestOptionsAndDefaultsWithoutBindings(t *testing.T) {
	api, err := manifest.Load(os.DirFS("testdata"), "books")
	if err != nil {
		t.Fatal(err)
	}
	api.REST.Operations = nil
	doc := loadSpec(t, "testdata/books/openapi.yaml")
	eng, err := New(api, doc, store.New(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{api: api, doc: doc, eng: eng}
	for _, target := range []string{"/lib/books", "/lib/books/9780000000010", "/lib/books/title:x", "/lib/admin/books/x", "/lib/stats"} {
		resp := f.do(t, call{method: "GET", target: target, who: &auth.Principal{}})
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", target, resp.StatusCode, body)
		}
		if err := f.checkResponse(t, "GET", mustURL(t, target), resp, body); err != nil {
			t.Errorf("%s: %v\n%s", target, err, body)
		}
	}
}

// discard is a minimal ResponseWriter for benchmarks.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(s int)           { d.status = s }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }

func mustURL(t testing.TB, target string) *url.URL {
	t.Helper()
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Regression: the encoding cache kept every record ever answered, so one
// list of a million records doubled the mock's memory. It is bounded now,
// and answers are the same whether an encoding is cached or not.
func TestRecordCacheIsBounded(t *testing.T) {
	f := loadBooks(t)
	want := map[string]string{}
	targets := []string{"/lib/catalog?size=50", "/lib/catalog?size=2&page=1", "/lib/books/9780000000010"}
	for _, target := range targets {
		resp := f.do(t, call{method: "GET", target: target})
		b, _ := io.ReadAll(resp.Body)
		want[target] = string(b)
	}
	bounded := loadBooks(t)
	for _, op := range bounded.eng.ops {
		op.cache.limit = 2
	}
	for round := 0; round < 3; round++ {
		for _, target := range targets {
			resp := bounded.do(t, call{method: "GET", target: target})
			b, _ := io.ReadAll(resp.Body)
			if string(b) != want[target] {
				t.Fatalf("%s with a bounded cache:\n%s\nwant\n%s", target, b, want[target])
			}
		}
	}
	for _, op := range bounded.eng.ops {
		if n := len(op.cache.m); n > 2 {
			t.Fatalf("%s caches %d encodings, limit 2", op.id, n)
		}
	}
	if n, _ := f.st.Len("books.books"); n <= 2 {
		t.Fatalf("the test needs more records than the limit, has %d", n)
	}
}

// A list longer than streamAbove is written as it is encoded; the bytes
// are the same as the buffered answer's, without Content-Length.
func TestLongListsAreStreamed(t *testing.T) {
	f := loadBooks(t)
	streamed := loadBooks(t)
	for _, op := range streamed.eng.ops {
		op.streamAbove = 1
	}
	for _, target := range []string{"/lib/catalog?size=5", "/lib/catalog?size=2&page=1&publisher=Acme", "/lib/books?limit=50"} {
		want := f.do(t, call{method: "GET", target: target})
		wantBody, _ := io.ReadAll(want.Body)
		got := streamed.do(t, call{method: "GET", target: target})
		gotBody, _ := io.ReadAll(got.Body)
		if want.StatusCode != http.StatusOK || got.StatusCode != want.StatusCode || string(gotBody) != string(wantBody) {
			t.Fatalf("%s streamed:\n%d %s\nwant\n%d %s", target, got.StatusCode, gotBody, want.StatusCode, wantBody)
		}
		if want.Header.Get("Content-Length") == "" || got.Header.Get("Content-Length") != "" {
			t.Fatalf("%s: Content-Length buffered %q, streamed %q", target, want.Header.Get("Content-Length"), got.Header.Get("Content-Length"))
		}
		if n := strings.Count(string(gotBody), `"isbn"`); n < 2 {
			t.Fatalf("%s: the test needs lists of 2 or more, got %d", target, n)
		}
	}
}
