package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	fixturesdata "github.com/standin/standin/fixtures"
	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/specs"
)

type companyPage struct {
	Links []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"links"`
	Content []map[string]any `json:"content"`
	Page    struct {
		Size          int `json:"size"`
		TotalElements int `json:"totalElements"`
		TotalPages    int `json:"totalPages"`
		Number        int `json:"number"`
	} `json:"page"`
}

func (p *companyPage) link(rel string) string {
	for _, l := range p.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// TestMarketplaceListCompanies serves the bundled marketplace API (spec,
// manifest, fixtures) and checks listCompanies against its spec: every
// answer validates, pages walk the collection once, the name filter and
// the size bounds work.
func TestMarketplaceListCompanies(t *testing.T) {
	api, err := manifest.Load(specs.FS, "marketplace")
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	data, err := specs.FS.ReadFile(path.Join(api.Dir, api.REST.Spec))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, err := fixtures.Load(fixtures.Options{APIs: []*manifest.API{api}, Specs: specs.FS, Fixtures: fixturesdata.FS, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rest.New(api, doc, st, rest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	total, err := st.Len(manifest.StoreName("marketplace", "accounts"))
	if err != nil || total < 3 {
		t.Fatalf("accounts: %d %v", total, err)
	}
	reader := &auth.Principal{Token: "reader", Permissions: []string{"READ"}}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SchemaValidationOptions: specs.SchemaOptions()}

	get := func(t *testing.T, target string) (*http.Response, []byte) {
		t.Helper()
		r := httptest.NewRequest("GET", target, nil)
		r = r.WithContext(reqctx.WithPrincipal(r.Context(), reader))
		w := httptest.NewRecorder()
		m, err := eng.Match(r.Method, r.URL.EscapedPath())
		if err != nil {
			eng.WriteMatchError(w, r, err)
		} else {
			eng.Serve(w, r, m)
		}
		resp := w.Result()
		body, _ := io.ReadAll(resp.Body)
		// validate against the spec (formats included)
		if err == nil {
			route, pathParams, rerr := routeOf(doc, m, r)
			if rerr != nil {
				t.Fatal(rerr)
			}
			in := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: route, Options: opts},
				Status:                 resp.StatusCode,
				Header:                 resp.Header,
				Options:                opts,
			}
			in.SetBodyBytes(body)
			if verr := openapi3filter.ValidateResponse(context.Background(), in); verr != nil {
				t.Errorf("GET %s: %d answer does not match the spec: %v\n%s", target, resp.StatusCode, verr, body)
			}
		}
		return resp, body
	}
	decode := func(t *testing.T, target string) companyPage {
		t.Helper()
		resp, body := get(t, target)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", target, resp.StatusCode, body)
		}
		var p companyPage
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("default page", func(t *testing.T) {
		p := decode(t, "/api/account/v2/companies")
		if p.Page.Size != 50 || p.Page.Number != 0 || p.Page.TotalElements != total || len(p.Content) != min(50, total) {
			t.Fatalf("page %+v, %d items; collection has %d", p.Page, len(p.Content), total)
		}
		if got := p.link("self"); got != "/api/account/v2/companies?page=0&size=50" {
			t.Errorf("self %q", got)
		}
		if p.link("prev") != "" {
			t.Errorf("prev on page 0: %v", p.Links)
		}
	})

	for _, size := range []int{1, 2, 7, 50, 100} {
		t.Run("walk size "+strconv.Itoa(size), func(t *testing.T) {
			seen := map[string]int{}
			pages := (total + size - 1) / size
			target := "/api/account/v2/companies?size=" + strconv.Itoa(size)
			for n := 0; ; n++ {
				if n > pages {
					t.Fatalf("more than %d pages", pages)
				}
				p := decode(t, target)
				if p.Page.Number != n || p.Page.Size != size || p.Page.TotalElements != total || p.Page.TotalPages != pages {
					t.Fatalf("%s: page %+v, want number %d size %d total %d pages %d", target, p.Page, n, size, total, pages)
				}
				if want := min(size, total-n*size); len(p.Content) != want {
					t.Fatalf("%s: %d items, want %d", target, len(p.Content), want)
				}
				for _, c := range p.Content {
					seen[c["id"].(string)]++
				}
				if self := p.link("self"); self != "/api/account/v2/companies?page="+strconv.Itoa(n)+"&size="+strconv.Itoa(size) {
					t.Errorf("self %q", self)
				}
				if prev := p.link("prev"); (n > 0) != (prev != "") {
					t.Errorf("page %d: prev %q", n, prev)
				}
				next := p.link("next")
				if next == "" {
					if n != pages-1 {
						t.Fatalf("no next on page %d of %d", n, pages)
					}
					break
				}
				target = next
			}
			if len(seen) != total {
				t.Fatalf("walk saw %d companies, want %d", len(seen), total)
			}
			for id, k := range seen {
				if k != 1 {
					t.Errorf("%s seen %d times", id, k)
				}
			}
		})
	}

	t.Run("past the last page", func(t *testing.T) {
		p := decode(t, "/api/account/v2/companies?page=1000&size=100")
		if len(p.Content) != 0 || p.Page.Number != 1000 || p.Page.TotalElements != total || p.link("next") != "" || p.link("prev") != "" {
			t.Fatalf("%+v %v", p.Page, p.Links)
		}
	})

	t.Run("name filter", func(t *testing.T) {
		p := decode(t, "/api/account/v2/companies?name=My+Company+Inc.&size=1")
		if len(p.Content) != 1 || p.Content[0]["name"] != "My Company Inc." || p.Content[0]["id"] != "017eb76e-957f-409e-8be3-fc6fed394137" {
			t.Fatalf("content %v", p.Content)
		}
		if p.Page.TotalElements != 1 || p.Page.TotalPages != 1 || p.link("next") != "" {
			t.Fatalf("page %+v links %v", p.Page, p.Links)
		}
		if self := p.link("self"); self != "/api/account/v2/companies?page=0&size=1&name=My+Company+Inc." {
			t.Errorf("self %q", self)
		}
		for _, q := range []string{"My+Company", "my+company+inc.", "My%20Company%20Inc.%20"} {
			p := decode(t, "/api/account/v2/companies?name="+q)
			if len(p.Content) != 0 || p.Page.TotalElements != 0 || p.Page.TotalPages != 0 {
				t.Errorf("name=%s: %d companies %+v", q, len(p.Content), p.Page)
			}
		}
	})

	t.Run("filter keeps other parameters in links", func(t *testing.T) {
		p := decode(t, "/api/account/v2/companies?name=Customer%20Company%20One&page=0&size=1")
		if len(p.Content) != 1 || p.Content[0]["id"] != "7480a312-916e-4739-b53a-7345bf3c6929" {
			t.Fatalf("%v", p.Content)
		}
		p = decode(t, "/api/account/v2/companies?size=1&name=Customer%20Company%20One&page=1")
		if len(p.Content) != 0 || p.link("prev") != "/api/account/v2/companies?page=0&size=1&name=Customer%20Company%20One" {
			t.Fatalf("%v %v", p.Content, p.Links)
		}
	})

	for _, target := range []string{"/api/account/v2/companies?size=0", "/api/account/v2/companies?size=101",
		"/api/account/v2/companies?page=-1", "/api/account/v2/companies?size=x"} {
		t.Run("bad "+target, func(t *testing.T) {
			resp, body := get(t, target)
			var e map[string]any
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != 400 || e["code"] != "BAD_REQUEST" {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}

	t.Run("method not allowed", func(t *testing.T) {
		r := httptest.NewRequest("DELETE", "/api/account/v2/companies", nil)
		_, err := eng.Match(r.Method, r.URL.EscapedPath())
		if err == nil {
			t.Fatal("DELETE matched")
		}
		w := httptest.NewRecorder()
		eng.WriteMatchError(w, r, err)
		var e map[string]any
		if w.Code != 405 || w.Header().Get("Allow") == "" || json.Unmarshal(w.Body.Bytes(), &e) != nil {
			t.Fatalf("%d %v %s", w.Code, w.Header(), w.Body)
		}
		var v any = e
		if err := doc.Components.Schemas["Error"].Value.VisitJSON(v, specs.SchemaOptions()...); err != nil || e["message"] != "Method not allowed" {
			t.Fatalf("405 body %s: %v", w.Body, err)
		}
	})
}

// routeOf rebuilds the kin-openapi route of a match.
func routeOf(doc *openapi3.T, m rest.Match, r *http.Request) (*routers.Route, map[string]string, error) {
	item := doc.Paths.Value(m.Template())
	if item == nil || item.GetOperation(r.Method) == nil {
		return nil, nil, fmt.Errorf("no operation %s %s in the spec", r.Method, m.Template())
	}
	return &routers.Route{Spec: doc, Path: m.Template(), PathItem: item, Method: r.Method, Operation: item.GetOperation(r.Method)}, m.Params(), nil
}
