package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/conform/model"
)

// MaxPages bounds a walk (a server that never ends a walk fails).
const MaxPages = 500

// RESTPage is one page of a REST walk.
type RESTPage struct {
	Index   int
	URL     string
	Body    any
	Records []map[string]any
}

// WalkedRecord is a record with where the walk found it.
type WalkedRecord struct {
	Rec  map[string]any
	Page int // index of the page in the walk (0 for the first)
	Pos  int // position in the page
}

// WalkList reads a list operation page by page (size per page; 0: the
// documented default; the next page by its index, or by an offset of the
// records read so far) until a short or empty page, or max records. query
// holds extra query parameters (filters). validate checks each page
// against the contract, violations naming the page and the record's place
// in the walk.
func WalkList(t *T, l model.List, size, max int, query url.Values, validate bool) ([]RESTPage, []WalkedRecord) {
	creds := OpCredentials(t, l.Op)
	var pages []RESTPage
	var all []WalkedRecord
	for i := 0; ; i++ {
		if i == MaxPages {
			t.Errorf(Body(""), "the walk of %s did not end after %d pages", l.Op.Path, MaxPages)
			break
		}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		switch {
		case l.Page != "":
			q.Set(l.Page, strconv.Itoa(l.PageMin+i))
		case l.Offset != "" && i > 0:
			q.Set(l.Offset, strconv.Itoa(len(all)))
		}
		if l.Size != "" && size > 0 {
			q.Set(l.Size, strconv.Itoa(size))
		}
		AddRequired(l.Op, q)
		p := l.Op.Path
		if len(q) > 0 {
			p += "?" + q.Encode()
		}
		resp := t.Do(Request{Method: http.MethodGet, Path: p, Credentials: creds})
		if !ExpectStatus(t, resp, l.Op.SuccessStatus()) {
			t.FailNow()
		}
		if validate {
			before := len(t.violations)
			ValidateResponse(t, l.Op, map[string]string{}, resp)
			t.Reword(before, func(v Violation) string {
				return fmt.Sprintf("page %d%s: %s", i, recordNote(v.Where.String(), l.Records, len(all)), v.Message)
			})
		}
		v, err := DecodeJSON(resp.Body)
		if err != nil {
			t.Fatalf(Body(""), "page %d: the body is not JSON: %v", i, err)
		}
		var arr []any
		if l.Records == "" {
			arr, _ = v.([]any)
		} else {
			arr, _ = At(v, l.Records).([]any)
		}
		pg := RESTPage{Index: i, URL: t.api.BaseURL() + p, Body: v}
		for j, r := range arr {
			m, _ := r.(map[string]any)
			pg.Records = append(pg.Records, m)
			all = append(all, WalkedRecord{Rec: m, Page: i, Pos: j})
		}
		pages = append(pages, pg)
		if !l.Paged() || len(arr) == 0 || (size > 0 && len(arr) < size) || len(all) >= max {
			break
		}
		if total, ok := IntField(v, model.TotalNames()...); ok && len(all) >= total {
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

// IntField finds an integer field with one of the names in v or in an
// object member of v (the envelope's page metadata).
func IntField(v any, names ...string) (int, bool) {
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
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if sub, ok := m[k].(map[string]any); ok {
			if i, ok := IntField(sub, names...); ok {
				return i, true
			}
		}
	}
	return 0, false
}

// DistinctValues picks up to n values of field from records, as they
// appear: the first, the last, and one shared by several records, so a
// filter is tried on values with one and with many matches.
func DistinctValues(recs []WalkedRecord, field string, n int) []any {
	count := map[string]int{}
	val := map[string]any{}
	var order []string
	for _, r := range recs {
		v, ok := r.Rec[field]
		if !ok || v == nil {
			continue
		}
		if _, isObj := v.(map[string]any); isObj {
			continue
		}
		if _, isArr := v.([]any); isArr {
			continue
		}
		k := Canonical(v)
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
		if len(picked) < n && !slices.Contains(picked, k) {
			picked = append(picked, k)
		}
	}
	out := make([]any, len(picked))
	for i, k := range picked {
		out[i] = val[k]
	}
	return out
}

// CeilDiv is ceil(a/b) for positive b.
func CeilDiv(a, b int) int { return int(math.Ceil(float64(a) / float64(b))) }
