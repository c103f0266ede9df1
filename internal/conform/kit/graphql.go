package kit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/respcheck"
)

// GQLError is one entry of a GraphQL response's "errors".
type GQLError struct {
	Message    *string         `json:"message"`
	Locations  json.RawMessage `json:"locations"`
	Path       []any           `json:"path"`
	Extensions map[string]any  `json:"extensions"`
}

// Code is the error's extensions.code ("" when none).
func (e GQLError) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// GQLResult is a decoded GraphQL response.
type GQLResult struct {
	HTTP   Response
	Data   json.RawMessage `json:"data"`
	Errors []GQLError      `json:"errors"`
}

// HasData reports whether data is present and not null.
func (r GQLResult) HasData() bool {
	return len(r.Data) > 0 && string(r.Data) != "null"
}

// Decoded returns data decoded (numbers as json.Number).
func (r GQLResult) Decoded() map[string]any {
	v, _ := DecodeJSON(r.Data)
	m, _ := v.(map[string]any)
	return m
}

// GQL sends a GraphQL request (POST, JSON) and decodes the response. A
// body that is not a GraphQL response stops the step.
func GQL(t *T, creds Credentials, query string, vars map[string]any) GQLResult {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := t.Do(Request{Method: http.MethodPost, Path: t.api.GraphQLPath(), Credentials: creds, Body: JSON(body)})
	res := GQLResult{HTTP: resp}
	dec := json.NewDecoder(bytes.NewReader(resp.Body))
	if err := dec.Decode(&res); err != nil {
		t.Fatalf(Body(""), "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}

// RequireOK records violations unless the response is HTTP 200 with data
// and no errors.
func RequireOK(t *T, r GQLResult) bool {
	ok := true
	if r.HTTP.Status != http.StatusOK {
		t.Errorf(Status(), "want HTTP 200, got %d", r.HTTP.Status)
		ok = false
	}
	for i, e := range r.Errors {
		msg := "(no message)"
		if e.Message != nil {
			msg = *e.Message
		}
		t.Errorf(GQLPath(fmt.Sprintf("errors[%d]", i)), "unexpected error %s: %s (path %v)", e.Code(), msg, e.Path)
		ok = false
	}
	if !r.HasData() {
		t.Errorf(GQLPath("data"), "no data in the response")
		ok = false
	}
	return ok
}

// ValidateSelection checks data against the selection set (respcheck) and
// records each violation with its GraphQL response path.
func ValidateSelection(t *T, doc *ast.QueryDocument, opName string, vars map[string]any, r GQLResult) {
	if !r.HasData() {
		return
	}
	for _, v := range respcheck.ValidateJSON(t.api.Schema, doc, opName, vars, r.Data) {
		t.Errorf(GQLPath("data."+respcheck.PathString(v.Path)), "%s [%s]", v.Message, v.Kind)
	}
}

// ParseQuery parses and validates a query against the API's schema.
func ParseQuery(schema *ast.Schema, query string) (*ast.QueryDocument, error) {
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
	if len(errs) > 0 {
		return nil, errs
	}
	return doc, nil
}

// CheckErrorShape records violations unless every error has a non-empty
// message and well-formed locations, and one error is the one wanted: with
// wantCode, an error whose extensions.code is wantCode; without (""), any
// error. With wantPath, that error must be at wantPath and have
// locations.
func CheckErrorShape(t *T, r GQLResult, wantCode string, wantPath []any) {
	want := "an error"
	if wantCode != "" {
		want = "an error with extensions.code " + wantCode
	}
	if wantPath != nil {
		want += " at " + Canonical(wantPath)
	}
	if len(r.Errors) == 0 {
		t.Errorf(GQLPath("errors"), "want %s, got no errors", want)
		return
	}
	found := false
	for i, e := range r.Errors {
		where := fmt.Sprintf("errors[%d]", i)
		if e.Message == nil || *e.Message == "" {
			t.Errorf(GQLPath(where+".message"), "an error needs a non-empty message")
		}
		if len(e.Locations) > 0 && string(e.Locations) != "null" {
			var locs []struct {
				Line   *int `json:"line"`
				Column *int `json:"column"`
			}
			if err := json.Unmarshal(e.Locations, &locs); err != nil {
				t.Errorf(GQLPath(where+".locations"), "locations must be a list of {line, column}: %v", err)
			} else {
				for j, l := range locs {
					if l.Line == nil || l.Column == nil || *l.Line < 1 || *l.Column < 1 {
						t.Errorf(GQLPath(fmt.Sprintf("%s.locations[%d]", where, j)), "a location needs positive line and column")
					}
				}
			}
		}
		if found || (wantCode != "" && e.Code() != wantCode) {
			continue
		}
		if wantPath != nil && wantCode == "" && Canonical(e.Path) != Canonical(wantPath) {
			continue // without a code, the wanted error is the one at the path
		}
		found = true
		if wantPath != nil {
			if Canonical(e.Path) != Canonical(wantPath) {
				t.Errorf(GQLPath(where+".path"), "want path %s, got %s", Canonical(wantPath), Canonical(e.Path))
			}
			if len(e.Locations) == 0 || string(e.Locations) == "null" {
				t.Errorf(GQLPath(where+".locations"), "a field error needs locations")
			}
		}
	}
	if !found {
		if wantCode == "" {
			paths := []string{}
			for _, e := range r.Errors {
				paths = append(paths, Canonical(e.Path))
			}
			t.Errorf(GQLPath("errors"), "want %s, got errors at %s", want, strings.Join(paths, ", "))
			return
		}
		codes := []string{}
		for _, e := range r.Errors {
			codes = append(codes, fmt.Sprintf("%q", e.Code()))
		}
		t.Errorf(GQLPath("errors"), "want %s, got codes %s", want, strings.Join(codes, ", "))
	}
}

// RequireData records violations unless the response is HTTP 200 with
// data in which every error is a field error at a null: an error whose
// path leads to a null in data, the field's own or, after the null
// propagated from a non-null field, an ancestor's (GraphQL specification,
// "Handling Field Errors"). A null with an error is legal for a nullable
// field, so it is no violation by itself; a null where the field is
// non-null is (ValidateSelection). With credentials configured, an error
// carrying the API's 401 or 403 code is a violation: the valid
// credentials were refused.
func RequireData(t *T, r GQLResult) bool {
	ok := true
	if r.HTTP.Status != http.StatusOK {
		t.Errorf(Status(), "want HTTP 200, got %d", r.HTTP.Status)
		ok = false
	}
	if !r.HasData() {
		for i, e := range r.Errors {
			t.Errorf(GQLPath(fmt.Sprintf("errors[%d]", i)), "error %s%s (path %v)", codeNote(e), message(e), Canonical(e.Path))
		}
		t.Errorf(GQLPath("data"), "no data in the response")
		return false
	}
	data, _ := DecodeJSON(r.Data)
	refused := map[string]bool{}
	if !t.api.Open() {
		refused[t.api.GraphQLErrorCode(http.StatusUnauthorized)] = true
		refused[t.api.GraphQLErrorCode(http.StatusForbidden)] = true
	}
	for i, e := range r.Errors {
		where := GQLPath(fmt.Sprintf("errors[%d]", i))
		switch {
		case len(e.Path) == 0:
			t.Errorf(where, "an error without a path beside data (a field error must say where it is): %s%s", codeNote(e), message(e))
			ok = false
		case !nullAt(data, e.Path):
			t.Errorf(where, "an error at %s, where the answer is not null: %s%s", PathString("data", e.Path...), codeNote(e), message(e))
			ok = false
		case e.Code() != "" && refused[e.Code()]:
			t.Errorf(where, "the valid credentials were refused at %s: %s%s", PathString("data", e.Path...), codeNote(e), message(e))
			ok = false
		}
	}
	return ok
}

// nullAt reports whether following path in data reaches a null, at the
// path or before it.
func nullAt(data any, path []any) bool {
	v := data
	for _, p := range path {
		if v == nil {
			return true
		}
		switch x := v.(type) {
		case map[string]any:
			k, ok := p.(string)
			if !ok {
				return false
			}
			next, has := x[k]
			if !has {
				return false
			}
			v = next
		case []any:
			var i int
			switch n := p.(type) {
			case float64:
				i = int(n)
			case json.Number:
				j, _ := n.Int64()
				i = int(j)
			default:
				return false
			}
			if i < 0 || i >= len(x) {
				return false
			}
			v = x[i]
		default:
			return false
		}
	}
	return v == nil
}

func codeNote(e GQLError) string {
	if c := e.Code(); c != "" {
		return c + ": "
	}
	return ""
}

func message(e GQLError) string {
	if e.Message == nil {
		return "(no message)"
	}
	return *e.Message
}
