package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestHTMLStructureGolden holds the report of the sample run to the
// outline in testdata/report.outline (refresh with -update): the
// sections, their order, the groups, the filter attributes.
func TestHTMLStructureGolden(t *testing.T) {
	got := parseHTML(t, writeSample(t)).outline()
	golden := filepath.Join("testdata", "report.outline")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/conform/report -run TestHTMLStructureGolden -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the report's outline differs from %s (-update rewrites it):\n%s", golden, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

// TestHTMLFailuresFirst: failures, grouped by API then check, come
// before the skips (grouped by reason, the most frequent first), which
// come before the passes, collapsed; every failure carries its
// violations, its requests and responses and a curl line per request.
func TestHTMLFailuresFirst(t *testing.T) {
	doc := parseHTML(t, writeSample(t))
	var order []string
	for _, s := range doc.all(func(n *node) bool { return n.Tag == "section" && n.Parent.Tag == "main" }) {
		order = append(order, s.Attr["id"])
	}
	if want := "failures skips passes apis coverage"; strings.Join(order, " ") != want {
		t.Errorf("sections %v, want %s", order, want)
	}
	results := doc.all(func(n *node) bool { _, ok := n.Attr["data-result"]; return ok })
	var seq []string
	for _, r := range results {
		seq = append(seq, r.Attr["data-status"]+":"+r.Attr["data-api"]+"/"+r.Attr["data-check"])
	}
	want := []string{
		"fail:books/graphql-error-shape", "fail:books/graphql-pagination", "fail:library/rest-no-token", "fail:library/rest-success",
		"skip:books/graphql-delete", "skip:library/rest-rate-limit", "skip:books/graphql-records",
		"pass:books/graphql-schema", "pass:library/rest-success",
	}
	if strings.Join(seq, " ") != strings.Join(want, " ") {
		t.Errorf("results in the order\n%s\nwant\n%s", strings.Join(seq, "\n"), strings.Join(want, "\n"))
	}
	groups := doc.byID("failures").all(func(n *node) bool { return n.Tag == "h3" })
	if len(groups) != 4 || groups[0].text() != "books · graphql-error-shape 1" {
		t.Errorf("failure groups: %d, first %q", len(groups), groups[0].text())
	}
	skipGroups := doc.byID("skips").all(func(n *node) bool { return n.Tag == "h3" })
	if len(skipGroups) != 2 || skipGroups[0].text() != "changes data or spends a rate limit: run with --destructive 2" {
		t.Errorf("skip groups: %d, first %q", len(skipGroups), skipGroups[0].text())
	}
	passes := doc.byID("passes").all(func(n *node) bool { return n.Tag == "details" })
	if len(passes) != 1 {
		t.Fatalf("the passes are not in one details element")
	}
	if _, open := passes[0].Attr["open"]; open {
		t.Error("the passes are open; they are collapsed")
	}
	pag := doc.all(func(n *node) bool { return n.Attr["data-check"] == "graphql-pagination" && n.Tag == "details" })[0]
	vs := pag.all(func(n *node) bool { return n.Tag == "li" })
	if len(vs) != 2 || !strings.HasPrefix(vs[0].text(), "data.books.edges[3].cursor cursor repeats the one of edge 2 at POST http://127.0.0.1:8080/graphql") {
		t.Errorf("violations: %d, first %q", len(vs), vs[0].text())
	}
	if where := vs[0].all(func(n *node) bool { return n.hasClass("where") })[0]; where.Attr["title"] != "GraphQL response path" {
		t.Errorf("the place's kind %q", where.Attr["title"])
	}
	ex := pag.all(func(n *node) bool { return n.hasClass("exchange") })
	if len(ex) != 2 {
		t.Fatalf("%d exchanges shown, want 2", len(ex))
	}
	if !ex[1].hasClass("culprit") {
		t.Error("the request the violation is about is not marked")
	}
	for _, e := range ex {
		curl := e.all(func(n *node) bool { return n.Tag == "pre" && strings.HasSuffix(n.Attr["id"], "-curl") })
		if len(curl) != 1 || !strings.HasPrefix(curl[0].text(), "curl -sS -i -X POST http://127.0.0.1:8080/graphql -H 'Content-Type: application/json' -H \"X-Api-Key: $TOKEN\" --data-raw") {
			t.Errorf("curl line %q", curl[0].text())
		}
		btn := e.all(func(n *node) bool { return n.Tag == "button" && n.Attr["data-copy"] == curl[0].Attr["id"] })
		if len(btn) != 1 {
			t.Error("no copy button names the curl line")
		}
		if note := e.all(func(n *node) bool { return n.hasClass("note") && n.Parent.Parent.hasClass("curl") }); len(note) == 0 || !strings.Contains(note[0].text(), "$TOKEN") {
			t.Error("no note next to the button says the credential is $TOKEN")
		}
	}
	body := pag.all(func(n *node) bool { return n.Tag == "pre" && n.hasClass("body") })
	if len(body) < 2 || body[0].Text != "{ books(first: 3) { edges { cursor } } }" {
		t.Errorf("the GraphQL request is not shown as its document: %q", body[0].Text)
	}
	if body[1].Text != "{\n  \"data\": {\n    \"books\": {\n      \"edges\": []\n    }\n  }\n}" {
		t.Errorf("the JSON response body is not indented: %q", body[1].Text)
	}
	refused := doc.all(func(n *node) bool { return n.Attr["data-check"] == "graphql-error-shape" && n.Tag == "details" })[0]
	if !strings.Contains(refused.text(), "no answer: dial tcp 127.0.0.1:8080: connection refused") {
		t.Error("a request without an answer does not say why")
	}
}

// TestHTMLHeaderAndCoverage: the header has the run's target, seed,
// examples, date, duration and command line (the token redacted); the
// by-API table and the coverage tables have the console's data.
func TestHTMLHeaderAndCoverage(t *testing.T) {
	html := writeSample(t)
	doc := parseHTML(t, html)
	facts := map[string]string{}
	for _, dt := range doc.all(func(n *node) bool { return n.Tag == "dt" }) {
		facts[dt.text()] = dt.Parent.all(func(n *node) bool { return n.Tag == "dd" })[0].text()
	}
	for k, want := range map[string]string{
		"Target":   "http://127.0.0.1:8080",
		"Seed":     "7",
		"Examples": "50 per property check",
		"Started":  "Fri, 14 Mar 2025 09:26:53 UTC",
		"Duration": "1.234s",
		"Command":  "conform --target http://127.0.0.1:8080 --token '<redacted>' --html report.html",
	} {
		if facts[k] != want {
			t.Errorf("header %s: %q, want %q", k, facts[k], want)
		}
	}
	if strings.Contains(html, "s3cret") {
		t.Error("the report shows the token of the command line")
	}
	rows := map[string]string{}
	for _, tr := range doc.byID("apis").all(func(n *node) bool { return n.Tag == "tr" && n.Attr["data-api-block"] != "" }) {
		rows[tr.Attr["data-api-block"]] = tr.text()
	}
	for api, want := range map[string]string{
		"books":   "books 2 2 1 no REST operation 3 of 4 exercised 1 × changes data or spends a rate limit: run with --destructive 1 × the connection is empty: no node to validate",
		"library": "library 2 1 1 3 of 5 exercised no GraphQL schema 1 × changes data or spends a rate limit: run with --destructive",
	} {
		if rows[api] != want {
			t.Errorf("by API, %s:\n%q\nwant\n%q", api, rows[api], want)
		}
	}
	matrix := doc.byID("coverage").all(func(n *node) bool { return n.Tag == "table" && n.hasClass("matrix") })
	if len(matrix) != 1 {
		t.Fatalf("%d REST matrices, want 1", len(matrix))
	}
	var lines []string
	for _, tr := range matrix[0].all(func(n *node) bool { return n.Tag == "tr" }) {
		lines = append(lines, tr.text())
	}
	want := "operation 200 404 429 default exercised|GET /books (listBooks) ✓ · ✗ · 1 / 2|GET /books/{id} (getBook) ✓ ✓ · ✗ 2 / 3"
	if got := strings.Join(lines, "|"); got != want {
		t.Errorf("REST matrix:\n%s\nwant\n%s", got, want)
	}
	types := doc.byID("coverage").all(func(n *node) bool { return n.Tag == "table" && n.hasClass("types") })
	if len(types) != 1 || types[0].text() != "Book 1 / 2 id ✓ title ✗ Query 2 / 2 books ✓ books(first:) ✓" {
		t.Errorf("GraphQL coverage: %q", types[0].text())
	}
}

// TestHTMLContentSecurityPolicy: the page loads nothing; its one inline
// script runs by the hash the policy names.
func TestHTMLContentSecurityPolicy(t *testing.T) {
	html := writeSample(t)
	m := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(html, -1)
	if len(m) != 1 {
		t.Fatalf("%d inline scripts, want 1", len(m))
	}
	sum := sha256.Sum256([]byte(m[0][1]))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	doc := parseHTML(t, html)
	metas := doc.all(func(n *node) bool { return n.Tag == "meta" && n.Attr["http-equiv"] == "Content-Security-Policy" })
	if len(metas) != 1 {
		t.Fatal("no Content-Security-Policy meta tag")
	}
	csp := metas[0].Attr["content"]
	for _, want := range []string{"default-src 'none'", "style-src 'unsafe-inline'", "script-src " + hash} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Index(html, "Content-Security-Policy") > strings.Index(html, "<style>") {
		t.Error("the policy comes after the style sheet")
	}
	for _, n := range doc.all(func(n *node) bool {
		return n.Attr["src"] != "" || n.Tag == "link" || n.Tag == "iframe" || n.Tag == "img"
	}) {
		t.Errorf("<%s> loads something: %v", n.Tag, n.Attr)
	}
	for _, a := range doc.all(func(n *node) bool { return n.Tag == "a" }) {
		if !strings.HasPrefix(a.Attr["href"], "#") {
			t.Errorf("a link leaves the page: %s", a.Attr["href"])
		}
	}
}

// TestHTMLWithoutJavaScriptControls: what only works with the script
// (the filters, the copy and expand buttons) is hidden until the script
// shows it.
func TestHTMLWithoutJavaScriptControls(t *testing.T) {
	doc := parseHTML(t, writeSample(t))
	if _, hidden := doc.byID("filters").Attr["hidden"]; !hidden {
		t.Error("the filters show without the script")
	}
	for _, b := range doc.all(func(n *node) bool { return n.Tag == "button" }) {
		hidden := false
		for m := b; m != nil; m = m.Parent {
			if _, ok := m.Attr["hidden"]; ok {
				hidden = true
			}
		}
		if !hidden {
			t.Errorf("button %q shows without the script", b.text())
		}
	}
}

// TestHTMLEmptyAndPassingRuns: a run with no result and a run where
// everything passed render and say so.
func TestHTMLEmptyAndPassingRuns(t *testing.T) {
	for _, tc := range []struct {
		name    string
		results []engine.Result
		want    []string
	}{
		{"empty", nil, []string{"No check failed.", "Nothing was skipped.", "Nothing passed.", `<span class="verdict pass">passed</span>`}},
		{"passing", sampleResults()[:1], []string{"No check failed.", "Show the passed specs", "<title>Conformance: passed · Standin</title>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteHTML(&b, Run{}, tc.results, nil); err != nil {
				t.Fatal(err)
			}
			parseHTML(t, b.String())
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("no %q", w)
				}
			}
			if strings.Contains(b.String(), "<dt>Command</dt>") {
				t.Error("a command line is shown though none is known")
			}
		})
	}
}

// TestHTMLRendersClasses: when results carry a check class, each shows
// it and the filters offer it; without classes there is no class
// filter.
func TestHTMLRendersClasses(t *testing.T) {
	if strings.Contains(writeSample(t), `name="class"`) {
		t.Error("a class filter without classes")
	}
	p := buildPage(sampleRun(), sampleResults(), sampleCoverage())
	p.Classes = []string{"contract", "security"}
	for i := range p.FailGroups {
		for j := range p.FailGroups[i].Results {
			p.FailGroups[i].Results[j].Class = "security"
		}
	}
	var b bytes.Buffer
	if err := htmlReport.Execute(&b, struct {
		page
		Style, Script string
	}{page: p}); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, b.String())
	if n := len(doc.all(func(n *node) bool { return n.Tag == "select" && n.Attr["name"] == "class" })); n != 1 {
		t.Errorf("%d class filters, want 1", n)
	}
	tagged := doc.all(func(n *node) bool { return n.Attr["data-class"] == "security" })
	if len(tagged) != 4 {
		t.Errorf("%d results with data-class, want the 4 failures", len(tagged))
	}
}

// TestSplitExchanges: a failure shows the requests its violations are
// about (five at most) and the last, filled up to three with the latest;
// the others are behind their own "show", both in the order sent.
func TestSplitExchanges(t *testing.T) {
	mk := func(culprits ...int) []exchangeView {
		var out []exchangeView
		for i := 1; i <= 8; i++ {
			out = append(out, exchangeView{N: i, Culprit: slices.Contains(culprits, i)})
		}
		return out
	}
	ns := func(es []exchangeView) string {
		var s []string
		for _, e := range es {
			s = append(s, strconv.Itoa(e.N))
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		name        string
		all         []exchangeView
		shown, more string
	}{
		{"few", mk()[:3], "1,2,3", ""},
		{"no culprit: the latest", mk(), "6,7,8", "1,2,3,4,5"},
		{"an early culprit", mk(2), "2,7,8", "1,3,4,5,6"},
		{"culprits beyond three", mk(1, 2, 3), "1,2,3,8", "4,5,6,7"},
		{"culprits beyond five: the first five", mk(1, 2, 3, 4, 5, 6, 7, 8), "1,2,3,4,5,8", "6,7"},
	} {
		shown, more := splitExchanges(tc.all)
		if ns(shown) != tc.shown || ns(more) != tc.more {
			t.Errorf("%s: shown %s, more %s; want %s and %s", tc.name, ns(shown), ns(more), tc.shown, tc.more)
		}
	}
}

// TestGraphQLDocument: a GraphQL request body shows as its document and
// variables; other bodies are not taken for one.
func TestGraphQLDocument(t *testing.T) {
	for _, tc := range []struct {
		body, want string
		ok         bool
	}{
		{`{"query":"query Q($v: ID!) {\n  account(id: $v) { id }\n}\n","variables":{"v":"7"}}`, "query Q($v: ID!) {\n  account(id: $v) { id }\n}\n\n# variables:\n{\n  \"v\": \"7\"\n}", true},
		{`{"query":"{ a }","variables":null,"operationName":"A"}`, "{ a }\n\n# operationName: A", true},
		{`{"query":"{ a }","extensions":{"persistedQuery":{"version":1}}}`, "{ a }\n\n# extensions:\n{\n  \"persistedQuery\": {\n    \"version\": 1\n  }\n}", true},
		{`{"query":"{ a }","extra":1}`, "", false},
		{`{"data":{}}`, "", false},
		{`{"query":"{ a … (900 bytes in all)`, "", false},
	} {
		got, ok := graphQLDocument(tc.body)
		if got != tc.want || ok != tc.ok {
			t.Errorf("graphQLDocument(%s) = %q, %v; want %q, %v", tc.body, got, ok, tc.want, tc.ok)
		}
	}
}

// TestHTMLManyViolations: past ten, a failure's violations are behind
// their own "show", numbered on, and the count says all.
func TestHTMLManyViolations(t *testing.T) {
	r := sampleResults()[1]
	for i := 0; i < 11; i++ {
		r.Violations = append(r.Violations, kit.Violation{Where: kit.Body("/" + strconv.Itoa(i)), Message: "wrong"})
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, Run{}, []engine.Result{r}, nil); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, b.String())
	if h := doc.all(func(n *node) bool { return n.Tag == "h4" })[0].text(); h != "Violations (12)" {
		t.Errorf("heading %q", h)
	}
	more := doc.all(func(n *node) bool { return n.Tag == "details" && n.hasClass("more") })
	if len(more) != 1 || more[0].all(func(n *node) bool { return n.Tag == "ol" })[0].Attr["start"] != "11" {
		t.Fatal("the violations past ten are not in a details of their own, numbered from 11")
	}
	if n := len(more[0].all(func(n *node) bool { return n.Tag == "li" })); n != 2 {
		t.Errorf("%d violations behind the show, want 2", n)
	}
}

// TestViewRun: the header's target is one URL when every API has the
// same, else each API's; an unset seed and examples show their defaults.
func TestViewRun(t *testing.T) {
	v := viewRun(Run{Targets: map[string]string{"b": "http://b:1", "a": "http://a:1"}})
	if v.Target != "" || len(v.Targets) != 2 || v.Targets[0] != (apiURL{"a", "http://a:1"}) || v.Targets[1] != (apiURL{"b", "http://b:1"}) {
		t.Errorf("two targets: %+v", v)
	}
	if v.Seed != 1 || v.Examples != conform.DefaultExamples || v.Command != "" || v.Started != "" || v.Duration != "" {
		t.Errorf("defaults: %+v", v)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, Run{Targets: map[string]string{"b": "http://b:1", "a": "http://a:1"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	dd := parseHTML(t, b.String()).all(func(n *node) bool { return n.Tag == "dd" })[0].text()
	if dd != "a http://a:1 b http://b:1" {
		t.Errorf("the header's target: %q", dd)
	}
}
