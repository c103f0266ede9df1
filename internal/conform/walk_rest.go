package conform

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// restList is a list operation (a GET without path parameters) with what
// its contract documents about paging, its records and its filters.
type restList struct {
	op restOp
	// records is the JSON key of the record array in the body ("" when
	// the body is the array itself).
	records string
	// item is the schema of one record.
	item *openapi3.SchemaRef
	// key is the field identifying a record (id, uuid, *_id, *Id).
	key string
	// page and size are the paging query parameters ("" when the
	// operation documents none); pageMin is the first page's index,
	// sizeMax the largest documented size (0: no maximum).
	page, size       string
	pageMin, sizeMax int
	// filters are documented string query parameters named like a field
	// of the record.
	filters []string
}

// Names of paging parameters, by role.
var (
	pageParamNames = []string{"page", "pageNumber", "page_number", "pageIndex"}
	sizeParamNames = []string{"size", "pageSize", "page_size", "per_page", "perPage", "limit"}
)

// restLists lists the API's list operations.
func restLists(a *API) []restList {
	var out []restList
	for _, o := range restOps(a) {
		if o.Method != http.MethodGet || len(o.pathParams()) > 0 || o.successStatus() == 0 {
			continue
		}
		l := restList{op: o}
		body := successSchema(o)
		if body == nil {
			continue
		}
		l.records, l.item = recordArray(body)
		if l.item == nil {
			continue
		}
		l.key = recordKey(l.item.Value)
		for _, p := range o.Op.Parameters {
			if p.Value == nil || p.Value.In != "query" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				continue
			}
			s := p.Value.Schema.Value
			switch {
			case s.Type.Is("integer") && contains(pageParamNames, p.Value.Name):
				l.page = p.Value.Name
				if s.Min != nil {
					l.pageMin = int(*s.Min)
				}
			case s.Type.Is("integer") && contains(sizeParamNames, p.Value.Name):
				l.size = p.Value.Name
				if s.Max != nil {
					l.sizeMax = int(*s.Max)
				}
			case s.Type.Is("string") && l.item.Value.Properties[p.Value.Name] != nil:
				l.filters = append(l.filters, p.Value.Name)
			}
		}
		out = append(out, l)
	}
	return out
}

// successSchema is the JSON schema of the operation's success answer.
func successSchema(o restOp) *openapi3.SchemaRef {
	ref := o.Op.Responses.Status(o.successStatus())
	if ref == nil || ref.Value == nil {
		return nil
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

// recordArray finds the records of a list answer: the body itself when it
// is an array, else the array property whose items have an identifying
// field (so an envelope's links are not taken for records).
func recordArray(s *openapi3.SchemaRef) (string, *openapi3.SchemaRef) {
	if s == nil || s.Value == nil {
		return "", nil
	}
	if s.Value.Type.Is("array") && s.Value.Items != nil {
		return "", s.Value.Items
	}
	for _, name := range sortedKeys(s.Value.Properties) {
		p := s.Value.Properties[name]
		if p.Value != nil && p.Value.Type.Is("array") && p.Value.Items != nil && p.Value.Items.Value != nil &&
			recordKey(p.Value.Items.Value) != "" {
			return name, p.Value.Items
		}
	}
	return "", nil
}

// recordKey is the identifying field of a record schema: a required id,
// uuid, or a required field ending in _id or Id.
func recordKey(s *openapi3.Schema) string {
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
	for _, k := range sortedKeys(s.Properties) {
		if req[k] && (strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "Id")) {
			return k
		}
	}
	return ""
}

// restPage is one page of a REST walk.
type restPage struct {
	index   int
	url     string
	body    any
	records []map[string]any
}

// walkedRecord is a record with where the walk found it.
type walkedRecord struct {
	rec  map[string]any
	page int // index of the page in the walk (0 for the first)
	pos  int // position in the page
}

// restWalk reads a list operation page by page (size per page; 0: the
// documented default) until a short or empty page, or max records. query
// holds extra query parameters (filters). validate checks each page
// against the contract, violations naming the page and the record's place
// in the walk.
func restWalk(t *T, l restList, size, max int, query url.Values, validate bool) ([]restPage, []walkedRecord) {
	var pages []restPage
	var all []walkedRecord
	for i := 0; ; i++ {
		if i == maxPages {
			t.Errorf("", "the walk of %s did not end after %d pages", l.op.Path, maxPages)
			break
		}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if l.page != "" {
			q.Set(l.page, strconv.Itoa(l.pageMin+i))
		}
		if l.size != "" && size > 0 {
			q.Set(l.size, strconv.Itoa(size))
		}
		p := l.op.Path
		if len(q) > 0 {
			p += "?" + q.Encode()
		}
		resp := t.Do(Request{Method: http.MethodGet, Path: p, Token: t.api.Conf.Token})
		if !expectStatus(t, resp, l.op.successStatus()) {
			t.FailNow()
		}
		if validate {
			before := len(t.violations)
			validateResponse(t, l.op, map[string]string{}, resp)
			for j := before; j < len(t.violations); j++ {
				t.violations[j].Message = fmt.Sprintf("page %d%s: %s", i, recordNote(t.violations[j].Where, l.records, len(all)), t.violations[j].Message)
			}
		}
		v, err := decodeJSON(resp.Body)
		if err != nil {
			t.Fatalf("", "page %d: the body is not JSON: %v", i, err)
		}
		var arr []any
		if l.records == "" {
			arr, _ = v.([]any)
		} else {
			arr, _ = at(v, l.records).([]any)
		}
		pg := restPage{index: i, url: t.api.BaseURL() + p, body: v}
		for j, r := range arr {
			m, _ := r.(map[string]any)
			pg.records = append(pg.records, m)
			all = append(all, walkedRecord{rec: m, page: i, pos: j})
		}
		pages = append(pages, pg)
		if l.page == "" || len(arr) == 0 || (size > 0 && len(arr) < size) || len(all) >= max {
			break
		}
		if total, ok := intField(v, totalNames...); ok && len(all) >= total {
			break
		}
	}
	return pages, all
}

// recordNote turns a pointer into a page's records (/content/3/name) into
// " (record #N of the walk)".
func recordNote(where, records string, before int) string {
	prefix := "/"
	if records != "" {
		prefix = "/" + records + "/"
	}
	if !strings.HasPrefix(where, prefix) {
		return ""
	}
	rest := strings.TrimPrefix(where, prefix)
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (record #%d of the walk)", before+n+1)
}

// Envelope fields of list answers, by role.
var (
	totalNames     = []string{"totalElements", "total", "totalCount", "total_count", "count"}
	totalPageNames = []string{"totalPages", "total_pages", "pages"}
	pageNumNames   = []string{"number", "page", "pageNumber"}
	pageSizeNames  = []string{"size", "pageSize", "page_size", "per_page"}
)

// intField finds an integer field with one of the names in v or in an
// object member of v (the envelope's page metadata).
func intField(v any, names ...string) (int, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, false
	}
	for _, n := range names {
		if x, ok := m[n].(json.Number); ok {
			if i, err := x.Int64(); err == nil {
				return int(i), true
			}
		}
	}
	for _, k := range sortedKeys(m) {
		if sub, ok := m[k].(map[string]any); ok {
			if i, ok := intField(sub, names...); ok {
				return i, true
			}
		}
	}
	return 0, false
}

// keyOf renders a record's identifying field.
func keyOf(rec map[string]any, key string) string {
	if rec == nil {
		return "(null)"
	}
	switch v := rec[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return "(none)"
	default:
		return canonical(v)
	}
}

// walkSize is the page size of the REST walks that check paging: small,
// so that even small collections take several pages.
func walkSize(l restList) int {
	s := 7
	if l.sizeMax > 0 && l.sizeMax < s {
		s = l.sizeMax
	}
	return s
}

// bigSize is the largest documented page size (the fewest requests).
func bigSize(l restList) int {
	if l.sizeMax > 0 {
		return l.sizeMax
	}
	return 0
}

// distinctValues picks up to n values of field from records, as they
// appear: the first, the last, and one shared by several records, so a
// filter is tried on values with one and with many matches.
func distinctValues(recs []walkedRecord, field string, n int) []any {
	count := map[string]int{}
	val := map[string]any{}
	var order []string
	for _, r := range recs {
		v, ok := r.rec[field]
		if !ok || v == nil {
			continue
		}
		if _, isObj := v.(map[string]any); isObj {
			continue
		}
		if _, isArr := v.([]any); isArr {
			continue
		}
		k := canonical(v)
		if count[k] == 0 {
			order = append(order, k)
			val[k] = v
		}
		count[k]++
	}
	if len(order) == 0 {
		return nil
	}
	picked := []string{order[0]}
	byCount := append([]string(nil), order...)
	sort.SliceStable(byCount, func(i, j int) bool { return count[byCount[i]] > count[byCount[j]] })
	for _, k := range append(byCount[:1], order[len(order)-1]) {
		if len(picked) < n && !contains(picked, k) {
			picked = append(picked, k)
		}
	}
	out := make([]any, len(picked))
	for i, k := range picked {
		out[i] = val[k]
	}
	return out
}

// queryValue renders a JSON value as a query parameter.
func queryValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return canonical(v)
}

// ceilDiv is ceil(a/b) for positive b.
func ceilDiv(a, b int) int { return int(math.Ceil(float64(a) / float64(b))) }
