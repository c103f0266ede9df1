package rest

import (
	"encoding/json"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// TestPagedListWithFilters serves listCatalog of testdata/books: page/size
// paging (default 3 and cap 5 from the spec), the publisher and title
// filters, and every page placeholder; each answer validates against the
// spec.
func TestPagedListWithFilters(t *testing.T) {
	f := loadBooks(t)
	const dune = `{"authorName":"Author 0","isbn":"9780000000010","title":"Dune"}`
	tests := []struct {
		name   string
		c      call
		status int
		body   string // exact JSON, when set
		has    []string
	}{
		{name: "defaults from the spec", c: call{method: "GET", target: "/lib/catalog"}, status: 200,
			has: []string{`"meta":{"number":0,"pages":4,"size":3,"total":12}`, `"items":[` + dune,
				`{"href":"/lib/catalog?page=0\u0026size=3","rel":"self"},{"href":"/lib/catalog?page=1\u0026size=3","rel":"next"}]`}},
		{name: "last page", c: call{method: "GET", target: "/lib/catalog?page=2&size=5"}, status: 200,
			body: `{"items":[{"authorName":"Author 10","isbn":"9780000000020","title":"Kindred"},{"authorName":"Author 11","isbn":"9780000000021","title":"Persuasion"}],
				"links":[{"href":"/lib/catalog?page=2&size=5","rel":"self"},{"href":"/lib/catalog?page=1&size=5","rel":"prev"}],
				"meta":{"number":2,"pages":3,"size":5,"total":12}}`},
		{name: "past the end", c: call{method: "GET", target: "/lib/catalog?page=9"}, status: 200,
			body: `{"items":[],"links":[{"href":"/lib/catalog?page=9&size=3","rel":"self"}],"meta":{"number":9,"pages":4,"size":3,"total":12}}`},
		// Beyond 32 bits a page is refused like one beyond 64 bits, not
		// clamped to another page (whose self link would name it).
		{name: "huge page", c: call{method: "GET", target: "/lib/catalog?page=9007199254740991"}, status: 400,
			has: []string{`query parameter \"page\": must be an integer of at most 2147483647`}},
		{name: "page 10^17", c: call{method: "GET", target: "/lib/catalog?page=100000000000000000"}, status: 400,
			has: []string{`must be an integer of at most 2147483647`}},
		{name: "page 10^20", c: call{method: "GET", target: "/lib/catalog?page=99999999999999999999"}, status: 400},
		{name: "largest page", c: call{method: "GET", target: "/lib/catalog?page=2147483647"}, status: 200,
			has: []string{`"items":[]`, `"number":2147483647`}},
		{name: "filter exact, other parameters kept in links", c: call{method: "GET", target: "/lib/catalog?publisher=Globex&size=1&page=1"}, status: 200,
			body: `{"items":[{"authorName":"Author 4","isbn":"9780000000014","title":"Middlemarch"}],
				"links":[{"href":"/lib/catalog?page=1&size=1&publisher=Globex","rel":"self"},{"href":"/lib/catalog?page=2&size=1&publisher=Globex","rel":"next"},{"href":"/lib/catalog?page=0&size=1&publisher=Globex","rel":"prev"}],
				"meta":{"number":1,"pages":4,"size":1,"total":4}}`},
		{name: "filters combine", c: call{method: "GET", target: "/lib/catalog?publisher=Acme&title=Dune"}, status: 200,
			has: []string{`"items":[` + dune + `]`, `"total":1`}},
		{name: "filters combine to nothing", c: call{method: "GET", target: "/lib/catalog?publisher=Globex&title=Dune"}, status: 200,
			has: []string{`"items":[]`, `"pages":0,"size":3,"total":0`}},
		{name: "filter is exact", c: call{method: "GET", target: "/lib/catalog?title=dune"}, status: 200, has: []string{`"total":0`}},
		{name: "empty filter value matches nothing", c: call{method: "GET", target: "/lib/catalog?title="}, status: 200, has: []string{`"total":0`}},
		{name: "escaped filter value", c: call{method: "GET", target: "/lib/catalog?title=Emma%20%3C%26%20%22Woodhouse%22%3E"}, status: 200,
			has: []string{`"isbn":"9780000000011"`, `"total":1`, `title=Emma%20%3C%26%20%22Woodhouse%22%3E`}},
		{name: "scope then filter then paging", c: call{method: "GET", target: "/lib/catalog?size=5&page=1", who: partner}, status: 200,
			has: []string{`"total":8`, `"pages":2`, `"prev"`}},
		{name: "scope hides filtered records", c: call{method: "GET", target: "/lib/catalog?publisher=Globex", who: partner}, status: 200,
			has: []string{`"items":[]`, `"total":0`}},
		{name: "empty data set", c: call{method: "GET", target: "/lib/catalog", data: reqctx.DataEmpty}, status: 200,
			body: `{"items":[],"links":[{"href":"/lib/catalog?page=0&size=3","rel":"self"}],"meta":{"number":0,"pages":0,"size":3,"total":0}}`},
		{name: "size 0", c: call{method: "GET", target: "/lib/catalog?size=0"}, status: 400, has: []string{`"bad_request"`, `parameter \"size\" in query`}},
		{name: "size above max", c: call{method: "GET", target: "/lib/catalog?size=6"}, status: 400, has: []string{`parameter \"size\" in query`}},
		{name: "negative page", c: call{method: "GET", target: "/lib/catalog?page=-1"}, status: 400, has: []string{`parameter \"page\" in query`}},
		{name: "offset style keeps working", c: call{method: "GET", target: "/lib/books?offset=11"}, status: 200,
			body: `{"data":[{"authorName":"Author 11","isbn":"9780000000021","title":"Persuasion"}],"ok":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, tt.c)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if tt.body != "" && !reflect.DeepEqual(jsonOf(t, string(body)), jsonOf(t, tt.body)) {
				t.Errorf("body\n%s\nwant\n%s", body, tt.body)
			}
			for _, s := range tt.has {
				if !strings.Contains(string(body), s) {
					t.Errorf("body %s lacks %s", body, s)
				}
			}
			if err := f.checkResponse(t, tt.c.method, mustURL(t, tt.c.target), resp, body); err != nil {
				t.Errorf("response does not match the spec: %v\n%s", err, body)
			}
		})
	}
}

// TestPagedListFollowsStoreChanges: totals and items follow inserts.
func TestPagedListFollowsStoreChanges(t *testing.T) {
	f := loadBooks(t)
	err := f.st.Update(func(tx *store.Tx) error {
		_, err := tx.Insert("books.books", store.Record{"isbn": "9780000000099", "title": "New", "publisher": "Globex", "author": map[string]any{"name": "N"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	resp := f.do(t, call{method: "GET", target: "/lib/catalog?publisher=Globex&page=1&size=4"})
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"title":"New"`) || !strings.Contains(string(body), `"total":5`) {
		t.Fatalf("%s", body)
	}
}

func TestNewRejectsBadPaging(t *testing.T) {
	base, err := manifest.Load(os.DirFS("testdata"), "books")
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t, "testdata/books/openapi.yaml")
	st := store.New()
	if err := st.Define(store.Definition{Name: "books.books", Unique: []string{"isbn"}}); err != nil {
		t.Fatal(err)
	}
	page := func(p manifest.Paging) *manifest.Paging { p.Style = manifest.PagingPage; return &p }
	env := func(extra map[string]any) map[string]any {
		m := map[string]any{"items": "{{items}}"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	list := func(o manifest.Operation) manifest.Operation { o.Collection, o.Action = "books", "list"; return o }
	tests := []struct {
		name string
		op   string
		b    manifest.Operation
		want string
	}{
		{"page parameter not declared", "listCatalog", list(manifest.Operation{Paging: page(manifest.Paging{Page: "p", Size: "size"})}), `"p" is not a query parameter`},
		{"size parameter not declared", "listCatalog", list(manifest.Operation{Paging: page(manifest.Paging{Page: "page", Size: "per"})}), `"per" is not a query parameter`},
		{"paging parameter not an integer", "listCatalog", list(manifest.Operation{Paging: page(manifest.Paging{Page: "page", Size: "title"})}), `"title" is [string] in the spec`},
		{"default differs from the spec", "listCatalog", list(manifest.Operation{Paging: page(manifest.Paging{Page: "page", Size: "size", DefaultMax: 4})}), `differs from the spec's default 3`},
		{"page style without default", "listBooks", list(manifest.Operation{Paging: page(manifest.Paging{Page: "offset", Size: "limit"})}), `needs a positive default size`},
		{"default above max", "listBooks", list(manifest.Operation{Paging: &manifest.Paging{Offset: "offset", Limit: "limit", DefaultMax: 20, Max: 10}}), `default 20 is above max 10`},
		{"unknown style", "listCatalog", list(manifest.Operation{Paging: &manifest.Paging{Style: "cursor"}}), `style "cursor"`},
		{"mixed styles", "listCatalog", list(manifest.Operation{Paging: &manifest.Paging{Offset: "page", Size: "size"}}), `need style "page"`},
		{"filter not declared", "listCatalog", list(manifest.Operation{Filters: map[string]string{"author": "author.name"}}), `filters: "author" is not a query parameter`},
		{"filter on a paging parameter", "listCatalog", list(manifest.Operation{Paging: page(manifest.Paging{Page: "page", Size: "size"}), Filters: map[string]string{"page": "year"}}), `"page" is also a paging parameter`},
		{"filter without field", "listCatalog", list(manifest.Operation{Filters: map[string]string{"title": ""}}), `needs a query parameter and a record field`},
		{"unknown placeholder", "listCatalog", list(manifest.Operation{Envelope: env(map[string]any{"n": "{{page.count}}"})}), `unknown placeholder "{{page.count}}"`},
		{"embedded placeholder", "listCatalog", list(manifest.Operation{Envelope: env(map[string]any{"n": "page {{page.number}}"})}), `must be the whole string`},
		{"links without paging", "listCatalog", list(manifest.Operation{Envelope: env(map[string]any{"l": "{{links}}"})}), `"{{links}}" needs paging`},
		{"page number with offset style", "listBooks", list(manifest.Operation{Paging: &manifest.Paging{Offset: "offset", Limit: "limit"}, Envelope: env(map[string]any{"n": "{{page.number}}"})}), `"{{page.number}}" needs paging style "page"`},
		{"item in a list", "listCatalog", list(manifest.Operation{Envelope: map[string]any{"x": "{{item}}"}}), `not "{{item}}"`},
		{"page placeholder in a get", "getBook", manifest.Operation{Collection: "books", Action: "get", Key: &manifest.KeyBinding{Param: "isbn", Field: "isbn"}, Envelope: map[string]any{"b": "{{item}}", "n": "{{page.size}}"}}, `a get answers "{{item}}" only`},
		{"paging on a get", "getBook", manifest.Operation{Collection: "books", Action: "get", Key: &manifest.KeyBinding{Param: "isbn", Field: "isbn"}, Paging: &manifest.Paging{}}, `apply to list only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := *base
			rest := *base.REST
			rest.Operations = map[string]manifest.Operation{tt.op: tt.b}
			api.REST = &rest
			_, err := New(&api, doc, st, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want one mentioning %s", err, tt.want)
			}
		})
	}
}

func TestCompileEnvelopeKeepsNumbers(t *testing.T) {
	env, err := compileEnvelope(map[string]any{"a": []any{"{{items}}", " {{ page.size }} "}, "b": "x<y"})
	if err != nil {
		t.Fatal(err)
	}
	got := env.wrap(nil, slotItems, func(b []byte, s slot) []byte {
		if s == slotSize {
			return append(b, '7')
		}
		return append(b, "[1]"...)
	})
	if want := `{"a":[[1],7],"b":"x\u003cy"}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// TestUnpagedListCounts: without paging a list is one page of every
// record, so "{{page.totalElements}}" and "{{page.size}}" are the number
// of records listed (inferred envelopes with a total need them).
func TestUnpagedListCounts(t *testing.T) {
	f := loadBooks(t)
	n, err := f.st.Len("books.books")
	if err != nil {
		t.Fatal(err)
	}
	api := *f.api
	rest := *f.api.REST
	rest.Operations = map[string]manifest.Operation{"listBooks": {Collection: "books", Action: "list",
		Envelope: map[string]any{"data": "{{items}}", "total": "{{page.totalElements}}", "size": "{{page.size}}"}}}
	api.REST = &rest
	eng, err := New(&api, f.doc, f.st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := &fixture{api: &api, doc: f.doc, st: f.st, eng: eng}
	resp := g.do(t, call{method: "GET", target: "/lib/books"})
	var body struct {
		Data        []any `json:"data"`
		Total, Size int
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || len(body.Data) != n || body.Total != n || body.Size != n {
		t.Fatalf("status %d, %d records, total %d, size %d; want %d of each", resp.StatusCode, len(body.Data), body.Total, body.Size, n)
	}
}
