package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// hostile is markup a server under test could answer with: it must show
// as text, never become an element of the report.
const hostile = `</script><img src=x onerror="alert(1)"><script>alert(2)</script>'"&amp;`

// TestHTMLEscapesTheServersAnswers puts hostile markup wherever a server's
// answer reaches the report (body, header names and values, status
// error, violation messages and places, the URL it was asked on, a skip
// reason) and checks that the page has only its own elements and shows
// every string as sent.
func TestHTMLEscapesTheServersAnswers(t *testing.T) {
	results := []engine.Result{
		{Check: "rest-success", API: "library", Proto: "rest", Operation: "getBook", Name: "GET /books/{id} " + hostile, Status: engine.Fail,
			Violations: []kit.Violation{{Where: kit.Body("/" + hostile), Message: "got " + hostile, Request: "GET http://127.0.0.1/" + hostile}},
			Exchanges: []kit.Exchange{{
				Method: "GET", URL: "http://127.0.0.1/" + hostile, RequestHeaders: map[string]string{"Authorization": "Bearer <redacted>"},
				RequestBody: hostile, Status: 500,
				ResponseHeaders: map[string]string{"X-Evil": hostile, hostile: "name"},
				Body:            hostile, Error: hostile,
			}, {
				Method: "POST", URL: "http://127.0.0.1/graphql", Status: 200,
				RequestBody: `{"query":"` + strings.ReplaceAll(hostile, `"`, `\"`) + `"}`, // JSON: indented, still escaped
				Body:        `{"errors":[{"message":"` + strings.ReplaceAll(hostile, `"`, `\"`) + `"}]}`,
			}}},
		{Check: "rest-lookups", API: "library", Proto: "rest", Operation: "getBook", Name: "lookups", Status: engine.Skip, SkipReason: hostile},
		{Check: "rest-paging", API: "library", Proto: "rest", Operation: hostile, Name: hostile, Status: engine.Pass},
	}
	cov := []CoverageItem{{API: "library", Proto: "rest", Group: hostile, Item: "200", Exercised: true}}
	var b bytes.Buffer
	if err := WriteHTML(&b, Run{Targets: map[string]string{"library": "http://127.0.0.1/" + hostile}, Command: []string{"conform", hostile}}, results, cov); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, bad := range []string{"<img", "onerror=\"alert", "<script>alert"} {
		if strings.Contains(html, bad) {
			i := strings.Index(html, bad)
			t.Errorf("the report holds %q unescaped: …%s…", bad, html[max(0, i-80):min(len(html), i+80)])
		}
	}
	if n := strings.Count(html, "<script"); n != 1 {
		t.Errorf("%d <script elements, want the report's own", n)
	}
	if n := strings.Count(html, "</script>"); n != 1 {
		t.Errorf("%d </script> tags, want the report's own", n)
	}
	doc := parseHTML(t, html)
	for _, n := range doc.all(func(n *node) bool { return n.Tag == "img" || (n.Tag == "script" && len(n.Children) > 0) }) {
		t.Errorf("an element of the server's answer became markup: <%s %v>", n.Tag, n.Attr)
	}
	// Every string is shown as the server sent it: the body, a header,
	// the error, the skip reason.
	r1 := doc.all(func(n *node) bool { return n.Attr["id"] == "r1-x1" })[0]
	var texts []string
	for _, n := range r1.all(func(n *node) bool { return n.Tag == "pre" || n.Tag == "td" || n.Tag == "th" || n.hasClass("err") }) {
		texts = append(texts, n.text())
	}
	joined := strings.Join(texts, "\n")
	for _, want := range []string{hostile, "X-Evil", "no answer: " + hostile} {
		if !strings.Contains(joined, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("%q is not shown as sent; the exchange shows:\n%s", want, joined)
		}
	}
	if skip := doc.byID("skips").text(); !strings.Contains(skip, strings.Join(strings.Fields(hostile), " ")) {
		t.Errorf("the skip reason is not shown as given: %s", skip)
	}
}
