package route

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func newTestRouter(t testing.TB) *Router {
	t.Helper()
	r := New()
	add := []struct {
		tmpl, method string
		handle       int
	}{
		{"/api/account/v2/companies", "GET", 1},
		{"/api/account/v2/companies/{companyUuid}", "GET", 2},
		{"/api/account/v2/companies/externalID:{externalId}", "GET", 3},
		{"/api/account/v2/companies/{companyUuid}", "DELETE", 2},
		{"/files/{name}.json", "GET", 4},
		{"/files/{name}.{ext}", "GET", 5},
		{"/a/b/{x}", "GET", 6},
		{"/a/{y}/c", "GET", 7},
		{"/a/{y}/c", "PUT", 7},
		{"/v2/clients/{client_id}", "GET", 8},
		{"/", "GET", 9},
		{"/x/{p}/", "POST", 10},
	}
	for _, a := range add {
		if err := r.Add(a.tmpl, a.method, a.handle); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestMatch(t *testing.T) {
	r := newTestRouter(t)
	tests := []struct {
		method, path string
		handle       int
		params       []string
		err          error
		allow        []string
	}{
		{"GET", "/api/account/v2/companies", 1, nil, nil, nil},
		{"GET", "/api/account/v2/companies/7480a312", 2, []string{"7480a312"}, nil, nil},
		// the kin-openapi gorillamux trap: the literal prefix wins
		{"GET", "/api/account/v2/companies/externalID:c333333", 3, []string{"c333333"}, nil, nil},
		{"GET", "/api/account/v2/companies/externalID%3Ac333333", 3, []string{"c333333"}, nil, nil},
		// an empty value after the literal is no match for the pattern, so the bare param takes it
		{"GET", "/api/account/v2/companies/externalID:", 2, []string{"externalID:"}, nil, nil},
		// the method decides between equally matching templates
		{"DELETE", "/api/account/v2/companies/externalID:c333333", 2, []string{"externalID:c333333"}, nil, nil},
		{"HEAD", "/api/account/v2/companies/abc", 2, []string{"abc"}, nil, nil},
		{"POST", "/api/account/v2/companies/abc", 0, nil, nil, []string{"DELETE", "GET", "HEAD", "OPTIONS"}},
		{"POST", "/api/account/v2/companies/externalID:c1", 0, nil, nil, []string{"DELETE", "GET", "HEAD", "OPTIONS"}},
		{"get", "/api/account/v2/companies", 0, nil, nil, []string{"GET", "HEAD", "OPTIONS"}},
		// percent-decoding of parameters
		{"GET", "/v2/clients/a%2Fb%20c", 8, []string{"a/b c"}, nil, nil},
		{"GET", "/v2/clients/%zz", 0, nil, ErrNotFound, nil},
		// trailing and doubled slashes match nothing
		{"GET", "/v2/clients/", 0, nil, ErrNotFound, nil},
		{"GET", "/v2/clients/abc/", 0, nil, ErrNotFound, nil},
		{"GET", "/v2//clients/abc", 0, nil, ErrNotFound, nil},
		{"GET", "/api/account/v2/companies/", 0, nil, ErrNotFound, nil},
		{"POST", "/x/1/", 10, []string{"1"}, nil, nil},
		{"GET", "/", 9, nil, nil, nil},
		{"GET", "", 0, nil, ErrNotFound, nil},
		{"GET", "nope", 0, nil, ErrNotFound, nil},
		// more literal characters first
		{"GET", "/files/report.json", 4, []string{"report"}, nil, nil},
		{"GET", "/files/report.tar.gz", 5, []string{"report", "tar.gz"}, nil, nil},
		{"GET", "/files/.json", 0, nil, ErrNotFound, nil},
		// left to right: literal b beats {y} even though c would be literal later
		{"GET", "/a/b/c", 6, []string{"c"}, nil, nil},
		{"PUT", "/a/b/c", 7, []string{"b"}, nil, nil},
		{"POST", "/a/b/c", 0, nil, nil, []string{"GET", "HEAD", "OPTIONS", "PUT"}},
		{"GET", "/a/z/c", 7, []string{"z"}, nil, nil},
		{"GET", "/unknown", 0, nil, ErrNotFound, nil},
		{"GET", "/a/b/c/d/e/f/g/h/i/j/k", 0, nil, ErrNotFound, nil},
	}
	for _, tt := range tests {
		res, err := r.Match(tt.method, tt.path)
		if tt.allow != nil {
			var mna *MethodNotAllowedError
			if !errors.As(err, &mna) || !reflect.DeepEqual(mna.Allow, tt.allow) {
				t.Errorf("%s %s: err %v, want 405 with %v", tt.method, tt.path, err, tt.allow)
			}
			continue
		}
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s %s: err %v, want %v", tt.method, tt.path, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		got := append([]string{}, res.Values[:res.N]...)
		if len(tt.params) == 0 {
			tt.params = []string{}
		}
		if res.Handle != tt.handle || !reflect.DeepEqual(got, tt.params) {
			t.Errorf("%s %s: handle %d params %q, want %d %q", tt.method, tt.path, res.Handle, got, tt.handle, tt.params)
		}
	}
	if names := r.ParamNames(5); !reflect.DeepEqual(names, []string{"name", "ext"}) {
		t.Errorf("ParamNames(5) = %v", names)
	}
}

func TestAddErrors(t *testing.T) {
	bad := []string{"nope", "/a/{", "/a/}", "/a/{}", "/a/{x}{y}", "/a/{x}/{x}"}
	for _, tmpl := range bad {
		if err := New().Add(tmpl, "GET", 1); err == nil {
			t.Errorf("Add(%q) accepted", tmpl)
		}
	}
	r := New()
	if err := r.Add("/a/{x}", "GET", 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Add("/a/{y}", "GET", 2); err == nil {
		t.Error("duplicate GET on equivalent templates accepted")
	}
	if err := r.Add("/a/{y}", "PUT", 2); err != nil {
		t.Errorf("PUT on an equivalent template: %v", err)
	}
}

func BenchmarkMatch(b *testing.B) {
	r := newTestRouter(b)
	paths := []string{
		"/api/account/v2/companies/externalID:c333333",
		"/api/account/v2/companies/7480a312-916e-4739-b53a-7345bf3c6929",
		"/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50",
	}
	for _, p := range paths {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Match("GET", p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzMatch routes arbitrary methods and paths: no panic, a match has one
// non-empty value per parameter name, and any other answer is ErrNotFound or
// a *MethodNotAllowedError.
func FuzzMatch(f *testing.F) {
	r := newTestRouter(f)
	for _, s := range []string{"/api/account/v2/companies/externalID:c333333", "/v2/clients/%2F", "/files/a.b.c", "//", "", "/a/b/c", "/x/%zz/"} {
		f.Add("GET", s)
	}
	f.Add("HEAD", "/a/b/c")
	f.Fuzz(func(t *testing.T, method, path string) {
		res, err := r.Match(method, path)
		if err == nil {
			if res.N != len(r.ParamNames(res.Handle)) {
				t.Fatalf("%s %s: %d values for %d names", method, path, res.N, len(r.ParamNames(res.Handle)))
			}
			for _, v := range res.Values[:res.N] {
				if v == "" {
					t.Fatalf("%s %s: empty parameter", method, path)
				}
			}
			return
		}
		var mna *MethodNotAllowedError
		if !errors.Is(err, ErrNotFound) && !errors.As(err, &mna) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// refTemplates extends the test router's templates with the shapes whose
// matching rules are easiest to get wrong on regexps: several parameters in
// one segment, escaped literals, braces and bytes outside ASCII.
var refTemplates = []struct {
	tmpl, method string
	handle       int
}{
	{"/api/account/v2/companies/{companyUuid}", "GET", 2},
	{"/api/account/v2/companies", "GET", 1},
	{"/api/account/v2/companies/externalID:{externalId}", "GET", 3},
	{"/api/account/v2/companies/{companyUuid}", "DELETE", 2},
	{"/files/{name}.{ext}", "GET", 5},
	{"/files/{name}.json", "GET", 4},
	{"/a/{y}/c", "GET", 7},
	{"/a/b/{x}", "GET", 6},
	{"/a/{y}/c", "PUT", 7},
	{"/v2/clients/{client_id}", "GET", 8},
	{"/", "GET", 9},
	{"/x/{p}/", "POST", 10},
	{"/m/{a}-{b}-{c}", "GET", 11},
	{"/m/{a}--{b}", "GET", 12},
	{"/lit%7Bx/{v}", "GET", 13},
	{"/p/%3A{v}%2F", "GET", 14},
	{"/p/{v}", "HEAD", 15},
	{"/p/{v}", "GET", 15},
	{"/u/%C3%A9t%C3%A9/{v}", "POST", 16},
	{"/pct/{v}5", "GET", 17},
	{"/pct/a%25{v}", "GET", 18},
	{"/{any}/c", "GET", 19},
	{"/{any}/{two}", "PATCH", 20},
}

var refPaths = []string{
	"/api/account/v2/companies", "/api/account/v2/companies/externalID:c1", "/api/account/v2/companies/externalID%3ac1",
	"/api/account/v2/companies/externalID:", "/api/account/v2/companies/externalID:a%2Fb", "/api/account/v2/compan%69es/x",
	"/files/report.tar.gz", "/files/.json", "/files/a.json", "/files/.a.b", "/files/a.", "/files/a%2E.b", "/files/%2e%2e",
	"/a/b/c", "/a/z/c", "/a/b/d", "/z/c", "/z/y", "/v2/clients/%zz", "/v2/clients/a%2Fb%20c", "/v2/clients/\xff", "/v2/clients/%FF",
	"/", "//", "/x/1/", "/x//", "/m/1-2-3", "/m/-1-2", "/m/1--2", "/m/1---2", "/m/1-2--3-4", "/m/a%2D-b",
	"/lit%7bx/1", "/lit{x/1", "/p/:v/", "/p/%3Av%2F", "/p/%3Av%2f", "/p/x", "/u/%C3%A9t%C3%A9/1", "/u/\xc3\xa9t\xc3\xa9/1",
	"/pct/a%25", "/pct/a%255", "/pct/a%25b", "/pct/%25", "/pct/%2525", "", "nope", "/a/b/c/d/e/f/g/h/i/j/k",
}

var refMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"}

func newRefPair(t testing.TB) (*Router, *refRouter) {
	t.Helper()
	r, ref := New(), newRef()
	for _, a := range refTemplates {
		if err := r.Add(a.tmpl, a.method, a.handle); err != nil {
			t.Fatal(err)
		}
		if err := ref.Add(a.tmpl, a.method, a.handle); err != nil {
			t.Fatal(err)
		}
	}
	return r, ref
}

// sameAnswer fails unless both routers answer method and path alike.
func sameAnswer(t *testing.T, r *Router, ref *refRouter, method, path string) {
	t.Helper()
	got, gerr := r.Match(method, path)
	want, werr := ref.Match(method, path)
	var gm, wm *MethodNotAllowedError
	switch {
	case errors.As(werr, &wm):
		if !errors.As(gerr, &gm) || !reflect.DeepEqual(gm.Allow, wm.Allow) {
			t.Errorf("%s %q: got %v, want %v", method, path, gerr, werr)
		}
	case werr != nil:
		if !errors.Is(gerr, werr) {
			t.Errorf("%s %q: got %v, want %v", method, path, gerr, werr)
		}
	case gerr != nil:
		t.Errorf("%s %q: got %v, want handle %d %q", method, path, gerr, want.Handle, want.Values[:want.N])
	case got.Handle != want.Handle || !reflect.DeepEqual(got.Values[:got.N], want.Values[:want.N]):
		t.Errorf("%s %q: got handle %d %q, want %d %q", method, path, got.Handle, got.Values[:got.N], want.Handle, want.Values[:want.N])
	}
}

// TestMatchesReference routes every method and path of the table through
// the mux router and the trie it replaced: same handle, values, Allow.
func TestMatchesReference(t *testing.T) {
	r, ref := newRefPair(t)
	for _, p := range refPaths {
		for _, m := range refMethods {
			sameAnswer(t, r, ref, m, p)
		}
	}
}

// FuzzMatchReference is TestMatchesReference on arbitrary methods and paths.
func FuzzMatchReference(f *testing.F) {
	r, ref := newRefPair(f)
	for _, p := range refPaths {
		f.Add("GET", p)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		sameAnswer(t, r, ref, method, path)
	})
}

// TestRegistrationOrder is the gorilla/mux trap: the bare parameter added
// first must not swallow the mixed segment, whatever the order of Add.
func TestRegistrationOrder(t *testing.T) {
	orders := [][]string{
		{"/c/{companyUuid}", "/c/externalID:{externalId}", "/c/list"},
		{"/c/externalID:{externalId}", "/c/list", "/c/{companyUuid}"},
		{"/c/list", "/c/{companyUuid}", "/c/externalID:{externalId}"},
		// a shorter template between them once made the sort order
		// intransitive, and the bare parameter won
		{"/c/{companyUuid}", "/c", "/c/externalID:{externalId}", "/c/list"},
	}
	for _, order := range orders {
		r := New()
		for _, tmpl := range order {
			if err := r.Add(tmpl, "GET", len(tmpl)); err != nil {
				t.Fatal(err)
			}
		}
		for path, want := range map[string]string{
			"/c/externalID:c333333": "/c/externalID:{externalId}",
			"/c/list":               "/c/list",
			"/c/7480a312":           "/c/{companyUuid}",
		} {
			res, err := r.Match("GET", path)
			if err != nil || r.Template(res.Handle) != want {
				t.Errorf("order %v: %s matched %q (%v), want %q", order, path, r.Template(res.Handle), err, want)
			}
		}
	}
}

// TestAddAfterMatch: a template added after a Match takes part in the next.
func TestAddAfterMatch(t *testing.T) {
	r := New()
	if err := r.Add("/c/{id}", "GET", 1); err != nil {
		t.Fatal(err)
	}
	if res, err := r.Match("GET", "/c/externalID:x"); err != nil || res.Handle != 1 {
		t.Fatalf("before: %v %v", res, err)
	}
	if err := r.Add("/c/externalID:{ext}", "GET", 2); err != nil {
		t.Fatal(err)
	}
	if res, err := r.Match("GET", "/c/externalID:x"); err != nil || res.Handle != 2 || res.Values[0] != "x" {
		t.Fatalf("after: %v %v", res, err)
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		in, out string
		ok      bool
	}{
		{"/v2/clients/abc", "/v2/clients/abc", true},
		{"/a%3Ab", "/a:b", true},
		{"/a%3ab", "/a:b", true},
		{"/a%2fb", "/a%2Fb", true},
		{"/a%25", "/a%25", true},
		{"/a%7b%7D", "/a%7B%7D", true},
		{"/a{}", "/a%7B%7D", true},
		{"/a b", "/a%20b", true},
		{"/\xff", "/%FF", true},
		{"/%c3%a9", "/%C3%A9", true},
		{"/%zz", "", false},
		{"/%4", "", false},
		{"/a%", "", false},
		{"//", "//", true},
	}
	for _, tt := range tests {
		got, ok := Canonical(tt.in)
		if got != tt.out || ok != tt.ok {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.out, tt.ok)
		}
	}
}

// FuzzCanonical: Canonical accepts exactly the paths whose segments
// percent-decode, keeps the segments' decoded bytes, is idempotent, and
// leaves no byte that a canonical path must escape.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"/a%3Ab", "/%2F/%25", "/\xff{}", "/%zz", "/a%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c, ok := Canonical(p)
		in := strings.Split(p, "/")
		decodes := true
		for _, s := range in {
			if _, err := url.PathUnescape(s); err != nil {
				decodes = false
			}
		}
		if ok != decodes {
			t.Fatalf("Canonical(%q) ok=%v, segments decode: %v", p, ok, decodes)
		}
		if !ok {
			return
		}
		out := strings.Split(c, "/")
		if len(out) != len(in) {
			t.Fatalf("Canonical(%q) = %q: segment count changed", p, c)
		}
		for i := range in {
			a, _ := url.PathUnescape(in[i])
			b, err := url.PathUnescape(out[i])
			if err != nil || a != b {
				t.Fatalf("Canonical(%q) = %q: segment %d decodes to %q, want %q", p, c, i, b, a)
			}
		}
		if again, _ := Canonical(c); again != c {
			t.Fatalf("Canonical not idempotent: %q -> %q -> %q", p, c, again)
		}
		for i := 0; i < len(c); i++ {
			if b := c[i]; b != '/' && b != '%' && !keep(b) {
				t.Fatalf("Canonical(%q) = %q keeps byte %#x", p, c, b)
			}
		}
	})
}
