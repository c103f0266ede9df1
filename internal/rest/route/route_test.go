package route

import (
	"errors"
	"reflect"
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
