package manifest

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
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

func TestLoadRejects(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad name", strings.Replace(good, "name: books\n", "name: Books!\n", 1), "lower-case"},
		{"unknown key", good + "extra: 1\n", "field extra not found"},
		{"no protocol", "name: x\nauth: {bearer: true}\n", "neither rest nor graphql"},
		{"no auth", strings.Replace(good, "auth: {bearer: true}", "auth: {}", 1), "choose bearer"},
		{"unknown collection", strings.Replace(good, "{collection: books, action: get", "{collection: nope, action: get", 1), "unknown collection"},
		{"bad action", strings.Replace(good, "action: get", "action: put", 1), "not list or get"},
		{"get without key", strings.Replace(good, ", key: {param: isbn, field: isbn}", "", 1), "key.param"},
		{"no unique", strings.Replace(good, "unique: [isbn]", "unique: []", 1), "unique field"},
		{"bad window", strings.Replace(good, "window: 1m", "window: soon", 1), "invalid duration"},
		{"zero limit", strings.Replace(good, "limit: 10", "limit: 0", 1), "positive limit"},
	}
	for _, tt := range tests {
		_, err := Load(fstest.MapFS{"books/api.yaml": {Data: []byte(tt.yaml)}}, "books")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
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
