package specinfer

// Paging and filters: a list's query parameters, read by the paging
// names of the contract layer's conventions.

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/manifest"
)

// hasDefault reports whether a query parameter of o declares a default.
func hasDefault(o *openapi3.Operation, name string) bool {
	for _, ref := range o.Parameters {
		if ref != nil && ref.Value != nil && ref.Value.Name == name && ref.Value.Schema != nil && ref.Value.Schema.Value != nil {
			return ref.Value.Schema.Value.Default != nil
		}
	}
	return false
}

// listParams maps a list's query parameters to paging and filters.
func listParams(o *openapi3.Operation, rec *openapi3.Schema) (*manifest.Paging, map[string]string) {
	q := map[string]bool{}
	q2max := map[string]int{}
	for _, ref := range o.Parameters {
		if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery {
			p := ref.Value
			q[p.Name] = true
			if p.Schema != nil && p.Schema.Value != nil {
				if p.Schema.Value.Default != nil {
					q[p.Name+"\x00default"] = true
				}
				if p.Schema.Value.Max != nil {
					q2max[p.Name] = int(*p.Schema.Value.Max)
				}
			}
		}
	}
	var pg *manifest.Paging
	pick := func(names ...string) string {
		for _, n := range names {
			if q[n] {
				return n
			}
		}
		return ""
	}
	names := conventions.PagingNames()
	if page, size := pick(names.Page...), pick(names.Size...); page != "" && size != "" {
		pg = &manifest.Paging{Style: manifest.PagingPage, Page: page, Size: size}
		if !q[size+"\x00default"] {
			pg.DefaultMax = 20
			if m := q2max[size]; m > 0 && m < 20 {
				pg.DefaultMax = m
			}
		}
	} else if off, lim := pick(names.Offset...), pick(names.Limit...); off != "" || lim != "" {
		pg = &manifest.Paging{Offset: off, Limit: lim}
	}
	filters := map[string]string{}
	for name := range q {
		if pg != nil && (name == pg.Page || name == pg.Size || name == pg.Offset || name == pg.Limit) {
			continue
		}
		if p := rec.Properties[name]; p != nil && p.Value != nil && scalar(p.Value) {
			filters[name] = name
		}
	}
	if len(filters) == 0 {
		filters = nil
	}
	return pg, filters
}
