// Package render writes responses in an API's own wire shape: REST errors
// from the manifest's error templates, GraphQL errors as GraphQL responses,
// and JSON bodies. It never decides a status; callers pass one.
package render

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/jsonw"
	"github.com/standin/standin/internal/manifest"
)

// Problem is an error to render: a status, and optionally a message and
// code that replace the manifest's defaults for that status.
type Problem struct {
	Status  int
	Message string
	Code    string
	// Headers are added to the response (e.g. Retry-After, Allow).
	Headers map[string]string
	// Extensions are added to a GraphQL error's extensions.
	Extensions map[string]any
}

// JSON writes v as a JSON body with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	body, err := jsonw.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"response could not be encoded"}`)
	}
	Raw(w, status, "application/json", body)
}

// Raw writes a pre-encoded body.
func Raw(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// RESTBody returns the JSON body of a REST error in the API's shape.
func RESTBody(api *manifest.API, p Problem) any {
	shape := api.Error(p.Status)
	msg, code := p.Message, p.Code
	if msg == "" {
		msg = shape.Message
	}
	if code == "" {
		code = shape.Code
	}
	return fill(shape.Body, map[string]any{"message": msg, "code": code, "status": p.Status})
}

// GraphQLBody returns the GraphQL response of a request-level error: no
// data, one error with extensions.code.
func GraphQLBody(api *manifest.API, p Problem) map[string]any {
	shape := api.Error(p.Status)
	msg, code := p.Message, p.Code
	if msg == "" {
		msg = shape.Message
	}
	if code == "" {
		code = shape.Code
		if shape.GraphQLCode != "" {
			code = shape.GraphQLCode
		}
	}
	ext := map[string]any{"code": code}
	for k, v := range p.Extensions {
		ext[k] = v
	}
	return map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": ext}}}
}

// Headers applies the manifest's headers for the status, then p's.
func Headers(w http.ResponseWriter, api *manifest.API, p Problem) {
	for k, v := range api.Error(p.Status).Headers {
		w.Header().Set(k, v)
	}
	for k, v := range p.Headers {
		w.Header().Set(k, v)
	}
}

// REST writes a REST error in the API's shape.
func REST(w http.ResponseWriter, api *manifest.API, p Problem) {
	Headers(w, api, p)
	JSON(w, p.Status, RESTBody(api, p))
}

// GraphQL writes a request-level GraphQL error with the HTTP status p.Status.
func GraphQL(w http.ResponseWriter, api *manifest.API, p Problem) {
	Headers(w, api, p)
	JSON(w, p.Status, GraphQLBody(api, p))
}

// fill copies a JSON template, replacing {{name}} placeholders in strings.
func fill(tmpl any, vars map[string]any) any {
	switch t := tmpl.(type) {
	case string:
		if strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}") && strings.Count(t, "{{") == 1 {
			if v, ok := vars[strings.TrimSpace(t[2:len(t)-2])]; ok {
				return v
			}
		}
		for k, v := range vars {
			t = strings.ReplaceAll(t, "{{"+k+"}}", toString(v))
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[k] = fill(v, vars)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = fill(v, vars)
		}
		return out
	}
	return tmpl
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	}
	b, _ := jsonw.Marshal(v)
	return string(b)
}
