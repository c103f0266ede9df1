package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// writer holds the WRITE permission the petstore's patch and delete need.
var writer = &auth.Principal{Token: "writer", Permissions: []string{"READ", "WRITE"}}

// TestWriteActions drives the hand-written petstore manifest
// (testdata/petstore) through create, replace, patch and delete, one step
// after another on the same store, checking every answer against the spec.
func TestWriteActions(t *testing.T) {
	f := loadAPI(t, "petstore")
	steps := []struct {
		name   string
		c      call
		status int
		body   string // exact JSON, when set
		has    []string
		header map[string]string
	}{
		{name: "list before", c: call{method: "GET", target: "/pets"}, status: 200, has: []string{`"Rex"`, `"Tom"`, `"Polly"`}},
		{name: "create assigns id and status", c: call{method: "POST", target: "/pets", body: `{"name":"Fido","tag":"dog"}`}, status: 201,
			body: `{"id":4,"name":"Fido","status":"available","tag":"dog"}`, header: map[string]string{"Location": "/pets/4"}},
		{name: "created is listed", c: call{method: "GET", target: "/pets?tag=dog"}, status: 200,
			body: `[{"birthDate":"2019-04-02","id":1,"name":"Rex","ownerEmail":"anna@example.com","status":"available","tag":"dog"},{"id":4,"name":"Fido","status":"available","tag":"dog"}]`},
		{name: "created is got", c: call{method: "GET", target: "/pets/4"}, status: 200, body: `{"id":4,"name":"Fido","status":"available","tag":"dog"}`},
		{name: "create: every violation with its pointer", c: call{method: "POST", target: "/pets", body: `{"name":"","status":"lost","color":"red"}`}, status: 400,
			has: []string{`request body at /name`, `request body at /status`, `request body at /color: property \"color\" is unsupported`, `"code":400`}},
		{name: "create: not JSON", c: call{method: "POST", target: "/pets", body: `{"name":`}, status: 400, has: []string{`request body`}},
		{name: "create: no body", c: call{method: "POST", target: "/pets"}, status: 400, has: []string{`request body`}},
		{name: "replace", c: call{method: "PUT", target: "/pets/4", body: `{"name":"Fido II","status":"pending"}`}, status: 200,
			body: `{"id":4,"name":"Fido II","status":"pending"}`},
		{name: "replace: a field left out takes its schema's default", c: call{method: "PUT", target: "/pets/4", body: `{"name":"No status"}`}, status: 200,
			body: `{"id":4,"name":"No status","status":"available"}`},
		{name: "replace: unknown id is 404, PUT does not create", c: call{method: "PUT", target: "/pets/99", body: `{"name":"X","status":"sold"}`}, status: 404,
			body: `{"code":404,"message":"Pet not found"}`},
		{name: "replace: bad path parameter", c: call{method: "PUT", target: "/pets/0", body: `{"name":"X"}`}, status: 400, has: []string{`parameter \"petId\" in path`}},
		{name: "patch merges, null removes", c: call{method: "PATCH", target: "/pets/1", body: `{"status":"sold","ownerEmail":null}`, who: writer}, status: 200,
			body: `{"birthDate":"2019-04-02","id":1,"name":"Rex","status":"sold","tag":"dog"}`},
		{name: "patch needs WRITE", c: call{method: "PATCH", target: "/pets/1", body: `{"status":"sold"}`, who: readonly}, status: 403,
			has: []string{`missing permission WRITE`}},
		{name: "patch: bad value", c: call{method: "PATCH", target: "/pets/1", body: `{"ownerEmail":"nope"}`, who: writer}, status: 400,
			has: []string{`request body at /ownerEmail`}},
		{name: "delete", c: call{method: "DELETE", target: "/pets/4", who: writer}, status: 204},
		{name: "deleted is 404", c: call{method: "GET", target: "/pets/4"}, status: 404},
		{name: "deleted twice is 404", c: call{method: "DELETE", target: "/pets/4", who: writer}, status: 404},
		{name: "delete guarded by a scheduled visit", c: call{method: "DELETE", target: "/pets/2", who: writer}, status: 409,
			has: []string{`pet \"2\" cannot be deleted: PET_HAS_VISITS: it has scheduled visits; cancel them first (v1)`, `"code":409`}},
		{name: "a done visit does not guard", c: call{method: "DELETE", target: "/pets/1", who: writer}, status: 204},
		{name: "empty data set: nothing to delete", c: call{method: "DELETE", target: "/pets/3", who: writer, data: reqctx.DataEmpty}, status: 404},
		{name: "next id after deletes", c: call{method: "POST", target: "/pets", body: `{"name":"Kit"}`}, status: 201, header: map[string]string{"Location": "/pets/4"}},
	}
	for _, st := range steps {
		resp := f.do(t, st.c)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != st.status {
			t.Fatalf("%s: status %d, want %d; body %s", st.name, resp.StatusCode, st.status, body)
		}
		if st.body != "" && !reflect.DeepEqual(jsonOf(t, string(body)), jsonOf(t, st.body)) {
			t.Errorf("%s: body\n%s\nwant\n%s", st.name, body, st.body)
		}
		for _, s := range st.has {
			if !strings.Contains(string(body), s) {
				t.Errorf("%s: body %s lacks %s", st.name, body, s)
			}
		}
		for k, v := range st.header {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", st.name, k, got, v)
			}
		}
		if err := f.checkResponse(t, st.c.method, mustURL(t, st.c.target), resp, body); err != nil {
			t.Errorf("%s: response does not match the spec: %v\n%s", st.name, err, body)
		}
	}
	f.st.Reset()
	if resp := f.do(t, call{method: "GET", target: "/pets/1"}); resp.StatusCode != 200 {
		t.Errorf("after reset, GET /pets/1 = %d", resp.StatusCode)
	}
	if resp := f.do(t, call{method: "GET", target: "/pets/4"}); resp.StatusCode != 404 {
		t.Errorf("after reset, GET /pets/4 = %d, want 404", resp.StatusCode)
	}
}

// TestWriteDuplicateKeyIsConflict: a create whose body takes a key in use
// is a 409, and the store is unchanged.
func TestWriteDuplicateKeyIsConflict(t *testing.T) {
	f := loadAPI(t, "petstore")
	b := f.api.REST.Operations["createPet"]
	b.Assign = map[string]any{"id": 1, "status": "sold"} // always the taken id
	f.api.REST.Operations["createPet"] = b
	eng, err := New(f.api, f.doc, f.st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	resp := f.do(t, call{method: "POST", target: "/pets", body: `{"name":"Twin"}`})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 409 || !strings.Contains(string(body), "duplicate") {
		t.Fatalf("status %d %s, want 409 naming the duplicate", resp.StatusCode, body)
	}
	if n, _ := f.st.Len("petstore.pets"); n != 3 {
		t.Errorf("pets = %d after a refused create, want 3", n)
	}
}

// FuzzWrite: any method, path and body on the petstore's write bindings
// never panics, never answers 5xx, and answers what the spec documents;
// the store keeps its unique keys (every pet can be got by its id).
func FuzzWrite(f *testing.F) {
	fx := loadAPI(f, "petstore")
	seeds := []struct {
		method     byte
		path, body string
	}{
		{2, "/pets", `{"name":"Fido"}`},
		{2, "/pets", `{"name":"","status":"lost","x":1}`},
		{2, "/pets", `[1,2]`},
		{3, "/pets/1", `{"name":"Rex","status":"sold"}`},
		{6, "/pets/1", `{"ownerEmail":null,"tag":{"a":null}}`},
		{6, "/pets/2", `null`},
		{4, "/pets/2", ``},
		{4, "/pets/1", ``},
		{3, "/pets/99999999999999999999", `{"name":"x"}`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body)
	}
	h := fx.handler()
	f.Fuzz(func(t *testing.T, mi byte, path, body string) {
		method := fuzzMethods[int(mi)%len(fuzzMethods)]
		u, err := url.ParseRequestURI(path)
		if err != nil || strings.ContainsAny(path, " \t\r\n") {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(body))
		r.Method, r.URL, r.RequestURI = method, u, path
		r.Header.Set("Content-Type", "application/json")
		r = r.WithContext(reqctx.WithPrincipal(context.Background(), writer))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		resp := w.Result()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s %s: %d %s", method, path, body, resp.StatusCode, got)
		}
		if err := fx.checkResponse(t, method, u, resp, got); err != nil {
			t.Fatalf("%s %s %s: %d %s: %v", method, path, body, resp.StatusCode, got, err)
		}
		_ = fx.st.Scan("petstore.pets", func(it store.Item) bool {
			if _, ok, _ := fx.st.Get("petstore.pets", "id", it.Lookup("id")); !ok {
				t.Fatalf("pet %v cannot be got by its id", it.Lookup("id"))
			}
			return true
		})
	})
}

// TestScopedWrites: with scoped bindings, a token limited to dogs may
// create, change and delete dogs only, and may not turn a dog into a cat.
func TestScopedWrites(t *testing.T) {
	f := loadAPI(t, "petstore")
	for _, id := range []string{"createPet", "updatePet", "deletePet"} {
		b := f.api.REST.Operations[id]
		b.Scoped = true
		f.api.REST.Operations[id] = b
	}
	eng, err := New(f.api, f.doc, f.st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	dogs := &auth.Principal{Token: "dogs", Permissions: []string{"WRITE"}, Scopes: map[string]auth.Scope{"petstore": {Match: map[string]any{"tag": "dog"}}}}
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"create a cat", call{method: "POST", target: "/pets", body: `{"name":"Tom II","tag":"cat"}`, who: dogs}, 403},
		{"create a dog", call{method: "POST", target: "/pets", body: `{"name":"Fido","tag":"dog"}`, who: dogs}, 201},
		{"patch a cat", call{method: "PATCH", target: "/pets/2", body: `{"name":"Tom II"}`, who: dogs}, 403},
		{"turn a dog into a cat", call{method: "PATCH", target: "/pets/1", body: `{"tag":"cat"}`, who: dogs}, 403},
		{"patch a dog", call{method: "PATCH", target: "/pets/1", body: `{"name":"Rex II"}`, who: dogs}, 200},
		{"delete a bird", call{method: "DELETE", target: "/pets/3", who: dogs}, 403},
	}
	for _, tt := range tests {
		resp := f.do(t, tt.c)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, body, tt.status)
		}
	}
	if n, _ := f.st.Len("petstore.pets"); n != 4 {
		t.Errorf("%d pets, want 4 (only the dog created)", n)
	}
	if it, _, _ := f.st.Get("petstore.pets", "id", 1); it.Lookup("tag") != "dog" || it.Lookup("name") != "Rex II" {
		t.Errorf("pet 1 = %v", it.Record())
	}
}
