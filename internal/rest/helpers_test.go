package rest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// Test principals, shaped like the bundled credentials.
var (
	admin    = &auth.Principal{Token: "admin", Permissions: []string{"ADMIN"}}
	readonly = &auth.Principal{Token: "readonly"}
	partner  = &auth.Principal{Token: "partner", Scopes: map[string]auth.Scope{"books": {Match: map[string]any{"publisher": "Acme"}}}}
	denied   = &auth.Principal{Token: "denied", Scopes: map[string]auth.Scope{"books": {Deny: true}}}
)

type fixture struct {
	api *manifest.API
	doc *openapi3.T
	st  *store.Store
	eng *Engine
}

// loadBooks serves testdata/books exactly as the server would: the
// manifest, the spec it names, and the fixtures of its collections.
func loadBooks(t testing.TB) *fixture {
	t.Helper()
	return loadAPI(t, "books")
}

// loadAPI serves testdata/<dir> as the server would.
func loadAPI(t testing.TB, dir string) *fixture {
	t.Helper()
	api, err := manifest.Load(os.DirFS("testdata"), dir)
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t, filepath.Join("testdata", api.Dir, api.REST.Spec))
	st := store.New()
	for _, c := range api.Collections {
		name := manifest.StoreName(api.Name, c.Name)
		if err := st.Define(store.Definition{Name: name, Unique: c.Unique, Index: c.Index}); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join("testdata", api.Dir, "fixtures", c.Fixtures))
		if err != nil {
			t.Fatal(err)
		}
		var recs []store.Record
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatal(err)
		}
		if err := st.Insert(name, recs...); err != nil {
			t.Fatal(err)
		}
	}
	st.Freeze()
	eng, err := New(api, doc, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{api: api, doc: doc, st: st, eng: eng}
}

func loadSpec(t testing.TB, file string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return doc
}

// handler is how the server is expected to drive the engine.
func (f *fixture) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, err := f.eng.Match(r.Method, r.URL.EscapedPath())
		if err != nil {
			f.eng.WriteMatchError(w, r, err)
			return
		}
		f.eng.Serve(w, r, m)
	})
}

type call struct {
	method, target, body string
	who                  *auth.Principal
	data                 reqctx.DataSet
}

func (f *fixture) do(t testing.TB, c call) *http.Response {
	t.Helper()
	return f.doIn(t, context.Background(), c)
}

// doIn is do with the request's context derived from ctx.
func (f *fixture) doIn(t testing.TB, ctx context.Context, c call) *http.Response {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	r := httptest.NewRequest(c.method, c.target, body)
	if c.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	who := c.who
	if who == nil {
		who = admin
	}
	ctx = reqctx.WithPrincipal(ctx, who)
	ctx = reqctx.WithDataSet(ctx, c.data)
	w := httptest.NewRecorder()
	f.handler().ServeHTTP(w, r.WithContext(ctx))
	return w.Result()
}

// checkResponse validates a response against the spec: with
// openapi3filter.ValidateResponse when the request matched an operation
// (its error statuses through `default`), else against the Error schema.
func (f *fixture) checkResponse(t testing.TB, method string, u *url.URL, resp *http.Response, body []byte) error {
	t.Helper()
	if resp.StatusCode >= 500 {
		return errors.New("5xx answer")
	}
	if method == http.MethodHead || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if !json.Valid(body) {
		return errors.New("body is not JSON: " + string(body))
	}
	r := &http.Request{Method: method, URL: u, Header: http.Header{}, Body: http.NoBody}
	m, err := f.eng.Match(method, u.EscapedPath())
	if err != nil || m.op == nil {
		var v any
		_ = json.Unmarshal(body, &v)
		return f.doc.Components.Schemas["Error"].Value.VisitJSON(v)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: m.Params(), Route: m.op.route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}
