package server

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/standin/standin/internal/config"
)

// resourcesSpec is the document of resources inferred from paths and
// schemas (internal/specinfer/testdata/resources.yaml).
const resourcesSpec = "resources=../specinfer/testdata/resources.yaml"

// TestResourcesInferred pins what a --spec document's resources are:
// a nested single resource answers one record, a list of scalars the
// records' names, keys stay within the path parameter's bounds and
// pattern, a create needs only what its request schema requires, a
// membership check answers 204, a nested collection is scoped by its
// parents, and only documented statuses are answered.
func TestResourcesInferred(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Specs = []string{resourcesSpec} })
	get := func(t *testing.T, path string) stResp { t.Helper(); return s.do(t, stReq{path: path}) }
	send := func(t *testing.T, method, path, body string) stResp {
		t.Helper()
		return s.do(t, stReq{method: method, path: path, body: body})
	}
	object := func(t *testing.T, r stResp) map[string]any {
		t.Helper()
		m, ok := r.json(t).(map[string]any)
		if !ok {
			t.Fatalf("not an object: %s", r)
		}
		return m
	}

	t.Run("a nested single resource is one record", func(t *testing.T) {
		list, ok := get(t, "/gists").json(t).([]any)
		if !ok || len(list) == 0 {
			t.Fatal("no gists")
		}
		id := list[0].(map[string]any)["id"].(string)
		r := get(t, "/gists/"+url.PathEscape(id))
		if r.status != 200 || object(t, r)["id"] != id {
			t.Fatalf("GET /gists/%s: %s", id, r)
		}
	})

	t.Run("a list of scalars lists the records' names", func(t *testing.T) {
		r := get(t, "/templates")
		names, ok := r.json(t).([]any)
		if r.status != 200 || !ok || len(names) == 0 {
			t.Fatalf("GET /templates: %s", r)
		}
		name, ok := names[0].(string)
		if !ok {
			t.Fatalf("not a list of strings: %s", r)
		}
		if one := get(t, "/templates/"+url.PathEscape(name)); one.status != 200 || object(t, one)["name"] != name {
			t.Errorf("GET /templates/%s: %s", name, one)
		}
	})

	t.Run("integer keys within the parameter's maximum, readable after a create", func(t *testing.T) {
		list, _ := get(t, "/campaigns").json(t).([]any)
		for _, c := range list {
			if n := c.(map[string]any)["number"].(float64); n < 1 || n > 25 {
				t.Errorf("campaign number %v outside [1, 25]", n)
			}
		}
		if len(list) > 25/2 {
			t.Errorf("%d campaigns generated, more than half the 25 numbers the parameter's bounds allow (the rest is the room creates have)", len(list))
		}
		// the creates that fill the bounds are readable; one more is a conflict
		created := 0
		for i := len(list); i < 25; i++ {
			r := send(t, "POST", "/campaigns", `{"title":"Spring sale"}`)
			if r.status != 200 {
				t.Fatalf("create %d: %s (want 200, the only documented status)", i, r)
			}
			n := object(t, r)["number"].(float64)
			if n < 1 || n > 25 {
				t.Fatalf("created number %v outside [1, 25]", n)
			}
			if back := get(t, "/campaigns/"+strconv.Itoa(int(n))); back.status != 200 {
				t.Fatalf("read back %v: %s", n, back)
			}
			created++
		}
		if r := send(t, "POST", "/campaigns", `{"title":"One too many"}`); r.status != 409 {
			t.Errorf("a create with every number taken: %s, want 409", r)
		}
	})

	t.Run("string keys match the parameter's pattern", func(t *testing.T) {
		r := send(t, "POST", "/codes", `{"label":"Gift card"}`)
		if r.status != 201 {
			t.Fatalf("POST /codes: %s", r)
		}
		code, _ := object(t, r)["code"].(string)
		if !regexp.MustCompile(`^[A-Z]{3}-[0-9]{2}$`).MatchString(code) {
			t.Fatalf("created code %q does not match ^[A-Z]{3}-[0-9]{2}$", code)
		}
		if back := get(t, "/codes/"+code); back.status != 200 {
			t.Errorf("read back %s: %s", code, back)
		}
		if del := send(t, "DELETE", "/codes/"+code, ""); del.status != 204 || len(del.body) != 0 {
			t.Errorf("DELETE /codes/%s: %s, want 204 without a body", code, del)
		}
	})

	t.Run("create, read, list, update, delete per the request schema", func(t *testing.T) {
		s.do(t, stReq{method: "POST", path: "/__standin/reset"})
		r := send(t, "POST", "/campaigns", `{"title":"Winter sale"}`)
		if r.status != 200 {
			t.Fatalf("create with only the request schema's required title: %s", r)
		}
		c := object(t, r)
		for _, f := range []string{"number", "title", "state", "created_at", "url", "author"} {
			if c[f] == nil {
				t.Errorf("created record lacks %s (the record schema requires it): %s", f, r)
			}
		}
		n := strconv.Itoa(int(c["number"].(float64)))
		if back := object(t, get(t, "/campaigns/"+n)); back["title"] != "Winter sale" {
			t.Errorf("read back: %v", back)
		}
		list, _ := get(t, "/campaigns").json(t).([]any)
		if !slices.ContainsFunc(list, func(x any) bool { return x.(map[string]any)["title"] == "Winter sale" }) {
			t.Error("the created campaign is not listed")
		}
		if up := send(t, "PATCH", "/campaigns/"+n, `{"state":"closed"}`); up.status != 200 || object(t, up)["state"] != "closed" {
			t.Errorf("PATCH: %s", up)
		}
		if back := object(t, get(t, "/campaigns/"+n)); back["state"] != "closed" || back["title"] != "Winter sale" {
			t.Errorf("read back after the patch: %v", back)
		}
		if del := send(t, "DELETE", "/campaigns/"+n, ""); del.status != 200 || string(del.body) != "{}" {
			t.Errorf("DELETE: %s, want the documented 200 and its empty object", del)
		}
		if gone := get(t, "/campaigns/"+n); gone.status != 404 {
			t.Errorf("read after the delete: %s", gone)
		}
	})

	t.Run("a membership check answers 204", func(t *testing.T) {
		list, _ := get(t, "/teams/core/members").json(t).([]any)
		if len(list) == 0 {
			t.Fatal("no members")
		}
		login := list[0].(map[string]any)["login"].(string)
		if r := get(t, "/teams/core/members/"+url.PathEscape(login)); r.status != 204 || len(r.body) != 0 {
			t.Errorf("check of member %s: %s, want 204 without a body", login, r)
		}
		if r := get(t, "/teams/core/members/nobody-at-all"); r.status != 404 {
			t.Errorf("check of a non-member: %s", r)
		}
	})

	t.Run("a nested collection is scoped by its parents", func(t *testing.T) {
		r := send(t, "POST", "/repos/octo/hello/issues", `{"title":"Crash on start"}`)
		if r.status != 201 {
			t.Fatalf("create: %s", r)
		}
		n := strconv.Itoa(int(object(t, r)["number"].(float64)))
		if _, leaked := object(t, r)["@parents"]; leaked {
			t.Errorf("the parent values are answered: %s", r)
		}
		if back := get(t, "/repos/octo/hello/issues/"+n); back.status != 200 {
			t.Errorf("read under its parents: %s", back)
		}
		if other := get(t, "/repos/octo/other/issues/"+n); other.status != 404 {
			t.Errorf("read under other parents: %s, want 404", other)
		}
		titles := func(path string) []any {
			var out []any
			list, _ := get(t, path).json(t).([]any)
			for _, x := range list {
				out = append(out, x.(map[string]any)["title"])
			}
			return out
		}
		if !slices.Contains(titles("/repos/octo/hello/issues"), any("Crash on start")) {
			t.Error("not listed under its parents")
		}
		if slices.Contains(titles("/repos/octo/other/issues"), any("Crash on start")) {
			t.Error("listed under other parents")
		}
		if del := send(t, "DELETE", "/repos/octo/other/issues/"+n, ""); del.status != 404 {
			t.Errorf("delete under other parents: %s, want 404", del)
		}
		if del := send(t, "DELETE", "/repos/octo/hello/issues/"+n, ""); del.status != 204 {
			t.Errorf("delete under its parents: %s", del)
		}
	})
}

// TestResourcesSameSeedSameBytes: the same seed gives the same answers.
func TestResourcesSameSeedSameBytes(t *testing.T) {
	var bodies [2][]byte
	for i := range bodies {
		s := stStart(t, func(c *config.Config) { c.Specs = []string{resourcesSpec}; c.Seed = 7 })
		b, err := json.Marshal([]any{s.do(t, stReq{path: "/campaigns"}).json(t), s.do(t, stReq{path: "/gists"}).json(t), s.do(t, stReq{path: "/repos/a/b/issues"}).json(t)})
		if err != nil {
			t.Fatal(err)
		}
		bodies[i] = b
	}
	if string(bodies[0]) != string(bodies[1]) {
		t.Errorf("same seed, other answers:\n%s\n%s", bodies[0], bodies[1])
	}
}
