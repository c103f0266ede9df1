package conform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/respcheck"
)

// gqlError is one entry of a GraphQL response's "errors".
type gqlError struct {
	Message    *string         `json:"message"`
	Locations  json.RawMessage `json:"locations"`
	Path       []any           `json:"path"`
	Extensions map[string]any  `json:"extensions"`
}

func (e gqlError) code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// gqlResult is a decoded GraphQL response.
type gqlResult struct {
	HTTP   Response
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// hasData reports whether data is present and not null.
func (r gqlResult) hasData() bool {
	return len(r.Data) > 0 && string(r.Data) != "null"
}

// decoded returns data decoded (numbers as json.Number).
func (r gqlResult) decoded() map[string]any {
	v, _ := decodeJSON(r.Data)
	m, _ := v.(map[string]any)
	return m
}

// gql sends a GraphQL request (POST, JSON) and decodes the response. A
// body that is not a GraphQL response stops the step.
func gql(t *T, token, query string, vars map[string]any) gqlResult {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp := t.Do(Request{Method: http.MethodPost, Path: t.api.GraphQLPath, Token: token, Body: body})
	res := gqlResult{HTTP: resp}
	dec := json.NewDecoder(bytes.NewReader(resp.Body))
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("", "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}

// requireOK records violations unless the response is HTTP 200 with data
// and no errors.
func requireOK(t *T, r gqlResult) bool {
	ok := true
	if r.HTTP.Status != http.StatusOK {
		t.Errorf("status", "want HTTP 200, got %d", r.HTTP.Status)
		ok = false
	}
	for i, e := range r.Errors {
		msg := "(no message)"
		if e.Message != nil {
			msg = *e.Message
		}
		t.Errorf(fmt.Sprintf("errors[%d]", i), "unexpected error %s: %s (path %v)", e.code(), msg, e.Path)
		ok = false
	}
	if !r.hasData() {
		t.Errorf("data", "no data in the response")
		ok = false
	}
	return ok
}

// validateSelection checks data against the selection set (respcheck) and
// records each violation with its GraphQL response path.
func validateSelection(t *T, doc *ast.QueryDocument, opName string, vars map[string]any, r gqlResult) {
	if !r.hasData() {
		return
	}
	for _, v := range respcheck.ValidateJSON(t.api.Schema, doc, opName, vars, r.Data) {
		t.Errorf("data."+respcheck.PathString(v.Path), "%s [%s]", v.Message, v.Kind)
	}
}

// parseQuery parses and validates a query against the API's schema.
func parseQuery(schema *ast.Schema, query string) (*ast.QueryDocument, error) {
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		return nil, errs
	}
	return doc, nil
}

// at walks decoded JSON by keys and indexes.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// pathString renders a GraphQL path like data.accounts.nodes[3].
func pathString(prefix string, path ...any) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range path {
		switch k := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		default:
			fmt.Fprintf(&b, ".%v", k)
		}
	}
	return b.String()
}

// leafFields lists the scalar and enum fields of an object type without
// required arguments, sorted.
func leafFields(schema *ast.Schema, def *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || hasRequiredArgs(f) {
			continue
		}
		if d := schema.Types[f.Type.Name()]; d != nil && (d.Kind == ast.Scalar || d.Kind == ast.Enum) {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

func hasRequiredArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// canonical renders a JSON value canonically for comparisons.
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkErrorShape records violations unless every error has a string
// message, and (when wantCode is set) one error has that extensions.code.
// withPath and withLocations require path and locations on the coded error.
func checkErrorShape(t *T, r gqlResult, wantCode string, wantPath []any) {
	if len(r.Errors) == 0 {
		t.Errorf("errors", "want an error with extensions.code %s, got no errors", wantCode)
		return
	}
	found := false
	for i, e := range r.Errors {
		where := fmt.Sprintf("errors[%d]", i)
		if e.Message == nil || *e.Message == "" {
			t.Errorf(where+".message", "an error needs a non-empty message")
		}
		if len(e.Locations) > 0 && string(e.Locations) != "null" {
			var locs []struct {
				Line   *int `json:"line"`
				Column *int `json:"column"`
			}
			if err := json.Unmarshal(e.Locations, &locs); err != nil {
				t.Errorf(where+".locations", "locations must be a list of {line, column}: %v", err)
			} else {
				for j, l := range locs {
					if l.Line == nil || l.Column == nil || *l.Line < 1 || *l.Column < 1 {
						t.Errorf(fmt.Sprintf("%s.locations[%d]", where, j), "a location needs positive line and column")
					}
				}
			}
		}
		if e.code() != wantCode {
			continue
		}
		found = true
		if wantPath != nil {
			if canonical(e.Path) != canonical(wantPath) {
				t.Errorf(where+".path", "want path %s, got %s", canonical(wantPath), canonical(e.Path))
			}
			if len(e.Locations) == 0 || string(e.Locations) == "null" {
				t.Errorf(where+".locations", "a field error needs locations")
			}
		}
	}
	if !found {
		codes := []string{}
		for _, e := range r.Errors {
			codes = append(codes, fmt.Sprintf("%q", e.code()))
		}
		t.Errorf("errors", "want an error with extensions.code %s, got codes %s", wantCode, strings.Join(codes, ", "))
	}
}
