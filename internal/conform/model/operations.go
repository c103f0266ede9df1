package model

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operation is one operation of an OpenAPI document.
type Operation struct {
	Method   string
	Path     string // template, e.g. /v2/clients/{client_id}
	PathItem *openapi3.PathItem
	Op       *openapi3.Operation
}

// ID is the operationId, or "METHOD path" when there is none.
func (o Operation) ID() string {
	if o.Op.OperationID != "" {
		return o.Op.OperationID
	}
	return o.Method + " " + o.Path
}

// PathParams lists the operation's path parameters in template order.
func (o Operation) PathParams() []string {
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

// Operations lists the API's operations, sorted by path and method.
func (a *API) Operations() []Operation {
	if a.OpenAPI == nil || a.OpenAPI.Paths == nil {
		return nil
	}
	var out []Operation
	for _, p := range a.OpenAPI.Paths.InMatchingOrder() {
		item := a.OpenAPI.Paths.Value(p)
		for method, op := range item.Operations() {
			out = append(out, Operation{Method: method, Path: p, PathItem: item, Op: op})
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

// Documents reports whether the operation documents this status
// explicitly.
func (o Operation) Documents(status int) bool {
	return o.Op.Responses != nil && o.Op.Responses.Status(status) != nil
}

// SuccessStatus is the lowest documented 2xx status (0 if none).
func (o Operation) SuccessStatus() int {
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

// Fill substitutes path parameters.
func (o Operation) Fill(values map[string]string) string {
	p := o.Path
	for k, v := range values {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	return p
}

// SuccessSchema is the JSON schema of the operation's success answer.
func (o Operation) SuccessSchema() *openapi3.SchemaRef {
	ref := o.Op.Responses.Status(o.SuccessStatus())
	if ref == nil || ref.Value == nil {
		return nil
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

// QueryParams lists the operation's query parameters with a schema (path
// item and operation level), sorted by name.
func (o Operation) QueryParams() []*openapi3.Parameter {
	seen := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.PathItem.Parameters, o.Op.Parameters} {
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery && ref.Value.Schema != nil && ref.Value.Schema.Value != nil {
				seen[ref.Value.Name] = ref.Value
			}
		}
	}
	out := make([]*openapi3.Parameter, 0, len(seen))
	for _, p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RequiredQuery lists the operation's required query parameters (its
// own and its path item's), by name.
func (o Operation) RequiredQuery() []string {
	var out []string
	for _, p := range o.Parameters() {
		if p.In == "query" && p.Required {
			out = append(out, p.Name)
		}
	}
	return out
}

// ParamDescription is the description of an operation parameter.
func (o Operation) ParamDescription(name string) string {
	for _, p := range o.Parameters() {
		if p.Name == name {
			return p.Description
		}
	}
	return ""
}

var limitText = regexp.MustCompile(`(\d+)\s+(?:queries|requests|calls)\s+per\s+(\d+)?\s*(second|minute|hour|day)s?`)

// RateLimit is the operation's documented rate limit per token: the
// hints', else "N queries per M minutes" in its 429 answer's description;
// 0 when none is documented.
func (a *API) RateLimit(o Operation) (int, time.Duration) {
	if rl := a.Hints.RateLimit; rl != nil && rl.Limit > 0 {
		return rl.Limit, rl.Window
	}
	ref := o.Op.Responses.Status(http.StatusTooManyRequests)
	if ref == nil || ref.Value == nil || ref.Value.Description == nil {
		return 0, 0
	}
	m := limitText.FindStringSubmatch(*ref.Value.Description)
	if m == nil {
		return 0, 0
	}
	n, _ := strconv.Atoi(m[1])
	k := 1
	if m[2] != "" {
		k, _ = strconv.Atoi(m[2])
	}
	unit := map[string]time.Duration{"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[m[3]]
	return n, time.Duration(k) * unit
}

// Param is the operation's parameter of that location and name (the
// operation's own over its path item's); nil when it has none.
func (o Operation) Param(in, name string) *openapi3.Parameter {
	var found *openapi3.Parameter
	for _, list := range []openapi3.Parameters{o.PathItem.Parameters, o.Op.Parameters} {
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == in && ref.Value.Name == name {
				found = ref.Value
			}
		}
	}
	return found
}

// ParamSchema is the schema of the operation's parameter (nil when the
// parameter or its schema is missing).
func (o Operation) ParamSchema(in, name string) *openapi3.Schema {
	p := o.Param(in, name)
	if p == nil || p.Schema == nil {
		return nil
	}
	return p.Schema.Value
}

// Parameters lists every parameter of the operation (the operation's own
// over its path item's), by location and name.
func (o Operation) Parameters() []*openapi3.Parameter {
	seen := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.PathItem.Parameters, o.Op.Parameters} {
		for _, ref := range list {
			if ref != nil && ref.Value != nil {
				seen[ref.Value.In+"\x00"+ref.Value.Name] = ref.Value
			}
		}
	}
	out := make([]*openapi3.Parameter, 0, len(seen))
	for _, p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].In != out[j].In {
			return out[i].In < out[j].In
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Answers reports whether the contract documents the status for the
// operation: the code itself, its range (4XX) or a default answer.
func (o Operation) Answers(status int) bool {
	if o.Op.Responses == nil {
		return false
	}
	return o.Op.Responses.Status(status) != nil || o.Op.Responses.Default() != nil
}

// Statuses lists the operation's documented statuses as the contract
// writes them (200, 4XX, default), sorted.
func (o Operation) Statuses() []string {
	if o.Op.Responses == nil {
		return nil
	}
	out := make([]string, 0, o.Op.Responses.Len())
	for code := range o.Op.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}
