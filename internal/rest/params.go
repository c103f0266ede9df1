package rest

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
)

// pager is an operation's compiled paging.
type pager struct {
	page        bool   // page/size style, else offset/limit
	first, size string // query parameters: offset or page; limit or size
	def, max    int    // default and cap of the limit or size; -1: none
	// lowIsDefault: the size parameter's schema takes values below the
	// least the engine serves (no minimum: Directus' limit=-1), and
	// such a value asks for the default size rather than a 400.
	lowIsDefault bool
	// pageMin is the index of the first page (page style,
	// contractapi.FirstPage); a page below it is the first page.
	pageMin int
}

// filter is one compiled query-parameter filter.
type filter struct {
	param, field string
}

// queryParam returns the declared query parameter of an operation.
func queryParam(op *operation, name string) *openapi3.Parameter {
	if p := op.route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
		return p
	}
	return op.route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
}

func schemaOf(p *openapi3.Parameter) *openapi3.Schema {
	if p == nil || p.Schema == nil {
		return nil
	}
	return p.Schema.Value
}

// compilePaging checks a list binding's paging, filters and envelope
// against the operation's declared query parameters.
func compilePaging(op *operation, b *manifest.Operation) error {
	declared := func(what, q string) (*openapi3.Parameter, error) {
		p := queryParam(op, q)
		if p == nil {
			return nil, fmt.Errorf("%s: %q is not a query parameter of %s %s", what, q, op.method, op.template)
		}
		return p, nil
	}
	used := map[string]string{}
	if pg := b.Paging; pg != nil {
		pr := &pager{def: -1, max: -1}
		switch pg.Style {
		case "", manifest.PagingOffset:
			if pg.Page != "" || pg.Size != "" {
				return fmt.Errorf("paging: page and size need style %q", manifest.PagingPage)
			}
			pr.first, pr.size = pg.Offset, pg.Limit
		case manifest.PagingPage:
			if pg.Page == "" || pg.Size == "" {
				return fmt.Errorf("paging: style %q needs page and size", manifest.PagingPage)
			}
			if pg.Offset != "" || pg.Limit != "" {
				return fmt.Errorf("paging: offset and limit need style %q", manifest.PagingOffset)
			}
			pr.page, pr.first, pr.size = true, pg.Page, pg.Size
		default:
			return fmt.Errorf("paging: style %q is not %q or %q", pg.Style, manifest.PagingOffset, manifest.PagingPage)
		}
		if pg.DefaultMax < 0 || pg.Max < 0 {
			return fmt.Errorf("paging: default %d and max %d must not be negative", pg.DefaultMax, pg.Max)
		}
		if pr.first != "" && pr.first == pr.size {
			return fmt.Errorf("paging: %q names both parameters", pr.first)
		}
		for _, q := range []string{pr.first, pr.size} {
			if q == "" {
				continue
			}
			p, err := declared("paging", q)
			if err != nil {
				return err
			}
			if s := schemaOf(p); s != nil && !s.Type.IsEmpty() && !s.Type.Is("integer") {
				return fmt.Errorf("paging: query parameter %q is %v in the spec, not an integer", q, s.Type.Slice())
			}
			used[q] = "paging"
		}
		// The default and the cap come from the manifest, else the spec.
		var specDef, specMin, specMax *float64
		if s := schemaOf(queryParam(op, pr.size)); pr.size != "" && s != nil {
			switch d := s.Default.(type) {
			case float64:
				specDef = &d
			case int:
				f := float64(d)
				specDef = &f
			}
			specMin, specMax = s.Min, s.Max
		}
		pr.def, pr.max = pg.DefaultMax, pg.Max
		if pr.def == 0 {
			pr.def = -1
			if specDef != nil {
				pr.def = int(*specDef)
			}
		} else if specDef != nil && float64(pr.def) != *specDef {
			return fmt.Errorf("paging: default %d differs from the spec's default %v for %q", pr.def, *specDef, pr.size)
		}
		if pr.max == 0 {
			pr.max = -1
			if specMax != nil && *specMax >= 0 && *specMax < math.MaxInt32 {
				pr.max = int(*specMax)
			}
		}
		if pr.def >= 0 {
			if pr.max >= 0 && pr.def > pr.max {
				return fmt.Errorf("paging: default %d is above max %d", pr.def, pr.max)
			}
			if specMax != nil && float64(pr.def) > *specMax || specMin != nil && float64(pr.def) < *specMin {
				return fmt.Errorf("paging: default %d is outside the spec's bounds for %q", pr.def, pr.size)
			}
		}
		if pr.page && pr.def <= 0 {
			return fmt.Errorf("paging: style page needs a positive default size (paging.default, or a default in the spec for %q)", pr.size)
		}
		least := 0.0
		if pr.page {
			least = 1
		}
		pr.lowIsDefault = pr.size != "" && schemaOf(queryParam(op, pr.size)) != nil && (specMin == nil || *specMin < least)
		if pr.page {
			pr.pageMin = contractapi.FirstPage(schemaOf(queryParam(op, pr.first)))
		}
		op.pager = pr
	}
	params := make([]string, 0, len(b.Filters))
	for q := range b.Filters {
		params = append(params, q)
	}
	sort.Strings(params)
	for _, q := range params {
		field := b.Filters[q]
		if q == "" || field == "" {
			return fmt.Errorf("filters: %q: %q needs a query parameter and a record field", q, field)
		}
		if _, err := declared("filters", q); err != nil {
			return err
		}
		if used[q] != "" {
			return fmt.Errorf("filters: %q is also a %s parameter", q, used[q])
		}
		used[q] = "filter"
		op.filters = append(op.filters, filter{param: q, field: field})
	}
	env := &op.env
	if env.has(slotItem) {
		return fmt.Errorf("envelope: a list answers \"{{items}}\", not \"{{item}}\"")
	}
	// without paging the list is one page of every record: its size and
	// total are the number of records listed, but it has no links
	if env.has(slotLinks) && op.pager == nil {
		return fmt.Errorf("envelope: %s needs paging", slotLinks)
	}
	for _, s := range []slot{slotNumber, slotTotalPages} {
		if env.has(s) && (op.pager == nil || !op.pager.page) {
			return fmt.Errorf("envelope: %s needs paging style %q", s, manifest.PagingPage)
		}
	}
	return nil
}

// listRequest is what a list request asks for.
type listRequest struct {
	offset, limit int // limit -1: unlimited
	number        int // page index (page style)
	size          int // the page size or limit used; -1: unlimited
	// filters[i] is the value of op.filters[i] when given[i]; both are nil
	// when the request gives no filter.
	filters []string
	given   []bool
	// scope holds the path's parent values of a nested collection
	// (binding Parents): record path to value; nil when none.
	scope map[string]any
}

// parseList reads paging and filters from the query; msg is a 400 message.
func (op *operation) parseList(r *http.Request) (lr listRequest, msg string) {
	lr.limit, lr.size = -1, -1
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	if q != nil {
		for i, f := range op.filters {
			if vs, ok := q[f.param]; ok && len(vs) > 0 {
				if lr.filters == nil {
					lr.filters = make([]string, len(op.filters))
					lr.given = make([]bool, len(op.filters))
				}
				lr.filters[i], lr.given[i] = vs[0], true
			}
		}
	}
	pr := op.pager
	if pr == nil {
		return lr, ""
	}
	intParam := func(name string, min int64, lowIsDefault bool) (int, bool, string) {
		if name == "" || q == nil {
			return 0, false, ""
		}
		v := q.Get(name)
		if v == "" {
			return 0, false, ""
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n < min && lowIsDefault {
			return 0, false, "" // the schema takes it: the default
		}
		if err != nil || n < min {
			if min == 0 {
				return 0, false, fmt.Sprintf("query parameter %q: must be a non-negative integer", name)
			}
			return 0, false, fmt.Sprintf("query parameter %q: must be an integer of at least %d", name, min)
		}
		if n > math.MaxInt32 {
			// Refused like a number too large for int64: silently
			// clamping would answer (and link) another page than asked.
			return 0, false, fmt.Sprintf("query parameter %q: must be an integer of at most %d", name, math.MaxInt32)
		}
		return int(n), true, ""
	}
	var minSize int64
	if pr.page {
		minSize = 1
	}
	first, _, m1 := intParam(pr.first, 0, false)
	size, given, m2 := intParam(pr.size, minSize, pr.lowIsDefault)
	if m1 != "" || m2 != "" {
		return lr, strings.Trim(m1+"; "+m2, "; ")
	}
	if !given {
		size = pr.def
	}
	if pr.max >= 0 && (size < 0 || size > pr.max) {
		size = pr.max
	}
	lr.size, lr.limit = size, size
	if pr.page {
		first = max(first, pr.pageMin)
		lr.number = first
		lr.offset = (first - pr.pageMin) * size // both at most MaxInt32
	} else {
		lr.offset = first
	}
	return lr, ""
}

// firstFilter is the index of the first filter the request gives, or -1.
func (lr *listRequest) firstFilter() int {
	for i := range lr.filters {
		if lr.given[i] {
			return i
		}
	}
	return -1
}
