package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// sampleRun is a fixed run header: the golden report does not change
// with the clock.
func sampleRun() Run {
	return Run{
		Targets:  map[string]string{"books": "http://127.0.0.1:8080", "library": "http://127.0.0.1:8080"},
		Seed:     7,
		Examples: 50,
		Started:  time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Duration: 1234 * time.Millisecond,
		Command:  []string{"conform", "--target", "http://127.0.0.1:8080", "--token", "s3cret", "--html", "report.html"},
	}
}

// sampleResults is a run of two APIs, in run order: passes, failures of
// REST and GraphQL checks (a JSON pointer, a GraphQL path, a status),
// skips for two reasons.
func sampleResults() []engine.Result {
	bearer := map[string]string{"Accept": "application/json", "Authorization": "Bearer <redacted>"}
	return []engine.Result{
		{Check: "rest-success", API: "library", Proto: "rest", Operation: "listBooks", Name: "GET /books answers 200 with a valid body", Status: engine.Pass, Duration: 3 * time.Millisecond},
		{Check: "rest-success", API: "library", Proto: "rest", Operation: "getBook", Name: "GET /books/{id} answers 200 with a valid body", Status: engine.Fail,
			Violations: []kit.Violation{{Where: kit.Body("/author/name"), Message: "value must be a string", Request: "GET http://127.0.0.1:8080/books/7"}},
			Exchanges: []kit.Exchange{{Method: "GET", URL: "http://127.0.0.1:8080/books/7", RequestHeaders: bearer, Status: 200,
				ResponseHeaders: map[string]string{"Content-Type": "application/json"}, Body: `{"id":7,"author":{"name":42}}`}}},
		{Check: "graphql-pagination", API: "books", Proto: "graphql", Operation: "Query.books", Name: "books: forward and backward walks agree", Status: engine.Fail,
			Violations: []kit.Violation{
				{Where: kit.GQLPath("data.books.edges[3].cursor"), Message: "cursor repeats the one of edge 2", Request: "POST http://127.0.0.1:8080/graphql"},
				{Where: kit.GQLPath("data.books.totalCount"), Message: "totalCount 9, but the walk visited 8 nodes\n(first: 3, then after the cursor of node 3)"},
			},
			Exchanges: []kit.Exchange{
				{Method: "POST", URL: "http://127.0.0.1:8080/graphql", RequestHeaders: map[string]string{"Content-Type": "application/json", "X-Api-Key": "<redacted>"},
					RequestBody: `{"query":"{ books(first: 3) { edges { cursor } } }"}`, Status: 200, Body: `{"data":{"books":{"edges":[]}}}`},
				{Method: "POST", URL: "http://127.0.0.1:8080/graphql", RequestHeaders: map[string]string{"Content-Type": "application/json", "X-Api-Key": "<redacted>"},
					RequestBody: `{"query":"{ books(first: 3, after: \"c3\") { edges { cursor } } }"}`, Status: 200, Body: `{"data":{"books":{"edges":[{"cursor":"c2"}]}}}`},
			}},
		{Check: "rest-no-token", API: "library", Proto: "rest", Operation: "getBook", Name: "GET /books/{id} without a token answers 401", Status: engine.Fail,
			Violations: []kit.Violation{{Where: kit.Status(), Message: "want HTTP 401, got 200", Request: "GET http://127.0.0.1:8080/books/7"}},
			Exchanges:  []kit.Exchange{{Method: "GET", URL: "http://127.0.0.1:8080/books/7", RequestHeaders: map[string]string{"Accept": "application/json"}, Status: 200, Body: `{"id":7}`}}},
		{Check: "rest-rate-limit", API: "library", Proto: "rest", Operation: "listBooks", Name: "GET /books answers 429 past the limit", Status: engine.Skip, SkipReason: "changes data or spends a rate limit: run with --destructive"},
		{Check: "graphql-records", API: "books", Proto: "graphql", Operation: "Query.books", Name: "every node is valid", Status: engine.Skip, SkipReason: "the connection is empty: no node to validate"},
		{Check: "graphql-delete", API: "books", Proto: "graphql", Operation: "deleteBook", Name: "deleteBook removes the book", Status: engine.Skip, SkipReason: "changes data or spends a rate limit: run with --destructive"},
		{Check: "graphql-schema", API: "books", Proto: "graphql", Operation: "schema", Name: "the introspected schema is compatible with the SDL", Status: engine.Pass},
		{Check: "graphql-error-shape", API: "books", Proto: "graphql", Operation: "Query.book", Name: "an unknown id answers null and NOT_FOUND", Status: engine.Fail,
			Violations: []kit.Violation{{Where: kit.InTheRun("request"), Message: "POST /graphql: connection refused"}},
			Exchanges:  []kit.Exchange{{Method: "POST", URL: "http://127.0.0.1:8080/graphql", RequestBody: `{"query":"{ book(id: \"x\") { id } }"}`, Error: "dial tcp 127.0.0.1:8080: connection refused"}}},
	}
}

// sampleCoverage is the coverage of the two APIs: a REST matrix with a
// status one operation does not document, GraphQL fields by type.
func sampleCoverage() []CoverageItem {
	return []CoverageItem{
		{API: "books", Proto: "graphql", Group: "Book", Item: "id", Exercised: true},
		{API: "books", Proto: "graphql", Group: "Book", Item: "title", Exercised: false},
		{API: "books", Proto: "graphql", Group: "Query", Item: "books", Exercised: true},
		{API: "books", Proto: "graphql", Group: "Query", Item: "books(first:)", Exercised: true},
		{API: "library", Proto: "rest", Group: "GET /books (listBooks)", Item: "200", Exercised: true},
		{API: "library", Proto: "rest", Group: "GET /books (listBooks)", Item: "429", Exercised: false},
		{API: "library", Proto: "rest", Group: "GET /books/{id} (getBook)", Item: "200", Exercised: true},
		{API: "library", Proto: "rest", Group: "GET /books/{id} (getBook)", Item: "404", Exercised: true},
		{API: "library", Proto: "rest", Group: "GET /books/{id} (getBook)", Item: "default", Exercised: false},
	}
}

// writeSample renders the sample run.
func writeSample(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, sampleRun(), sampleResults(), sampleCoverage()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// node is an element of a parsed report.
type node struct {
	Tag      string
	Attr     map[string]string
	Text     string // the text directly inside (a "#text" node: its text)
	Children []*node
	Parent   *node
}

// parseHTML reads the report into a tree with encoding/xml in its HTML
// mode (the report closes every element it opens). Script and style
// contents are left out: they are fixed assets, not markup.
func parseHTML(t *testing.T, doc string) *node {
	t.Helper()
	for _, tag := range []string{"script", "style"} {
		if i := strings.Index(doc, "<"+tag+">"); i >= 0 {
			j := strings.Index(doc[i:], "</"+tag+">")
			doc = doc[:i+len(tag)+2] + doc[i+j:]
		}
	}
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	root := &node{Tag: "#document"}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the report does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Tag: tok.Name.Local, Attr: map[string]string{}, Parent: cur}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			if cur.Tag != tok.Name.Local {
				t.Fatalf("</%s> closes <%s>", tok.Name.Local, cur.Tag)
			}
			cur = cur.Parent
		case xml.CharData:
			cur.Text += string(tok)
			cur.Children = append(cur.Children, &node{Tag: "#text", Text: string(tok), Parent: cur})
		}
	}
	if cur != root {
		t.Fatalf("<%s> is not closed", cur.Tag)
	}
	return root
}

// all returns the elements under n (n included) for which match holds, in
// document order.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if m.Tag == "#text" {
			return
		}
		if match(m) {
			out = append(out, m)
		}
		for _, c := range m.Children {
			walk(c)
		}
	}
	walk(n)
	return out
}

// byID finds the element with the id.
func (n *node) byID(id string) *node {
	if m := n.all(func(m *node) bool { return m.Attr["id"] == id }); len(m) > 0 {
		return m[0]
	}
	return nil
}

// hasClass says whether the element has the class.
func (n *node) hasClass(c string) bool { return slices.Contains(strings.Fields(n.Attr["class"]), c) }

// text is all the text under n, whitespace collapsed.
func (n *node) text() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		if m.Tag == "#text" {
			b.WriteString(m.Text)
			return
		}
		for _, c := range m.Children {
			walk(c)
		}
		switch m.Tag { // cells and blocks are apart, as a browser shows them
		case "td", "th", "div", "p", "li", "tr", "dt", "dd", "pre", "h1", "h2", "h3", "h4":
			b.WriteByte(' ')
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// outline renders the tree's structure for the golden file: one element
// a line, indented, with its id, classes and filter attributes, and the
// text of headings and summaries.
func (n *node) outline() string {
	var b strings.Builder
	var walk func(m *node, depth int)
	walk = func(m *node, depth int) {
		if m.Tag == "#text" {
			return
		}
		if m.Tag != "#document" {
			line := strings.Repeat("  ", depth) + m.Tag
			if id := m.Attr["id"]; id != "" {
				line += "#" + id
			}
			for _, c := range strings.Fields(m.Attr["class"]) {
				line += "." + c
			}
			for _, k := range []string{"data-api", "data-check", "data-status", "data-class", "data-section", "data-count", "data-facet", "data-copy", "data-action", "name", "value", "open", "hidden", "title"} {
				if v, ok := m.Attr[k]; ok {
					line += fmt.Sprintf(" %s=%q", k, v)
				}
			}
			switch m.Tag {
			case "h1", "h2", "h3", "h4", "summary", "title", "dt", "th", "legend":
				line += "  | " + m.text()
			}
			b.WriteString(line + "\n")
		}
		for _, c := range m.Children {
			walk(c, depth+1)
		}
	}
	walk(n, -1)
	return b.String()
}
