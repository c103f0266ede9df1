package conform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/specs"
)

// restOp is one operation of an OpenAPI document.
type restOp struct {
	Method   string
	Path     string // template, e.g. /v2/clients/{client_id}
	PathItem *openapi3.PathItem
	Op       *openapi3.Operation
}

func (o restOp) ID() string {
	if o.Op.OperationID != "" {
		return o.Op.OperationID
	}
	return o.Method + " " + o.Path
}

// pathParams lists the operation's path parameters in template order.
func (o restOp) pathParams() []string {
	var out []string
	rest := o.Path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
}

// restOps lists the API's operations, sorted by path and method.
func restOps(a *API) []restOp {
	if a.OpenAPI == nil || a.OpenAPI.Paths == nil {
		return nil
	}
	var out []restOp
	for _, p := range a.OpenAPI.Paths.InMatchingOrder() {
		item := a.OpenAPI.Paths.Value(p)
		for method, op := range item.Operations() {
			out = append(out, restOp{Method: method, Path: p, PathItem: item, Op: op})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// documents reports whether the operation documents this status explicitly.
func (o restOp) documents(status int) bool {
	return o.Op.Responses != nil && o.Op.Responses.Status(status) != nil
}

// successStatus is the lowest documented 2xx status (0 if none).
func (o restOp) successStatus() int {
	best := 0
	if o.Op.Responses == nil {
		return 0
	}
	for code := range o.Op.Responses.Map() {
		n, err := strconv.Atoi(code)
		if err == nil && n >= 200 && n < 300 && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

// fill substitutes path parameters.
func (o restOp) fill(values map[string]string) string {
	p := o.Path
	for k, v := range values {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	return p
}

// validateResponse validates a response against the operation with
// openapi3filter.ValidateResponse (every violation collected, the project's
// format validators) and records each violation with an RFC 6901 pointer.
func validateResponse(t *T, o restOp, pathValues map[string]string, resp Response) {
	u, _ := url.Parse(t.api.BaseURL() + o.fill(pathValues))
	req := &http.Request{Method: o.Method, URL: u, Header: http.Header{}}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: pathValues,
			Route: &routers.Route{
				Spec: t.api.OpenAPI, Path: o.Path, PathItem: o.PathItem, Method: o.Method, Operation: o.Op,
			},
		},
		Status: resp.Status,
		Header: resp.Header,
		Body:   io.NopCloser(bytes.NewReader(resp.Body)),
		Options: &openapi3filter.Options{
			MultiError:              true,
			IncludeResponseStatus:   true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(specs.FormatValidators())},
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		for _, v := range flattenOpenAPIError(err) {
			t.Errorf(v.Where, "%s", v.Message)
		}
	}
}

// flattenOpenAPIError turns kin-openapi's nested errors (ResponseError,
// MultiError, SchemaError with MultiError origins) into violations, each
// with an RFC 6901 pointer built from SchemaError.JSONPointer().
func flattenOpenAPIError(err error) []Violation {
	var out []Violation
	var walk func(err error, reason string)
	walk = func(err error, reason string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, reason)
			}
			return
		case *openapi3filter.ResponseError:
			if e.Err == nil {
				out = append(out, Violation{Where: whereOfReason(e.Reason), Message: e.Reason})
				return
			}
			walk(e.Err, e.Reason)
			return
		case *openapi3.SchemaError:
			if me, ok := e.Origin.(openapi3.MultiError); ok && len(me) > 0 {
				for _, x := range me {
					walk(x, reason)
				}
				return
			}
			msg := e.Reason
			if msg == "" {
				msg = e.Error()
			}
			where := Pointer(e.JSONPointer())
			if strings.HasPrefix(reason, "response header ") {
				where = whereOfReason(reason)
				msg = reason + ": " + msg
			}
			out = append(out, Violation{Where: where, Message: msg + valueNote(e)})
			return
		}
		msg := err.Error()
		if reason != "" {
			msg = reason + ": " + msg
		}
		out = append(out, Violation{Where: whereOfReason(reason), Message: msg})
	}
	walk(err, "")
	return out
}

func valueNote(se *openapi3.SchemaError) string {
	if se.Value == nil {
		return " (got null)"
	}
	b, err := json.Marshal(se.Value)
	if err != nil || len(b) > 80 {
		return ""
	}
	if _, ok := se.Value.(map[string]any); ok {
		return ""
	}
	return " (got " + string(b) + ")"
}

// whereOfReason points at a header or the status when kin-openapi's reason
// names one.
func whereOfReason(reason string) string {
	if i := strings.Index(reason, "header \""); i >= 0 {
		rest := reason[i+len("header \""):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return "header:" + rest[:j]
		}
	}
	switch {
	case strings.Contains(reason, "status is not supported"):
		return "status"
	case strings.Contains(reason, "Content-Type"), strings.Contains(reason, "content type"):
		return "header:Content-Type"
	}
	return ""
}

// Pointer renders path segments as an RFC 6901 JSON pointer, escaping "~"
// as "~0" and "/" as "~1".
func Pointer(segments []string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(s))
	}
	return b.String()
}

// checkContentType reports a Content-Type that is not documented for the
// status.
func checkContentType(t *T, o restOp, resp Response) {
	ref := o.Op.Responses.Status(resp.Status)
	if ref == nil {
		ref = o.Op.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return
	}
	got := resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(got)
	if err != nil || ref.Value.Content.Get(mt) == nil {
		want := make([]string, 0, len(ref.Value.Content))
		for k := range ref.Value.Content {
			want = append(want, k)
		}
		sort.Strings(want)
		t.Errorf("header:Content-Type", "content type %q is not documented for %d (want %s)", got, resp.Status, strings.Join(want, " or "))
	}
}

// expectStatus records a violation when the status differs.
func expectStatus(t *T, resp Response, want int) bool {
	if resp.Status != want {
		t.Errorf("status", "want HTTP %d, got %d", want, resp.Status)
		return false
	}
	return true
}

// decodeJSON decodes a body (numbers as json.Number).
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// unknownValue returns a value no record has for a path parameter: a
// never-assigned uuid where ids are uuids, a made-up word otherwise.
func unknownValue(sample string) string {
	if looksLikeUUID(sample) || sample == "" {
		return "00000000-0000-4000-8000-00000000dead"
	}
	return "standin-conform-unknown-0"
}

func looksLikeUUID(s string) bool {
	return len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-'
}

// paramID finds a value for a path parameter: from the configuration, or
// read from the first list operation of the API (fields named like the
// parameter, or "id"). The second result explains a miss.
func paramID(t *T, param string) (string, string) {
	if v := t.api.ID(param); v != "" {
		return v, ""
	}
	v := t.env.remember(t.api.Name+"/param/"+param, func() string { return discover(t, param) })
	if v == "" {
		return "", fmt.Sprintf("no id for path parameter %q: none configured (ids.%s in conform.yaml) and none found through a list operation", param, param)
	}
	return v, ""
}

// discover reads a list operation (a GET without path parameters) and
// returns the first value of a field that fits param.
func discover(t *T, param string) string {
	for _, o := range restOps(t.api) {
		if o.Method != http.MethodGet || len(o.pathParams()) > 0 {
			continue
		}
		// A sub-T: the lookup's exchanges are not this case's business
		// unless it fails.
		resp := t.Do(Request{Method: http.MethodGet, Path: o.Path, Token: t.api.Conf.Token})
		if resp.Status != http.StatusOK {
			continue
		}
		v, err := decodeJSON(resp.Body)
		if err != nil {
			continue
		}
		for _, name := range candidateFields(param) {
			if s := firstField(v, name, 0); s != "" {
				return s
			}
		}
	}
	return ""
}

func candidateFields(param string) []string {
	out := []string{param}
	lower := strings.ToLower(param)
	if strings.HasSuffix(lower, "uuid") || strings.HasSuffix(lower, "_id") || lower == "id" {
		out = append(out, "id", "uuid")
	}
	return out
}

// firstField finds the first non-empty string or number under key name in
// records of a list (at the root or in an array member of an envelope).
func firstField(v any, name string, depth int) string {
	if depth > 3 {
		return ""
	}
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			if m, ok := item.(map[string]any); ok {
				switch f := m[name].(type) {
				case string:
					if f != "" {
						return f
					}
				case json.Number:
					return f.String()
				}
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if arr, ok := x[k].([]any); ok {
				if s := firstField(arr, name, depth+1); s != "" {
					return s
				}
			}
		}
	}
	return ""
}
