package model

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// List is a list operation (a GET without path parameters) with what its
// contract documents about paging, its records and its filters.
type List struct {
	Op Operation
	// Records is the JSON key of the record array in the body ("" when
	// the body is the array itself).
	Records string
	// Item is the schema of one record.
	Item *openapi3.SchemaRef
	// Key is the field identifying a record (id, uuid, *_id, *Id).
	Key string
	// Page and Size are the paging query parameters ("" when the
	// operation documents none); PageMin is the first page's index,
	// SizeMax the largest documented size (0: no maximum).
	Page, Size       string
	PageMin, SizeMax int
	// Filters are documented string query parameters named like a field
	// of the record.
	Filters []string
}

// Names of paging parameters, by role.
var (
	pageParamNames = []string{"page", "pageNumber", "page_number", "pageIndex"}
	sizeParamNames = []string{"size", "pageSize", "page_size", "per_page", "perPage", "limit"}
)

// Envelope fields of list answers, by role.

// TotalNames are the names of a list envelope's total number of records.
func TotalNames() []string {
	return []string{"totalElements", "total", "totalCount", "total_count", "count"}
}

// TotalPageNames are the names of a list envelope's number of pages.
func TotalPageNames() []string { return []string{"totalPages", "total_pages", "pages"} }

// PageNumNames are the names of a list envelope's page number.
func PageNumNames() []string { return []string{"number", "page", "pageNumber"} }

// PageSizeNames are the names of a list envelope's page size.
func PageSizeNames() []string { return []string{"size", "pageSize", "page_size", "per_page"} }

// Lists lists the API's list operations.
func (a *API) Lists() []List {
	var out []List
	for _, o := range a.Operations() {
		if o.Method != http.MethodGet || len(o.PathParams()) > 0 || o.SuccessStatus() == 0 {
			continue
		}
		l := List{Op: o}
		body := o.SuccessSchema()
		if body == nil {
			continue
		}
		l.Records, l.Item = RecordArray(body)
		if l.Item == nil {
			continue
		}
		l.Key = RecordKey(l.Item.Value)
		for _, p := range o.Op.Parameters {
			if p.Value == nil || p.Value.In != "query" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				continue
			}
			s := p.Value.Schema.Value
			switch {
			case s.Type.Is("integer") && slices.Contains(pageParamNames, p.Value.Name):
				l.Page = p.Value.Name
				if s.Min != nil {
					l.PageMin = int(*s.Min)
				}
			case s.Type.Is("integer") && slices.Contains(sizeParamNames, p.Value.Name):
				l.Size = p.Value.Name
				if s.Max != nil {
					l.SizeMax = int(*s.Max)
				}
			case s.Type.Is("string") && l.Item.Value.Properties[p.Value.Name] != nil:
				l.Filters = append(l.Filters, p.Value.Name)
			}
		}
		out = append(out, l)
	}
	return out
}

// RecordArray finds the records of a list answer: the body itself when it
// is an array, else the array property whose items have an identifying
// field (so an envelope's links are not taken for records).
func RecordArray(s *openapi3.SchemaRef) (string, *openapi3.SchemaRef) {
	if s == nil || s.Value == nil {
		return "", nil
	}
	if s.Value.Type.Is("array") && s.Value.Items != nil {
		return "", s.Value.Items
	}
	for _, name := range slices.Sorted(maps.Keys(s.Value.Properties)) {
		p := s.Value.Properties[name]
		if p.Value != nil && p.Value.Type.Is("array") && p.Value.Items != nil && p.Value.Items.Value != nil &&
			RecordKey(p.Value.Items.Value) != "" {
			return name, p.Value.Items
		}
	}
	return "", nil
}

// RecordKey is the identifying field of a record schema: a required id,
// uuid, or a required field ending in _id or Id.
func RecordKey(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	for _, k := range []string{"id", "uuid"} {
		if req[k] && s.Properties[k] != nil {
			return k
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		if req[k] && (strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "Id")) {
			return k
		}
	}
	return ""
}

// WalkSize is the page size of the walks that check paging: small, so
// that even small collections take several pages.
func (l List) WalkSize() int {
	s := 7
	if l.SizeMax > 0 && l.SizeMax < s {
		s = l.SizeMax
	}
	return s
}

// BigSize is the largest documented page size (the fewest requests; 0:
// the documented default).
func (l List) BigSize() int {
	if l.SizeMax > 0 {
		return l.SizeMax
	}
	return 0
}
