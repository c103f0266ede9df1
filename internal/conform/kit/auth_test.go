package kit

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
)

// TestCredentialsFor: an operation's credentials are the first
// alternative of its security the run has secrets for (by scheme name;
// the token for a bearer-like scheme); none for an open operation, and
// for an optional one without secrets; a required one without them says
// what to give.
func TestCredentialsFor(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"},
		"security": [{"key": []}, {"bearer": [], "app": []}],
		"paths": {
			"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}},
			"/b": {"get": {"operationId": "b", "security": [], "responses": {"200": {"description": "ok"}}}},
			"/c": {"get": {"operationId": "c", "security": [{}, {"basic": []}], "responses": {"200": {"description": "ok"}}}}},
		"components": {"securitySchemes": {
			"key": {"type": "apiKey", "in": "header", "name": "X-Key"},
			"bearer": {"type": "http", "scheme": "bearer"},
			"app": {"type": "apiKey", "in": "query", "name": "app"},
			"basic": {"type": "http", "scheme": "basic"}}}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ops := map[string]model.Operation{}
	for _, o := range (&model.API{OpenAPI: d}).Operations() {
		ops[o.ID()] = o
	}
	show := func(cs Credentials) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Scheme.Name+"="+c.Value)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name         string
		conf         conform.APIConfig
		a, b, c, why string
	}{
		{"the apiKey given", conform.APIConfig{Credentials: map[string]string{"key": "k"}}, "key=k", "", "", ""},
		{"bearer and app: the second alternative, the token standing for bearer", conform.APIConfig{Token: "t", Credentials: map[string]string{"app": "p"}}, "app=p bearer=t", "", "", ""},
		{"basic for the optional one", conform.APIConfig{Credentials: map[string]string{"basic": "u:p", "key": "k"}}, "key=k", "", "basic=u:p", ""},
		{"only the token: no alternative is whole", conform.APIConfig{Token: "t"}, "", "", "", "--credential key=VALUE"},
	} {
		a := &API{API: &model.API{OpenAPI: d}, Conf: tc.conf}
		ca, why := a.CredentialsFor(ops["a"])
		cb, _ := a.CredentialsFor(ops["b"])
		cc, _ := a.CredentialsFor(ops["c"])
		if show(ca) != tc.a || show(cb) != tc.b || show(cc) != tc.c || !strings.Contains(why, tc.why) || (tc.why == "") != (why == "") {
			t.Errorf("%s: a %q b %q c %q (why %q), want a %q b %q c %q (why %q)", tc.name, show(ca), show(cb), show(cc), why, tc.a, tc.b, tc.c, tc.why)
		}
	}
	a := &API{API: &model.API{OpenAPI: d}, Conf: conform.APIConfig{Credentials: map[string]string{"basic": "u:p"}}}
	if u := a.UnknownCredentialsFor(ops["c"]); show(u) != "basic="+UnknownToken+":"+UnknownToken {
		t.Errorf("unknown basic credentials %q: want a user and a password", show(u))
	}
}
