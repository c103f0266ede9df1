package rest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// PagingLinks is rest-paging-links: for each paged list operation whose
// answers carry paging links (a links array of {rel, href}, HAL _links,
// or an RFC 8288 Link header), the next links followed from the first
// page (page size 7) to the one without a next link give exactly the list
// the page numbers give: every record once, in the same order, none
// missing; no next link leads to an empty page or back to a page already
// seen; and the prev links lead from the last page back to the first
// through the same pages. A link is resolved against the URL of the page
// it is on (RFC 3986) and must lead under the API's base URL.
func (Catalog) PagingLinks() kit.Check {
	return kit.Check{
		Name:  "rest-paging-links",
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Class: kit.ClassHTTP,
		Doc:   "next links followed to the end give exactly the list, no record twice or missing; prev links lead back",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, l := range a.Lists() {
				if l.Page == "" || l.Key == "" {
					continue
				}
				title := fmt.Sprintf("GET %s: the next links, followed from the first page to the last, give exactly the list; the prev links lead back", l.Op.Path)
				out = append(out, kit.Single(ch, a, l.Op.ID(), title, func(t *kit.T) { followLinks(t, a, l) }))
			}
			return out
		},
	}
}

var (
	linkHeader = regexp.MustCompile(`<([^>]*)>([^,<]*)`)
	linkRel    = regexp.MustCompile(`(?i)\brel\s*=\s*"?([^";]+)"?`)
)

// pageLinks reads a page's links by relation: the Link header's, then the
// body's links array ({rel, href}) or HAL _links ({next: {href}}).
func pageLinks(h http.Header, body any) map[string]string {
	out := map[string]string{}
	for _, v := range h.Values("Link") {
		for _, m := range linkHeader.FindAllStringSubmatch(v, -1) {
			if r := linkRel.FindStringSubmatch(m[2]); r != nil {
				for _, rel := range strings.Fields(strings.ToLower(r[1])) {
					out[rel] = m[1]
				}
			}
		}
	}
	for _, key := range []string{"links", "_links"} {
		switch x := kit.At(body, key).(type) {
		case []any:
			for _, item := range x {
				rel, _ := kit.At(item, "rel").(string)
				href, _ := kit.At(item, "href").(string)
				if rel != "" && href != "" {
					out[strings.ToLower(rel)] = href
				}
			}
		case map[string]any:
			for rel, v := range x {
				if href, _ := kit.At(v, "href").(string); href != "" {
					out[strings.ToLower(rel)] = href
				}
			}
		}
	}
	return out
}

// documentsLinks reports whether the list's success answer documents
// paging links: a links or _links property, or a Link header.
func documentsLinks(l model.List) bool {
	ref := l.Op.Op.Responses.Status(l.Op.SuccessStatus())
	if ref == nil || ref.Value == nil {
		return false
	}
	if ref.Value.Headers["Link"] != nil {
		return true
	}
	s := l.Op.SuccessSchema()
	return s != nil && s.Value != nil && (s.Value.Properties["links"] != nil || s.Value.Properties["_links"] != nil)
}

// linkedPage is one page reached by a link.
type linkedPage struct {
	url   string
	keys  []string
	links map[string]string
}

func followLinks(t *kit.T, a *kit.API, l model.List) {
	size := l.WalkSize()
	max := t.Env().Config.MaxRecords
	_, walked := kit.WalkList(t, l, size, max, nil, false)
	if len(walked) >= max {
		t.Skip("the list has %d records or more (--max-records): the links cannot be followed to its end", max)
	}
	var want []string
	for _, r := range walked {
		want = append(want, kit.KeyOf(r.Rec, l.Key))
	}
	t.DropExchanges()
	q := url.Values{}
	q.Set(l.Page, strconv.Itoa(l.PageMin))
	if l.Size != "" {
		q.Set(l.Size, strconv.Itoa(size))
	}
	base := a.BaseURL()
	read := func(u string, why string) linkedPage {
		rel, ok := strings.CutPrefix(u, base)
		if !ok || (rel != "" && rel[0] != '/') {
			t.Fatalf(kit.Body(""), "%s leads to %s, outside the API's base URL %s", why, u, base)
		}
		resp := t.Do(kit.Request{Method: http.MethodGet, Path: rel, Credentials: kit.OpCredentials(t, l.Op)})
		if !kit.ExpectStatus(t, resp, l.Op.SuccessStatus()) {
			t.Fatalf(kit.Status(), "%s (%s) does not answer the list", why, u)
		}
		body, err := kit.DecodeJSON(resp.Body)
		if err != nil {
			t.Fatalf(kit.Body(""), "%s (%s): the body is not JSON: %v", why, u, err)
		}
		arr, _ := kit.At(body, l.Records).([]any)
		if l.Records == "" {
			arr, _ = body.([]any)
		}
		p := linkedPage{url: u, links: map[string]string{}}
		for _, r := range arr {
			m, _ := r.(map[string]any)
			p.keys = append(p.keys, kit.KeyOf(m, l.Key))
		}
		for rel, href := range pageLinks(resp.Header, body) {
			ref, err := url.Parse(href)
			from, _ := url.Parse(u)
			if err != nil {
				t.Errorf(kit.Body(""), "%s: the %s link %q is not a URL: %v", u, rel, href, err)
				continue
			}
			p.links[rel] = from.ResolveReference(ref).String()
		}
		return p
	}
	first := read(base+l.Op.Path+"?"+q.Encode(), "the first page")
	if len(first.links) == 0 {
		if documentsLinks(l) && len(want) > len(first.keys) {
			t.Fatalf(kit.Body(""), "page 0 of %d records has no paging link, though more records follow and the contract documents links", len(first.keys))
		}
		t.Skip("the answers carry no paging link (no Link header, no links in the body)")
	}
	pages := []linkedPage{first}
	seen := map[string]int{first.url: 0}
	for cur := first; cur.links["next"] != ""; {
		next := cur.links["next"]
		if i, ok := seen[next]; ok {
			t.Fatalf(kit.Body(""), "the next link of page %d (%s) leads back to page %d: the links loop", len(pages)-1, cur.url, i)
		}
		if len(pages) == kit.MaxPages {
			t.Fatalf(kit.Body(""), "the next links did not end after %d pages", kit.MaxPages)
		}
		cur = read(next, fmt.Sprintf("the next link of page %d", len(pages)-1))
		if len(cur.keys) == 0 {
			t.Errorf(kit.Body(""), "the next link of page %d leads to an empty page (%s): a next link is for a page that exists", len(pages)-1, cur.url)
		}
		seen[cur.url] = len(pages)
		pages = append(pages, cur)
	}
	var got []string
	where := map[string]int{}
	for i, p := range pages {
		for _, k := range p.keys {
			if j, dup := where[k]; dup {
				t.Errorf(kit.Body(""), "record %s %s is on page %d and again on page %d of the linked walk", l.Key, k, j, i)
			}
			where[k] = i
			got = append(got, k)
		}
	}
	wantSet := map[string]bool{}
	for _, k := range want {
		wantSet[k] = true
	}
	var missing []string
	for _, k := range want {
		if _, ok := where[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf(kit.Body(""), "following the next links from the first page reaches %d records over %d pages; %d records of the list are never reached (first: %s %s)", len(got), len(pages), len(missing), l.Key, missing[0])
	}
	if len(missing) == 0 && strings.Join(got, ",") != strings.Join(want, ",") {
		i := kit.FirstDiff(want, got)
		t.Errorf(kit.Body(""), "the linked walk gives the records in another order than the pages do: record #%d is %s %s, want %s", i+1, l.Key, kit.Elem(got, i), kit.Elem(want, i))
	}
	for k := range where {
		if !wantSet[k] {
			t.Errorf(kit.Body(""), "the linked walk reaches %s %s, which the list's pages do not hold", l.Key, k)
			break
		}
	}
	// Back from the last page by the prev links.
	if len(pages) > 1 && pages[len(pages)-1].links["prev"] != "" {
		cur := pages[len(pages)-1]
		for i := len(pages) - 2; i >= 0; i-- {
			prev := cur.links["prev"]
			if prev == "" {
				t.Errorf(kit.Body(""), "page %d (%s) has no prev link, though page %d precedes it", i+1, cur.url, i)
				break
			}
			cur = read(prev, fmt.Sprintf("the prev link of page %d", i+1))
			if strings.Join(cur.keys, ",") != strings.Join(pages[i].keys, ",") {
				t.Errorf(kit.Body(""), "the prev link of page %d leads to %s, which holds other records than page %d of the next links", i+1, cur.url, i)
				break
			}
		}
		if cur.links["prev"] != "" && !t.Failed() {
			t.Errorf(kit.Body(""), "the first page, reached back by the prev links (%s), has a prev link: nothing precedes it", cur.url)
		}
	}
	if !t.Failed() {
		t.DropExchanges()
	}
}
