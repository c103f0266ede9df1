package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// page is what the HTML template renders: the run's header, the results
// sorted for reading (failures grouped by API and check, skips grouped by
// reason, passes) and the per-API tables.
type page struct {
	CSP, Title  string
	Run         runView
	Specs       int
	Passed      int
	Failed      int
	Skipped     int
	APIs        []string
	Checks      []string
	Classes     []string
	FailGroups  []failGroup
	SkipGroups  []skipGroup
	Passes      []resultView
	Summaries   []apiRow
	Coverage    []apiCoverage
	HasCoverage bool
}

type runView struct {
	Target   string   // one base URL, or "" when the APIs have several
	Targets  []apiURL // each API's base URL when they differ
	Bundled  bool
	Seed     uint64
	Examples int
	Started  string // RFC 3339, UTC
	Date     string // for people
	Duration string
	Command  string
}

type apiURL struct{ API, URL string }

type failGroup struct {
	API, Check string
	Results    []resultView
}

type skipGroup struct {
	Reason  string
	Results []resultView
}

type resultView struct {
	ID         string
	API        string
	Check      string
	Class      string
	Operation  string
	Name       string
	Status     string
	SkipReason string
	Duration   string
	Headline   string
	Violations []violationView
	// MoreViolations are those past shownViolations.
	MoreViolations []violationView
	// Exchanges are the requests shown at once: those a violation is
	// about and the last (all when there are few); More the others.
	Exchanges []exchangeView
	More      []exchangeView
	Requests  int // len(Exchanges) + len(More)
}

type violationView struct {
	Where, Kind, Message, Request string
	Exchange                      string // the id of the exchange it is about, if shown
}

type exchangeView struct {
	ID          string
	N           int
	Method      string
	URL         string
	ReqHeaders  []header
	ReqBody     string
	GraphQL     bool // ReqBody is the GraphQL document and variables of a JSON body
	Status      int
	StatusText  string
	RespHeaders []header
	Body        string
	Error       string
	Curl        Curl
	Culprit     bool // a violation is about this request
}

type header struct{ Name, Value string }

type apiRow struct {
	API        string
	Passed     int
	Failed     int
	Skipped    int
	Reasons    []reasonCount
	REST, GQL  [2]int // exercised, all
	HasREST    bool
	HasGraphQL bool
}

type reasonCount struct {
	Reason string
	N      int
}

type apiCoverage struct {
	API     string
	REST    *restMatrix
	GraphQL []gqlType
	GQL     [2]int
}

// restMatrix is an API's operations × documented statuses: one row per
// operation, one column per status any operation documents.
type restMatrix struct {
	Statuses []string
	Rows     []restRow
	Count    [2]int
}

type restRow struct {
	Operation string
	Cells     []restCell
	Count     [2]int
}

type restCell struct {
	Status     string
	Documented bool
	Exercised  bool
}

type gqlType struct {
	Type  string
	Items []CoverageItem
	Count [2]int
}

// headlineLen bounds the first violation a failure's summary line shows.
const headlineLen = 180

// buildPage sorts and groups a run's results for the report.
func buildPage(run Run, results []engine.Result, cov []CoverageItem) page {
	p := page{Run: viewRun(run), Specs: len(results)}
	p.Passed, p.Failed, p.Skipped = engine.Counts(results)
	apis, checks, classes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var fails, skips []resultView
	for i, r := range results {
		v := viewResult(i, r)
		apis[v.API], checks[v.Check] = true, true
		if v.Class != "" {
			classes[v.Class] = true
		}
		switch r.Status {
		case engine.Fail:
			fails = append(fails, v)
		case engine.Skip:
			skips = append(skips, v)
		default:
			p.Passes = append(p.Passes, v)
		}
	}
	for _, c := range cov {
		apis[c.API] = true
	}
	p.APIs = slices.Sorted(maps.Keys(apis))
	p.Checks = slices.Sorted(maps.Keys(checks))
	p.Classes = slices.Sorted(maps.Keys(classes))
	byAPIAndCheck := func(a, b resultView) int {
		return cmpAll(strings.Compare(a.API, b.API), strings.Compare(a.Check, b.Check), strings.Compare(a.Operation, b.Operation))
	}
	slices.SortStableFunc(fails, byAPIAndCheck)
	for _, f := range fails {
		if n := len(p.FailGroups); n == 0 || p.FailGroups[n-1].API != f.API || p.FailGroups[n-1].Check != f.Check {
			p.FailGroups = append(p.FailGroups, failGroup{API: f.API, Check: f.Check})
		}
		g := &p.FailGroups[len(p.FailGroups)-1]
		g.Results = append(g.Results, f)
	}
	byReason := map[string][]resultView{}
	for _, s := range skips {
		byReason[s.SkipReason] = append(byReason[s.SkipReason], s)
	}
	for _, reason := range slices.Sorted(maps.Keys(byReason)) {
		rs := byReason[reason]
		slices.SortStableFunc(rs, byAPIAndCheck)
		p.SkipGroups = append(p.SkipGroups, skipGroup{Reason: reason, Results: rs})
	}
	sort.SliceStable(p.SkipGroups, func(i, j int) bool { // the most frequent reason first
		return len(p.SkipGroups[i].Results) > len(p.SkipGroups[j].Results)
	})
	slices.SortStableFunc(p.Passes, byAPIAndCheck)
	p.Coverage = viewCoverage(cov)
	p.HasCoverage = len(p.Coverage) > 0
	p.Summaries = viewSummaries(p.APIs, results, p.Coverage)
	p.Title = "passed"
	if p.Failed > 0 {
		p.Title = fmt.Sprintf("%d failed", p.Failed)
	}
	return p
}

func cmpAll(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

func viewRun(r Run) runView {
	v := runView{Bundled: r.Bundled, Seed: r.Seed, Examples: r.Examples, Command: ""}
	if v.Seed == 0 {
		v.Seed = 1
	}
	if v.Examples <= 0 {
		v.Examples = conform.DefaultExamples
	}
	if len(r.Command) > 0 {
		v.Command = CommandLine(r.Command)
	}
	if !r.Started.IsZero() {
		v.Started = r.Started.UTC().Format(time.RFC3339)
		v.Date = r.Started.UTC().Format("Mon, 2 Jan 2006 15:04:05 UTC")
	}
	if r.Duration > 0 {
		v.Duration = r.Duration.Round(time.Millisecond).String()
	}
	urls := map[string]bool{}
	for _, api := range slices.Sorted(maps.Keys(r.Targets)) {
		v.Targets = append(v.Targets, apiURL{api, r.Targets[api]})
		urls[r.Targets[api]] = true
	}
	if len(urls) == 1 {
		v.Target = v.Targets[0].URL
		v.Targets = nil
	}
	return v
}

func viewResult(i int, r engine.Result) resultView {
	v := resultView{
		ID: "r" + strconv.Itoa(i+1), API: r.API, Check: r.Check, Class: classOf(r), Operation: r.Operation,
		Name: r.Name, Status: r.Status, SkipReason: r.SkipReason,
	}
	if r.Duration > 0 {
		v.Duration = r.Duration.Round(time.Microsecond * 100).String()
	}
	if r.Status != engine.Fail {
		return v
	}
	byRequest := map[string]string{}
	for j, ex := range r.Exchanges {
		e := viewExchange(ex)
		e.ID = fmt.Sprintf("%s-x%d", v.ID, j+1)
		e.N = j + 1
		byRequest[ex.Method+" "+ex.URL] = e.ID // the latest exchange of a request
		v.Exchanges = append(v.Exchanges, e)
	}
	for _, viol := range r.Violations {
		vv := violationView{Where: viol.Where.String(), Kind: placeKind(viol.Where.Kind()), Message: viol.Message, Request: viol.Request}
		if id, ok := byRequest[viol.Request]; ok {
			vv.Exchange = id
			for k := range v.Exchanges {
				if v.Exchanges[k].ID == id {
					v.Exchanges[k].Culprit = true
				}
			}
		}
		v.Violations = append(v.Violations, vv)
	}
	v.Requests = len(v.Exchanges)
	v.Exchanges, v.More = splitExchanges(v.Exchanges)
	if len(v.Violations) > shownViolations {
		v.Violations, v.MoreViolations = v.Violations[:shownViolations], v.Violations[shownViolations:]
	}
	if len(v.Violations) > 0 {
		first := v.Violations[0]
		h := first.Message
		if first.Where != "" {
			h = first.Where + ": " + h
		}
		v.Headline = shorten(h, headlineLen)
	}
	return v
}

// A failure shows at once at least shownExchanges requests (the latest),
// and at most shownCulprits of those its violations are about, and
// shownViolations violations; the rest are behind a "show" of their own.
const (
	shownExchanges  = 3
	shownCulprits   = 5
	shownViolations = 10
)

// splitExchanges keeps in view the first shownCulprits requests a
// violation is about and the last one, filled up to shownExchanges with
// the latest; the others (earlier pages of a walk, lookups that passed,
// more of the same failure) go to more. Both keep the order sent.
func splitExchanges(all []exchangeView) (shown, more []exchangeView) {
	if len(all) <= shownExchanges {
		return all, nil
	}
	keep := make([]bool, len(all))
	n, culprits := 0, 0
	for i, e := range all {
		if (e.Culprit && culprits < shownCulprits) || i == len(all)-1 {
			keep[i] = true
			n++
			if e.Culprit {
				culprits++
			}
		}
	}
	for i := len(all) - 2; i >= 0 && n < shownExchanges; i-- {
		if !keep[i] {
			keep[i] = true
			n++
		}
	}
	for i, e := range all {
		if keep[i] {
			shown = append(shown, e)
		} else {
			more = append(more, e)
		}
	}
	return shown, more
}

// shorten keeps the first line of s, at most n runes.
func shorten(s string, n int) string {
	line, _, more := strings.Cut(s, "\n")
	r := []rune(line)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	if more {
		return line + " …"
	}
	return line
}

func placeKind(k kit.PlaceKind) string {
	switch k {
	case kit.InBody:
		return "JSON pointer into the body"
	case kit.AtStatus:
		return "HTTP status"
	case kit.InHeader:
		return "response header"
	case kit.InResponse:
		return "GraphQL response path"
	case kit.AtCoordinate:
		return "GraphQL schema coordinate"
	}
	return "the run"
}

func viewExchange(ex kit.Exchange) exchangeView {
	e := exchangeView{
		Method: ex.Method, URL: ex.URL, ReqHeaders: headers(ex.RequestHeaders), ReqBody: pretty(ex.RequestBody),
		Status: ex.Status, StatusText: http.StatusText(ex.Status), RespHeaders: headers(ex.ResponseHeaders),
		Body: pretty(ex.Body), Error: ex.Error, Curl: CurlLine(ex),
	}
	if doc, ok := graphQLDocument(ex.RequestBody); ok {
		e.ReqBody, e.GraphQL = doc, true
	}
	return e
}

// graphQLDocument shows a GraphQL request body ({"query", "variables",
// "operationName", "extensions"}) as people write it: the document with
// its line breaks, then the rest as indented JSON. Anything else is not
// one.
func graphQLDocument(body string) (string, bool) {
	var req struct {
		Query         *string         `json:"query"`
		Variables     json.RawMessage `json:"variables"`
		OperationName string          `json:"operationName"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.Query == nil || dec.More() {
		return "", false
	}
	out := strings.TrimRight(*req.Query, "\n")
	if req.OperationName != "" {
		out += "\n\n# operationName: " + req.OperationName
	}
	if v := strings.TrimSpace(string(req.Variables)); v != "" && v != "null" && v != "{}" {
		out += "\n\n# variables:\n" + pretty(v)
	}
	if x := strings.TrimSpace(string(req.Extensions)); x != "" && x != "null" {
		out += "\n\n# extensions:\n" + pretty(x)
	}
	return out, true
}

func headers(h map[string]string) []header {
	var out []header
	for _, k := range slices.Sorted(maps.Keys(h)) {
		out = append(out, header{k, h[k]})
	}
	return out
}

// pretty indents a JSON body; anything else (a cut excerpt, text) is
// kept as it is.
func pretty(body string) string {
	b := []byte(body)
	if !json.Valid(b) {
		return body
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return body
	}
	return out.String()
}

func viewSummaries(apis []string, results []engine.Result, cov []apiCoverage) []apiRow {
	sums := map[string]APISummary{}
	for _, s := range Summaries(results) {
		sums[s.API] = s
	}
	covs := map[string]apiCoverage{}
	for _, c := range cov {
		covs[c.API] = c
	}
	var out []apiRow
	for _, api := range apis {
		s := sums[api]
		row := apiRow{API: api, Passed: s.Passed, Failed: s.Failed, Skipped: s.SkippedCount()}
		for _, reason := range slices.Sorted(maps.Keys(s.Skipped)) {
			row.Reasons = append(row.Reasons, reasonCount{reason, s.Skipped[reason]})
		}
		if c, ok := covs[api]; ok {
			if c.REST != nil {
				row.HasREST, row.REST = true, c.REST.Count
			}
			if len(c.GraphQL) > 0 {
				row.HasGraphQL, row.GQL = true, c.GQL
			}
		}
		out = append(out, row)
	}
	return out
}

// viewCoverage arranges the coverage items per API: REST operations ×
// statuses as a matrix, GraphQL fields and arguments by type.
func viewCoverage(cov []CoverageItem) []apiCoverage {
	var out []apiCoverage
	index := map[string]int{}
	restRows := map[string]map[string]int{} // API -> operation -> row index
	for _, c := range cov {
		i, ok := index[c.API]
		if !ok {
			i = len(out)
			index[c.API] = i
			out = append(out, apiCoverage{API: c.API})
			restRows[c.API] = map[string]int{}
		}
		a := &out[i]
		if c.Proto == "graphql" {
			if n := len(a.GraphQL); n == 0 || a.GraphQL[n-1].Type != c.Group {
				a.GraphQL = append(a.GraphQL, gqlType{Type: c.Group})
			}
			t := &a.GraphQL[len(a.GraphQL)-1]
			t.Items = append(t.Items, c)
			count(&t.Count, c.Exercised)
			count(&a.GQL, c.Exercised)
			continue
		}
		if a.REST == nil {
			a.REST = &restMatrix{}
		}
		k, ok := restRows[c.API][c.Group]
		if !ok {
			k = len(a.REST.Rows)
			a.REST.Rows = append(a.REST.Rows, restRow{Operation: c.Group})
			restRows[c.API][c.Group] = k
		}
		row := &a.REST.Rows[k]
		row.Cells = append(row.Cells, restCell{Status: c.Item, Documented: true, Exercised: c.Exercised})
		count(&row.Count, c.Exercised)
		count(&a.REST.Count, c.Exercised)
	}
	for i := range out {
		m := out[i].REST
		if m == nil {
			continue
		}
		statuses := map[string]bool{}
		for _, r := range m.Rows {
			for _, c := range r.Cells {
				statuses[c.Status] = true
			}
		}
		m.Statuses = slices.SortedFunc(maps.Keys(statuses), compareStatus)
		for k, r := range m.Rows {
			have := map[string]restCell{}
			for _, c := range r.Cells {
				have[c.Status] = c
			}
			cells := make([]restCell, len(m.Statuses))
			for j, s := range m.Statuses {
				cells[j] = have[s]
				cells[j].Status = s
			}
			m.Rows[k].Cells = cells
		}
	}
	return out
}

// compareStatus orders numeric statuses first, then ranges (4XX) and
// "default".
func compareStatus(a, b string) int {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return na - nb
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	if (a == "default") != (b == "default") {
		if a == "default" {
			return 1
		}
		return -1
	}
	return strings.Compare(a, b)
}

func count(c *[2]int, exercised bool) {
	if exercised {
		c[0]++
	}
	c[1]++
}
