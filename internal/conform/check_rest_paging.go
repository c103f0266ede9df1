package conform

import (
	"fmt"
	"strings"
)

// RESTPaging: a list operation whose contract documents a page index and
// a page size parameter is walked with a small size and with the largest
// documented size: each page holds exactly size records (the last one at
// most size), no record shows up on two pages, both walks visit the same
// records in the same order, and the envelope's totals (total records,
// total pages, page number, size) agree with what the walk saw.
var RESTPaging = &Check{
	Name:  "rest-paging",
	Proto: "rest",
	Doc:   "documented paging walks the whole collection once: pages disjoint, size honoured, totals consistent",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, l := range restLists(a) {
			if l.page == "" || l.size == "" {
				continue
			}
			title := fmt.Sprintf("GET %s: %s/%s walk every record once, %d per page", l.op.Path, l.page, l.size, walkSize(l))
			out = append(out, single(ch, a, l.op.ID(), title, func(t *T) {
				max := t.env.Config.MaxRecords
				_, all := restWalk(t, l, bigSize(l), max, nil, false)
				size := walkSize(l)
				pages, walked := restWalk(t, l, size, max, nil, false)
				truncated := len(all) >= max
				t.exchanges = t.exchanges[:0]
				checkRESTPages(t, l, pages, size, truncated)
				// Both walks visit the same records in the same order.
				a, b := keysOf(all, l.key), keysOf(walked, l.key)
				if truncated {
					n := len(a)
					if len(b) < n {
						n = len(b)
					}
					a, b = a[:n], b[:n]
				}
				if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
					i := firstDiff(b, a)
					t.Errorf("", "the walk with %s=%d visited %d records, the walk with %s=%d %d: they differ first at record #%d (%s, want %s)",
						l.size, size, len(b), l.size, bigSize(l), len(a), i+1, elem(b, i), elem(a, i))
				}
			}))
		}
		return out
	},
}

// checkRESTPages checks the pages of one walk: size honoured, pages
// disjoint, totals consistent.
func checkRESTPages(t *T, l restList, pages []restPage, size int, truncated bool) {
	seen := map[string]int{}
	count := 0
	for _, p := range pages {
		count += len(p.records)
	}
	total, hasTotal := -1, false
	for i, p := range pages {
		t.lastReq = "GET " + p.url
		last := i == len(pages)-1
		if len(p.records) > size {
			t.Errorf("", "page %d has %d records, but %s=%d was asked for", p.index, len(p.records), l.size, size)
		} else if !last && len(p.records) < size {
			t.Errorf("", "page %d has %d records (%s=%d), but page %d follows with more", p.index, len(p.records), l.size, size, p.index+1)
		}
		var repeated []string
		from := -1
		for _, r := range p.records {
			k := keyOf(r, l.key)
			if j, dup := seen[k]; dup {
				if from < 0 {
					from = j
				}
				repeated = append(repeated, k)
				continue
			}
			seen[k] = p.index
		}
		if len(repeated) > 0 {
			t.Errorf("", "page %d repeats %d of its %d records from page %d (first: %s %s): pages must be disjoint",
				p.index, len(repeated), len(p.records), from, l.key, repeated[0])
		}
		if n, ok := intField(p.body, totalNames...); ok {
			if hasTotal && n != total {
				t.Errorf("", "page %d says %d records in all, page 0 said %d", p.index, n, total)
			}
			total, hasTotal = n, true
			if pn, ok := intField(p.body, totalPageNames...); ok && pn != ceilDiv(n, size) {
				t.Errorf("", "page %d says %d pages in all, but %d records at %d per page make %d", p.index, pn, n, size, ceilDiv(n, size))
			}
		}
		if m, ok := pageMeta(p.body); ok {
			if num, ok := intField(m, pageNumNames...); ok && num != l.pageMin+i {
				t.Errorf("", "page %d says it is page %d", l.pageMin+i, num)
			}
			if s, ok := intField(m, pageSizeNames...); ok && s != size {
				t.Errorf("", "page %d says its size is %d, but %s=%d was asked for", p.index, s, l.size, size)
			}
		}
	}
	if hasTotal && !truncated && total != count {
		t.Errorf("", "the pages say %d records in all, but walking them gave %d", total, count)
	}
}

// pageMeta is the envelope member holding page metadata (an object with
// a total), or the envelope itself.
func pageMeta(body any) (map[string]any, bool) {
	m, ok := body.(map[string]any)
	if !ok {
		return nil, false
	}
	for _, k := range sortedKeys(m) {
		if sub, ok := m[k].(map[string]any); ok {
			if _, ok := intField(sub, totalNames...); ok {
				return sub, true
			}
		}
	}
	if _, ok := intField(m, totalNames...); ok {
		return m, true
	}
	return nil, false
}

func keysOf(recs []walkedRecord, key string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = keyOf(r.rec, key)
	}
	return out
}
