package rest

import (
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
)

// slot is what an envelope placeholder stands for.
type slot uint8

const (
	slotItem slot = iota
	slotItems
	slotLinks
	slotSize
	slotNumber
	slotTotalElements
	slotTotalPages
	numSlots
)

// placeholders maps the envelope placeholders to their slots.
var placeholders = map[string]slot{
	"item":               slotItem,
	"items":              slotItems,
	"links":              slotLinks,
	"page.size":          slotSize,
	"page.number":        slotNumber,
	"page.totalElements": slotTotalElements,
	"page.totalPages":    slotTotalPages,
}

func (s slot) String() string {
	for name, v := range placeholders {
		if v == s {
			return `"{{` + name + `}}"`
		}
	}
	return "{{?}}"
}

// envelope is the encoded envelope template cut at its placeholders:
// parts[i] precedes slots[i]; the last part ends the body.
type envelope struct {
	parts [][]byte
	slots []slot
	uses  uint32 // bit per slot
}

func (env *envelope) has(s slot) bool { return env.uses&(1<<s) != 0 }

// sentinelPrefix marks a placeholder inside the encoded template; the slot
// number follows, then sentinelEnd. NUL never appears unescaped in JSON and
// compileEnvelope refuses it in the template's strings.
const (
	sentinelPrefix = "\x00standin:"
	sentinelEnd    = "\x00"
)

// compileEnvelope encodes an envelope template once, cut at its
// placeholders. A string that is exactly one known placeholder (spaces
// allowed inside the braces and around) becomes a slot; any other "{{" is
// an error, so a typo in a user's manifest fails at start-up.
func compileEnvelope(tmpl any) (envelope, error) {
	if tmpl == nil {
		return envelope{}, nil
	}
	var errs []string
	var uses uint32
	var subst func(v any, at string) any
	subst = func(v any, at string) any {
		switch t := v.(type) {
		case string:
			s := strings.TrimSpace(t)
			if strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}") && strings.Count(s, "{{") == 1 {
				name := strings.TrimSpace(s[2 : len(s)-2])
				if sl, ok := placeholders[name]; ok {
					uses |= 1 << sl
					return sentinelPrefix + strconv.Itoa(int(sl)) + sentinelEnd
				}
				errs = append(errs, fmt.Sprintf("at /%s: unknown placeholder %q (known: %s)", at, t, knownPlaceholders()))
				return t
			}
			if strings.Contains(t, "{{") {
				errs = append(errs, fmt.Sprintf("at /%s: %q: a placeholder must be the whole string", at, t))
			}
			if strings.Contains(t, "\x00") {
				errs = append(errs, fmt.Sprintf("at /%s: NUL in a string", at))
			}
			return t
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, x := range t {
				out[k] = subst(x, path(at, k))
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, x := range t {
				out[i] = subst(x, path(at, strconv.Itoa(i)))
			}
			return out
		}
		return v
	}
	enc := appendJSON(nil, subst(tmpl, ""))
	if len(errs) > 0 {
		sort.Strings(errs)
		return envelope{}, fmt.Errorf("envelope: %s", strings.Join(errs, "; "))
	}
	if uses&(1<<slotItem|1<<slotItems) == 0 {
		return envelope{}, fmt.Errorf("envelope %s has no \"{{items}}\" or \"{{item}}\"", enc)
	}
	// appendString escapes NUL as \u0000; cut the encoding at each marker.
	open := string(appendString(nil, sentinelPrefix))
	open = open[:len(open)-1] // without the closing quote
	closing := string(appendString(nil, sentinelEnd))[1:]
	env := envelope{uses: uses}
	rest := string(enc)
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+len(open):], closing)
		if j < 0 {
			return envelope{}, fmt.Errorf("envelope %s: internal marker broken", enc)
		}
		n, err := strconv.Atoi(rest[i+len(open) : i+len(open)+j])
		if err != nil || n < 0 || n >= int(numSlots) {
			return envelope{}, fmt.Errorf("envelope %s: internal marker broken", enc)
		}
		env.parts = append(env.parts, []byte(rest[:i]))
		env.slots = append(env.slots, slot(n))
		rest = rest[i+len(open)+j+len(closing):]
	}
	env.parts = append(env.parts, []byte(rest))
	return env, nil
}

func path(at, k string) string {
	k = strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
	if at == "" {
		return k
	}
	return at + "/" + k
}

func knownPlaceholders() string {
	names := make([]string, 0, len(placeholders))
	for n := range placeholders {
		names = append(names, "{{"+n+"}}")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (env *envelope) size() int {
	n := 0
	for _, p := range env.parts {
		n += len(p)
	}
	return n
}

// wrap appends the envelope with fill's output in place of each
// placeholder; without an envelope it appends fill's output for result.
func (env *envelope) wrap(b []byte, result slot, fill func([]byte, slot) []byte) []byte {
	if len(env.parts) == 0 {
		return fill(b, result)
	}
	for i, p := range env.parts {
		b = append(b, p...)
		if i < len(env.slots) {
			b = fill(b, env.slots[i])
		}
	}
	return b
}

// pager is an operation's compiled paging.
type pager struct {
	page        bool   // page/size style, else offset/limit
	first, size string // query parameters: offset or page; limit or size
	def, max    int    // default and cap of the limit or size; -1: none
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
	for _, s := range []slot{slotLinks, slotSize, slotTotalElements} {
		if env.has(s) && op.pager == nil {
			return fmt.Errorf("envelope: %s needs paging", s)
		}
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
	intParam := func(name string, min int64) (int, bool, string) {
		if name == "" || q == nil {
			return 0, false, ""
		}
		v := q.Get(name)
		if v == "" {
			return 0, false, ""
		}
		n, err := strconv.ParseInt(v, 10, 64)
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
	first, _, m1 := intParam(pr.first, 0)
	size, given, m2 := intParam(pr.size, minSize)
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
		lr.number = first
		lr.offset = first * size // both at most MaxInt32
	} else {
		lr.offset = first
	}
	return lr, ""
}

// match reports whether a record passes the request's filters: the value
// at each given filter's field has the store key the parameter's value is.
func (op *operation) match(lr *listRequest, it store.Item) bool {
	for i, v := range lr.filters {
		if !lr.given[i] {
			continue
		}
		k, ok := store.KeyOf(it.Lookup(op.filters[i].field))
		if !ok || k != v {
			return false
		}
	}
	return true
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

// streamListAbove is the number of records above which a list is written
// as it is encoded (chunked, no Content-Length) rather than built whole:
// an unpaged list of a million records is a 300 MB body.
const streamListAbove = 2000

// streamChunk is how many bytes a streamed list gathers before writing.
const streamChunk = 64 << 10

// serveList answers a list: the records the scope and the filters keep,
// cut to the page, in the envelope. A page of up to streamListAbove
// records is built from the cached encodings; a longer one is streamed.
func (op *operation) serveList(w http.ResponseWriter, e *Engine, r *http.Request, p *auth.Principal, empty, scoped bool, lr *listRequest) {
	var items []store.Item
	total, count, long := 0, -1, false
	needTotal := op.env.has(slotTotalElements) || op.env.has(slotTotalPages) || op.env.has(slotLinks)
	if !empty && (lr.limit != 0 || needTotal) {
		visit := func(it store.Item) bool {
			if scoped && !p.Allows(e.api.Name, it) {
				return true
			}
			if lr.filters != nil && !op.match(lr, it) {
				return true
			}
			if total >= lr.offset && (lr.limit < 0 || total-lr.offset < lr.limit) {
				items = append(items, it)
			}
			total++
			return needTotal || lr.limit < 0 || total-lr.offset < lr.limit
		}
		var err error
		if i := lr.firstFilter(); i < 0 && !scoped {
			// no filter, no scope: the page by position, wherever it
			// lies; a long one is streamed from the store in chunks
			if total, err = e.st.Len(op.collection); err == nil {
				count = max(0, total-max(lr.offset, 0))
				if lr.limit >= 0 {
					count = min(count, lr.limit)
				}
				if long = count > op.streamAbove; !long {
					items, total, err = e.st.Range(op.collection, lr.offset, lr.limit)
				}
			}
		} else if i >= 0 {
			// the store's index (else its own scan) narrows the candidates
			var found []store.Item
			found, err = e.st.Find(op.collection, op.filters[i].field, lr.filters[i])
			for _, it := range found {
				if !visit(it) {
					break
				}
			}
		} else {
			err = e.st.Scan(op.collection, visit)
		}
		if err != nil {
			e.log.Error("rest: store scan failed", "operation", op.id, "err", err)
			items, total, long = nil, 0, false
		}
	}
	if !long {
		count = len(items)
	}
	var links []byte
	if op.env.has(slotLinks) {
		links = op.links(nil, r, lr, total)
	}
	fill := func(b []byte, s slot, list func(b []byte) []byte) []byte {
		switch s {
		case slotItems:
			return list(b)
		case slotLinks:
			return append(b, links...)
		case slotSize:
			n := lr.size
			if n < 0 {
				n = count
			}
			return strconv.AppendInt(b, int64(n), 10)
		case slotNumber:
			return strconv.AppendInt(b, int64(lr.number), 10)
		case slotTotalElements:
			return strconv.AppendInt(b, int64(total), 10)
		case slotTotalPages:
			return strconv.AppendInt(b, int64(totalPages(total, lr.size)), 10)
		}
		return append(b, "null"...)
	}
	switch {
	case long:
		op.streamList(w, e.chunks(op.collection, lr.offset, count, listChunk), fill)
		return
	case len(items) > op.streamAbove:
		op.streamList(w, slices.Values(items), fill)
		return
	}
	size := 2 + op.env.size() + len(links)
	encs := make([][]byte, len(items))
	for i, it := range items {
		encs[i] = op.cache.get(it, op).item
		size += len(encs[i]) + 1
	}
	buf := make([]byte, 0, size+4*20)
	body := op.env.wrap(buf, slotItems, func(b []byte, s slot) []byte {
		return fill(b, s, func(b []byte) []byte {
			b = append(b, '[')
			for i, enc := range encs {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, enc...)
			}
			return append(b, ']')
		})
	})
	writeBody(w, http.StatusOK, body, []string{strconv.Itoa(len(body))})
}

// streamList writes a long list as it encodes it, in chunks of about
// streamChunk bytes: memory stays bounded whatever the list's length.
// Encodings come from the cache when there, else are made without caching.
func (op *operation) streamList(w http.ResponseWriter, items iter.Seq[store.Item], fill func([]byte, slot, func([]byte) []byte) []byte) {
	h := w.Header()
	h["Content-Type"] = ctJSON
	w.WriteHeader(http.StatusOK)
	buf := make([]byte, 0, streamChunk+4096)
	failed := false
	flush := func(b []byte) []byte {
		if len(b) >= streamChunk && !failed {
			if _, err := w.Write(b); err != nil {
				failed = true // the client went away: stop encoding
			}
			return b[:0]
		}
		return b
	}
	buf = op.env.wrap(buf, slotItems, func(b []byte, s slot) []byte {
		return fill(b, s, func(b []byte) []byte {
			b = append(b, '[')
			first := true
			for it := range items {
				if failed {
					break
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				if ent := op.cache.peek(it); ent != nil {
					b = append(b, ent.item...)
				} else {
					b = appendJSON(b, op.project(it))
				}
				b = flush(b)
			}
			return append(b, ']')
		})
	})
	if !failed {
		_, _ = w.Write(buf)
	}
}

// listChunk is how many records a streamed list takes from the store at a
// time.
const listChunk = 1000

// chunks yields up to n records of a collection from position offset, taken
// from the store size at a time, each chunk after the sequence number
// of the last record yielded: the store's lock is never held while the list
// is written, and a record deleted meanwhile shifts nothing.
func (e *Engine) chunks(col string, offset, n, size int) iter.Seq[store.Item] {
	return func(yield func(store.Item) bool) {
		page, _, err := e.st.Range(col, offset, min(n, size))
		for err == nil && len(page) > 0 && n > 0 {
			for _, it := range page {
				if !yield(it) {
					return
				}
				n--
			}
			if n == 0 {
				return
			}
			var next store.Page
			next, err = e.st.Slice(col, store.Window{After: page[len(page)-1].Seq, First: min(n, size), Last: -1})
			page = next.Items
		}
		if err != nil {
			e.log.Error("rest: store read failed while streaming a list", "collection", col, "err", err)
		}
	}
}

func totalPages(total, size int) int {
	if size <= 0 {
		if total > 0 && size < 0 {
			return 1
		}
		return 0
	}
	return (total + size - 1) / size
}

// links appends the JSON array of the page's links: "self" always, then
// "next" and "prev" when such a page exists (a page index below
// totalPages; offset style: records remain after, or lie before, the
// page). Each href is the request's path with the paging parameters first,
// then the request's other query parameters as sent.
func (op *operation) links(b []byte, r *http.Request, lr *listRequest, total int) []byte {
	pr := op.pager
	var others []string
	if r.URL.RawQuery != "" {
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, _, _ := strings.Cut(kv, "=")
			if dk, err := url.QueryUnescape(k); err == nil && (dk == pr.first || dk == pr.size) {
				continue
			}
			others = append(others, kv)
		}
	}
	reqPath := r.URL.EscapedPath()
	link := func(b []byte, rel string, first int) []byte {
		var sb strings.Builder
		sb.WriteString(reqPath)
		sep := byte('?')
		add := func(s string) {
			sb.WriteByte(sep)
			sep = '&'
			sb.WriteString(s)
		}
		if pr.first != "" {
			add(url.QueryEscape(pr.first) + "=" + strconv.Itoa(first))
		}
		if pr.size != "" && lr.size >= 0 {
			add(url.QueryEscape(pr.size) + "=" + strconv.Itoa(lr.size))
		}
		for _, o := range others {
			add(o)
		}
		b = append(b, `{"href":`...)
		b = appendString(b, sb.String())
		b = append(b, `,"rel":`...)
		b = appendString(b, rel)
		return append(b, '}')
	}
	b = append(b, '[')
	if pr.page {
		pages := totalPages(total, lr.size)
		b = link(b, "self", lr.number)
		if lr.number+1 < pages {
			b = link(append(b, ','), "next", lr.number+1)
		}
		if lr.number > 0 && lr.number-1 < pages {
			b = link(append(b, ','), "prev", lr.number-1)
		}
	} else {
		b = link(b, "self", lr.offset)
		if lr.limit > 0 && lr.offset+lr.limit < total {
			b = link(append(b, ','), "next", lr.offset+lr.limit)
		}
		if lr.offset > 0 && lr.limit > 0 {
			if prev := max(lr.offset-lr.limit, 0); prev < total {
				b = link(append(b, ','), "prev", prev)
			}
		}
	}
	return append(b, ']')
}
