package rest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Paging is rest-paging: a list operation whose contract documents a page
// index and a page size parameter is walked with a small size and with the
// largest documented size: each page holds exactly size records (the last
// one at most size), no record shows up on two pages, both walks visit the
// same records in the same order, and the envelope's totals (total records,
// total pages, page number, size) agree with what the walk saw.
func (Catalog) Paging() kit.Check {
	return kit.Check{
		Name:  "rest-paging",
		Class: kit.ClassPaging,
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Doc:   "documented paging walks the whole collection once: pages disjoint, size honoured, totals consistent",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, l := range a.Lists() {
				if !l.Paged() || l.Size == "" {
					continue
				}
				by := l.Page
				if by == "" {
					by = l.Offset
				}
				title := fmt.Sprintf("GET %s: %s/%s walk every record once, %d per page", l.Op.Path, by, l.Size, l.WalkSize())
				out = append(out, kit.Single(ch, a, l.Op.ID(), title, func(t *kit.T) {
					max := t.Env().Config.MaxRecords
					_, all := kit.WalkList(t, l, l.BigSize(), max, nil, false)
					size := l.WalkSize()
					pages, walked := kit.WalkList(t, l, size, max, nil, false)
					truncated := len(all) >= max
					t.DropExchanges()
					checkRESTPages(t, l, pages, size, truncated)
					// Both walks visit the same records in the same order.
					a, b := keysOf(all, l.Key), keysOf(walked, l.Key)
					if truncated {
						n := len(a)
						if len(b) < n {
							n = len(b)
						}
						a, b = a[:n], b[:n]
					}
					if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
						i := kit.FirstDiff(b, a)
						t.Errorf(kit.Body(""), "the walk with %s=%d visited %d records, the walk with %s=%d %d: they differ first at record #%d (%s, want %s)",
							l.Size, size, len(b), l.Size, l.BigSize(), len(a), i+1, kit.Elem(b, i), kit.Elem(a, i))
					}
				}))
			}
			return out
		},
	}
}

// checkRESTPages checks the pages of one walk: size honoured, pages
// disjoint, totals consistent.
func checkRESTPages(t *kit.T, l model.List, pages []kit.RESTPage, size int, truncated bool) {
	seen := map[string]int{}
	count := 0
	for _, p := range pages {
		count += len(p.Records)
	}
	total, hasTotal := -1, false
	for i, p := range pages {
		t.SetRequest("GET " + p.URL)
		last := i == len(pages)-1
		if len(p.Records) > size {
			t.Errorf(kit.Body(""), "page %d has %d records, but %s=%d was asked for", p.Index, len(p.Records), l.Size, size)
		} else if !last && len(p.Records) < size {
			t.Errorf(kit.Body(""), "page %d has %d records (%s=%d), but page %d follows with more", p.Index, len(p.Records), l.Size, size, p.Index+1)
		}
		var repeated []string
		from := -1
		for _, r := range p.Records {
			k := kit.RecordID(r, l.Key)
			if j, dup := seen[k]; dup {
				if from < 0 {
					from = j
				}
				repeated = append(repeated, k)
				continue
			}
			seen[k] = p.Index
		}
		if len(repeated) > 0 {
			t.Errorf(kit.Body(""), "page %d repeats %d of its %d records from page %d (first: %s %s): pages must be disjoint",
				p.Index, len(repeated), len(p.Records), from, l.Key, repeated[0])
		}
		if n, ok := kit.IntField(p.Body, model.TotalNames()...); ok {
			if hasTotal && n != total {
				t.Errorf(kit.Body(""), "page %d says %d records in all, page 0 said %d", p.Index, n, total)
			}
			total, hasTotal = n, true
			if pn, ok := kit.IntField(p.Body, model.TotalPageNames()...); ok && pn != kit.CeilDiv(n, size) {
				t.Errorf(kit.Body(""), "page %d says %d pages in all, but %d records at %d per page make %d", p.Index, pn, n, size, kit.CeilDiv(n, size))
			}
		}
		if m, ok := pageMeta(p.Body); ok {
			if num, ok := kit.IntField(m, model.PageNumNames()...); ok && l.Page != "" && num != l.PageMin+i {
				t.Errorf(kit.Body(""), "page %d says it is page %d", l.PageMin+i, num)
			}
			if s, ok := kit.IntField(m, model.PageSizeNames()...); ok && s != size {
				t.Errorf(kit.Body(""), "page %d says its size is %d, but %s=%d was asked for", p.Index, s, l.Size, size)
			}
		}
	}
	if hasTotal && !truncated && total != count {
		t.Errorf(kit.Body(""), "the pages say %d records in all, but walking them gave %d", total, count)
	}
}

// pageMeta is the envelope member holding page metadata (an object with
// a total), or the envelope itself.
func pageMeta(body any) (map[string]any, bool) {
	m, ok := body.(map[string]any)
	if !ok {
		return nil, false
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if sub, ok := m[k].(map[string]any); ok {
			if _, ok := kit.IntField(sub, model.TotalNames()...); ok {
				return sub, true
			}
		}
	}
	if _, ok := kit.IntField(m, model.TotalNames()...); ok {
		return m, true
	}
	return nil, false
}

func keysOf(recs []kit.WalkedRecord, key string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = kit.RecordID(r.Rec, key)
	}
	return out
}
