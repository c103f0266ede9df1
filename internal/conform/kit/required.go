package kit

import (
	"net/url"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
)

// Target is the operation's path with values filled in and a valid value
// for each of its required query parameters (RequiredQuery): the request
// a check sends when it is not about the query. The petstore's
// GET /pet/findByStatus requires ?status=; sent without it, every correct
// server refuses it.
func Target(o model.Operation, values map[string]string) string {
	return o.Fill(values) + RequiredQuery(o)
}

// RequiredQuery is the query string ("?status=available", "" when the
// operation requires none) giving each required query parameter a value
// its schema accepts: the parameter's example, its first named example,
// its schema's example, default or first enum value, else one generated
// from the schema. An array is sent as one item, found the same way in
// its items' schema.
func RequiredQuery(o model.Operation) string {
	q := url.Values{}
	AddRequired(o, q)
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// AddRequired sets in q a value of each required query parameter of the
// operation that q lacks, as RequiredQuery finds one.
func AddRequired(o model.Operation, q url.Values) {
	for _, p := range o.Parameters() {
		if p.In != "query" || !p.Required || q.Has(p.Name) {
			continue
		}
		if v, ok := requiredValue(p); ok {
			q.Set(p.Name, v)
		}
	}
}

// requiredValue is a valid value of a required query parameter, as the
// query carries it; ok is false when there is none to send.
func requiredValue(p *openapi3.Parameter) (string, bool) {
	var s *openapi3.Schema
	if p.Schema != nil {
		s = p.Schema.Value
	}
	candidates := []any{p.Example}
	names := make([]string, 0, len(p.Examples))
	for n := range p.Examples {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if ex := p.Examples[n]; ex != nil && ex.Value != nil {
			candidates = append(candidates, ex.Value.Value)
		}
	}
	if s == nil {
		for _, c := range candidates {
			if c != nil {
				return QueryValue(c), true
			}
		}
		return "standin", true
	}
	for _, c := range candidates {
		if c == nil {
			continue
		}
		v := jsonValue(c)
		if validate(s, v) != nil {
			continue
		}
		if items, ok := v.([]any); ok {
			if len(items) == 0 {
				continue
			}
			return QueryValue(items[0]), true
		}
		return QueryValue(c), true
	}
	if s.Type.Is("array") && s.Items != nil && s.Items.Value != nil {
		if v, ok := schemaValue(s.Items.Value); ok && validate(s, []any{v}) == nil {
			return QueryValue(v), true
		}
		return "", false
	}
	return schemaValue(s)
}

// schemaValue is a value of s as a query carries it: its example,
// default or first enum value when s accepts it, else a generated one.
func schemaValue(s *openapi3.Schema) (string, bool) {
	for _, c := range []any{s.Example, s.Default} {
		if c != nil && validate(s, jsonValue(c)) == nil {
			return QueryValue(c), true
		}
	}
	v, ok := generator{}.value(s, false, 0)
	if !ok || validate(s, jsonValue(v)) != nil {
		return "", false
	}
	return QueryValue(v), true
}

// QueryParamValue is a valid value of the operation's query parameter
// name, as RequiredQuery finds one ("1" when there is none to find).
func QueryParamValue(o model.Operation, name string) string {
	if p := o.Param("query", name); p != nil {
		if v, ok := requiredValue(p); ok {
			return v
		}
	}
	return "1"
}
