package manifest

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/standin/standin/internal/usererr"
)

const good = `
name: books
title: Books
auth: {bearer: true}
collections:
  - name: books
    unique: [isbn]
rest:
  spec: openapi.yaml
  operations:
    getBook: {collection: books, action: get, key: {param: isbn, field: isbn}}
rateLimit: {limit: 10, window: 1m}
`

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{"books/api.yaml": {Data: []byte(good)}}
	a, err := Load(fsys, "books")
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir != "books" || a.RateLimit.Limit != 10 || time.Duration(a.RateLimit.Window) != time.Minute {
		t.Errorf("loaded %+v", a)
	}
	if e := a.Error(404); e.Message != "Not found" || e.Code != "NOT_FOUND" {
		t.Errorf("fallback 404 shape = %+v", e)
	}
}

// TestLoadRejects: every broken rule is an *usererr.Error at the line and
// column of the value (or key) at fault, with the fix.
func TestLoadRejects(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad name", strings.Replace(good, "name: books\n", "name: Books!\n", 1), `2:7: name "Books!" must be lower-case letters, digits and dashes; use lower-case letters`},
		{"unknown key", good + "extra: 1\n", `13:1: unknown key "extra"; valid keys here: auth, collections`},
		{"wrong type", strings.Replace(good, "unique: [isbn]", "unique: isbn", 1), "7:13: collections.0.unique: want a list, not \"isbn\""},
		{"no protocol", "name: x\nauth: {bearer: true}\n", "1:1: API \"x\" has neither rest nor graphql; add rest:"},
		{"no auth", strings.Replace(good, "auth: {bearer: true}", "auth: {}", 1), "4:7: auth: no way to authenticate; write auth: {bearer: true}"},
		{"unknown collection", strings.Replace(good, "{collection: books, action: get", "{collection: nope, action: get", 1), `11:27: rest operation "getBook": unknown collection "nope"; use one of the collections: books`},
		{"bad action", strings.Replace(good, "action: get", "action: put", 1), "11:42: rest operation \"getBook\": action \"put\" is not list, get, create"},
		{"replace without key", strings.Replace(good, "action: get, key: {param: isbn, field: isbn}", "action: replace", 1), "11:14: rest operation \"getBook\": replace needs key.param and key.field; add key:"},
		{"create with paging", strings.Replace(good, "action: get, key: {param: isbn, field: isbn}", "action: create, paging: {limit: l}", 1), "list only"},
		{"assign outside create", strings.Replace(good, "action: get,", "action: get, assign: {id: \"{{uuid}}\"},", 1), "create only"},
		{"blockers outside delete", strings.Replace(good, "action: get,", "action: patch, blockers: [{collection: books, field: isbn}],", 1), "delete only"},
		{"blocker unknown collection", strings.Replace(good, "action: get,", "action: delete, blockers: [{collection: loans, field: isbn}],", 1), "11:61: rest operation \"getBook\": blocker needs a known collection"},
		{"get without key", strings.Replace(good, ", key: {param: isbn, field: isbn}", "", 1), "key.param"},
		{"no unique", strings.Replace(good, "unique: [isbn]", "unique: []", 1), "6:5: collection \"books\" needs at least one unique field; add unique:"},
		{"bad window", strings.Replace(good, "window: 1m", "window: soon", 1), "12:32: \"soon\" is not a duration; write a Go duration"},
		{"zero limit", strings.Replace(good, "limit: 10", "limit: 0", 1), "12:12: rateLimit needs a positive limit and window"},
		{"syntax", strings.Replace(good, "title: Books", "title: Books: the API", 1), "3:13: YAML syntax: mapping values are not allowed"},
		{"empty", "# nothing\n", "books/api.yaml: the manifest is empty"},
	}
	for _, tt := range tests {
		_, err := Load(fstest.MapFS{"books/api.yaml": {Data: []byte(tt.yaml)}}, "books")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
			continue
		}
		e, ok := usererr.Find(err)
		if !ok || e.File != "books/api.yaml" || e.Fix == "" || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %#v, want a *usererr.Error naming books/api.yaml with a fix, matching ErrInvalid", tt.name, err)
		}
	}
}

func TestLoadWriteActions(t *testing.T) {
	y := strings.Replace(good, "    getBook:", `    createBook: {collection: books, action: create, assign: {id: "{{uuid}}"}}
    replaceBook: {collection: books, action: replace, key: {param: isbn, field: isbn}}
    patchBook: {collection: books, action: patch, key: {param: isbn, field: isbn}}
    deleteBook: {collection: books, action: delete, key: {param: isbn, field: isbn}, blockers: [{collection: books, field: isbn, code: HELD}]}
    getBook:`, 1)
	a, err := Load(fstest.MapFS{"books/api.yaml": {Data: []byte(y)}}, "books")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.REST.Operations["deleteBook"].Blockers; len(got) != 1 || got[0].Code != "HELD" {
		t.Errorf("delete blockers = %+v", got)
	}
	if err := a.Check(); err != nil {
		t.Errorf("Check on a loaded manifest = %v", err)
	}
}

func TestLoadAllRejectsDuplicateNames(t *testing.T) {
	fsys := fstest.MapFS{"a/api.yaml": {Data: []byte(good)}, "b/api.yaml": {Data: []byte(good)}, "c/readme.txt": {Data: []byte("x")}}
	if _, err := LoadAll(fsys); !errors.Is(err, ErrInvalid) {
		t.Errorf("LoadAll = %v, want ErrInvalid", err)
	}
	apis, err := LoadAll(fstest.MapFS{"a/api.yaml": {Data: []byte(good)}, "c/readme.txt": {Data: []byte("x")}})
	if err != nil || len(apis) != 1 {
		t.Errorf("LoadAll = %d APIs, %v", len(apis), err)
	}
}
