package model

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	contractapi "github.com/standin/standin/internal/contract/openapi"
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
	// Key is the field identifying a record: the field the item
	// operation's path parameter names (GET /tags/{slug}: slug), else id,
	// uuid, *_id, *Id, else a field named like a unique key (slug, key,
	// code, …); "" when the records have none (a walk then tells records
	// apart by their whole content).
	Key string
	// Page and Size are the paging query parameters ("" when the
	// operation documents none); PageMin is the first page's index,
	// SizeMax the largest documented size (0: no maximum). Offset, when
	// set instead of Page, is a parameter counting the records to skip.
	Page, Size       string
	Offset           string
	PageMin, SizeMax int
	// Filters are documented query parameters (strings, enums, booleans)
	// named like a field of the record.
	Filters []string
}

// Names of paging parameters, by role.
var (
	pageParamNames   = []string{"page", "pageNumber", "page_number", "pageIndex"}
	sizeParamNames   = []string{"size", "pageSize", "page_size", "per_page", "perPage", "limit"}
	offsetParamNames = []string{"offset", "skip", "start"}
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
	ops := a.Operations()
	for _, o := range ops {
		if o.Method != http.MethodGet || len(o.PathParams()) > 0 || o.SuccessStatus() == 0 {
			continue
		}
		l := List{Op: o}
		body := o.SuccessSchema()
		if body == nil {
			continue
		}
		l.Records, l.Item = RecordArray(body)
		if l.Item == nil || !IsObject(l.Item.Value) {
			continue
		}
		rec := ObjectOf(l.Item.Value)
		if p := itemParam(ops, o.Path); p != "" {
			l.Key = ParamField(p, rec)
		}
		if l.Key == "" {
			l.Key = RecordKey(l.Item.Value)
		}
		if l.Key == "" {
			// a field named as one of the list: Directus' /collections
			// holds records keyed by collection
			seg := lastSegment(o.Path)
			if n := conventions.Singular(seg); n != seg && rec.Has(n) {
				l.Key = n
			}
		}
		for _, p := range o.QueryParams() {
			s := p.Schema.Value
			switch {
			case s.Type.Is("integer") && slices.Contains(pageParamNames, p.Name):
				l.Page = p.Name
				l.PageMin = contractapi.FirstPage(s)
			case s.Type.Is("integer") && slices.Contains(offsetParamNames, p.Name):
				l.Offset = p.Name
			case s.Type.Is("integer") && slices.Contains(sizeParamNames, p.Name):
				l.Size = p.Name
				if s.Max != nil {
					l.SizeMax = int(*s.Max)
				}
			case (s.Type.Is("string") || s.Type.Is("boolean")) && rec.Has(p.Name):
				l.Filters = append(l.Filters, p.Name)
			}
		}
		if l.Page != "" {
			l.Offset = "" // a page index and an offset: walk by page
		}
		out = append(out, l)
	}
	return out
}

// lastSegment is the last segment of a path ("collections" of
// /collections).
func lastSegment(path string) string {
	trimmed := strings.TrimRight(path, "/")
	return trimmed[strings.LastIndex(trimmed, "/")+1:]
}

// itemParam is the path parameter of the operation reading one record of
// the collection at path (GET path/{param}), "" when there is none.
func itemParam(ops []Operation, path string) string {
	for _, o := range ops {
		rest, ok := strings.CutPrefix(o.Path, strings.TrimRight(path, "/")+"/")
		if ok && o.Method == http.MethodGet && strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/") {
			return rest[1 : len(rest)-1]
		}
	}
	return ""
}

// Paged reports whether the list documents a way to ask for the next
// records: a page index or an offset.
func (l List) Paged() bool { return l.Page != "" || l.Offset != "" }

// RecordArray finds the records of a list answer: the body itself when it
// is an array, else the array property (allOf branches merged) whose items
// are records with an identifying field (so an envelope's links are not
// taken for records), else the envelope's only array of objects.
func RecordArray(s *openapi3.SchemaRef) (string, *openapi3.SchemaRef) {
	if s == nil || s.Value == nil {
		return "", nil
	}
	if s.Value.Type.Is("array") && s.Value.Items != nil {
		return "", s.Value.Items
	}
	env := ObjectOf(s.Value)
	var objects []string
	for _, name := range env.Names() {
		p := env.Properties[name]
		if p.Value == nil || !p.Value.Type.Is("array") || p.Value.Items == nil || !IsObject(p.Value.Items.Value) {
			continue
		}
		if RecordKey(p.Value.Items.Value) != "" {
			return name, p.Value.Items
		}
		objects = append(objects, name)
	}
	if len(objects) == 1 {
		return objects[0], env.Properties[objects[0]].Value.Items
	}
	return "", nil
}

// RecordKey is the identifying field of a record schema (allOf branches
// merged): a required id or uuid, a required field ending in _id or Id,
// then a required field named like a unique key (slug, key, code, …),
// then id, uuid or a unique key when not required; "" when there is none.
func RecordKey(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	rec := ObjectOf(s)
	for _, required := range []bool{true, false} {
		ok := func(k string) bool { return rec.Has(k) && (!required || rec.IsRequired(k)) }
		for _, k := range []string{"id", "uuid"} {
			if ok(k) {
				return k
			}
		}
		for _, k := range rec.Names() {
			// not a foreign key: only a required one names the record
			if required && ok(k) && (strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "Id")) {
				return k
			}
		}
		for _, k := range uniqueKeyNames {
			if ok(k) {
				return k
			}
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
