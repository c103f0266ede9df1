package conform

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// maxCoverageQueries bounds the distinct GraphQL documents kept per API
// for the coverage table.
const maxCoverageQueries = 20000

// Coverage records what a run's requests exercised: REST method, path and
// status per API, and the distinct GraphQL documents sent.
type Coverage struct {
	mu      sync.Mutex
	rest    map[string]map[string]bool // api -> "METHOD path status"
	queries map[string]map[string]bool // api -> query
}

func newCoverage() *Coverage {
	return &Coverage{rest: map[string]map[string]bool{}, queries: map[string]map[string]bool{}}
}

// record notes one request and the status it got.
func (c *Coverage) record(a *API, r Request, status int) {
	if c == nil || a == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, _, _ := strings.Cut(r.Path, "?")
	if a.Schema != nil && p == a.GraphQLPath && r.Body != nil {
		var body struct {
			Query string `json:"query"`
		}
		if json.Unmarshal(r.Body, &body) == nil && body.Query != "" {
			if c.queries[a.Name] == nil {
				c.queries[a.Name] = map[string]bool{}
			}
			if len(c.queries[a.Name]) < maxCoverageQueries {
				c.queries[a.Name][body.Query] = true
			}
		}
		return
	}
	if c.rest[a.Name] == nil {
		c.rest[a.Name] = map[string]bool{}
	}
	c.rest[a.Name][fmt.Sprintf("%s %s %d", r.Method, p, status)] = true
}

// CoverageItem is one row of the coverage table: an operation with one
// documented status, or a GraphQL field or argument (Type.field,
// Type.field(arg:)).
type CoverageItem struct {
	API       string `json:"api"`
	Proto     string `json:"proto"`
	Group     string `json:"group"` // the operation, or the GraphQL type
	Item      string `json:"item"`  // the status, or the field / argument
	Exercised bool   `json:"exercised"`
}

// Items computes the coverage table of the env's APIs.
func (c *Coverage) Items(e *Env) []CoverageItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []CoverageItem
	for _, a := range e.APIs {
		for _, o := range restOps(a) {
			re := templateRegexp(o.Path)
			var codes []string
			for code := range o.Op.Responses.Map() {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			documented := map[int]bool{}
			for _, code := range codes {
				if n, err := strconv.Atoi(code); err == nil {
					documented[n] = true
				}
			}
			group := fmt.Sprintf("%s %s (%s)", o.Method, o.Path, o.ID())
			for _, code := range codes {
				hit := false
				for k := range c.rest[a.Name] {
					parts := strings.SplitN(k, " ", 3)
					if len(parts) != 3 || parts[0] != o.Method || !re.MatchString(parts[1]) {
						continue
					}
					n, _ := strconv.Atoi(parts[2])
					if code == strconv.Itoa(n) || (code == "default" && !documented[n]) {
						hit = true
						break
					}
				}
				out = append(out, CoverageItem{API: a.Name, Proto: "rest", Group: group, Item: code, Exercised: hit})
			}
		}
		if a.Schema == nil {
			continue
		}
		seen := map[string]bool{}
		for q := range c.queries[a.Name] {
			doc, err := gqlparser.LoadQuery(a.Schema, q)
			if err != nil {
				continue
			}
			markSelections(doc, seen)
		}
		for _, name := range sortedKeys(a.Schema.Types) {
			def := a.Schema.Types[name]
			if strings.HasPrefix(name, "__") || (def.Kind != ast.Object && def.Kind != ast.Interface) || def.BuiltIn {
				continue
			}
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				coord := name + "." + f.Name
				out = append(out, CoverageItem{API: a.Name, Proto: "graphql", Group: name, Item: f.Name, Exercised: seen[coord]})
				for _, arg := range f.Arguments {
					out = append(out, CoverageItem{API: a.Name, Proto: "graphql", Group: name, Item: f.Name + "(" + arg.Name + ":)", Exercised: seen[coord+"("+arg.Name+":)"]})
				}
			}
		}
	}
	return out
}

// markSelections marks every field (Type.field) and argument
// (Type.field(arg:)) a validated document selects.
func markSelections(doc *ast.QueryDocument, seen map[string]bool) {
	var walk func(ss ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, sel := range ss {
			switch s := sel.(type) {
			case *ast.Field:
				if s.ObjectDefinition != nil && !strings.HasPrefix(s.Name, "__") {
					coord := s.ObjectDefinition.Name + "." + s.Name
					seen[coord] = true
					for _, arg := range s.Arguments {
						seen[coord+"("+arg.Name+":)"] = true
					}
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
}

// templateRegexp matches concrete paths of an OpenAPI path template.
func templateRegexp(tmpl string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	rest := tmpl
	for {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		b.WriteString("[^/]+")
		rest = rest[j+1:]
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// APISummary counts one API's results; Skipped maps each skip reason to
// how many specs it skipped.
type APISummary struct {
	API     string         `json:"api"`
	Passed  int            `json:"passed"`
	Failed  int            `json:"failed"`
	Skipped map[string]int `json:"skipped,omitempty"`
}

// SkippedCount is the number of skipped specs.
func (s APISummary) SkippedCount() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// Summaries counts results per API, sorted by API.
func Summaries(results []Result) []APISummary {
	by := map[string]*APISummary{}
	for _, r := range results {
		s := by[r.API]
		if s == nil {
			s = &APISummary{API: r.API, Skipped: map[string]int{}}
			by[r.API] = s
		}
		switch r.Status {
		case Pass:
			s.Passed++
		case Fail:
			s.Failed++
		case Skip:
			s.Skipped[r.SkipReason]++
		}
	}
	var out []APISummary
	for _, k := range sortedKeys(by) {
		out = append(out, *by[k])
	}
	return out
}

// Counts returns how many results passed, failed and were skipped.
func Counts(results []Result) (passed, failed, skipped int) {
	for _, r := range results {
		switch r.Status {
		case Pass:
			passed++
		case Fail:
			failed++
		case Skip:
			skipped++
		}
	}
	return
}

// WriteConsoleSummary writes the end of a console run: totals, a summary
// per API (skips with their reasons) and the coverage table.
func WriteConsoleSummary(w io.Writer, results []Result, cov []CoverageItem) {
	p, f, s := Counts(results)
	fmt.Fprintf(w, "\nConformance: %d specs, %d passed, %d failed, %d skipped\n", len(results), p, f, s)
	fmt.Fprintln(w, "\nBy API:")
	for _, sum := range Summaries(results) {
		fmt.Fprintf(w, "  %-14s %d passed, %d failed, %d skipped\n", sum.API, sum.Passed, sum.Failed, sum.SkippedCount())
		for _, reason := range sortedKeys(sum.Skipped) {
			fmt.Fprintf(w, "  %-14s   %d skipped: %s\n", "", sum.Skipped[reason], reason)
		}
	}
	fmt.Fprintln(w, "\nCoverage (✓ exercised, ✗ not exercised):")
	var lastAPI, lastProto, lastGroup string
	line := ""
	flush := func() {
		if line != "" {
			fmt.Fprintln(w, line)
			line = ""
		}
	}
	totals := coverageTotals(cov)
	for _, c := range cov {
		if c.API != lastAPI || c.Proto != lastProto {
			flush()
			t := totals[c.API+"/"+c.Proto]
			what := "operation × documented status"
			if c.Proto == "graphql" {
				what = "GraphQL fields and arguments"
			}
			fmt.Fprintf(w, "  %s %s: %d of %d exercised\n", c.API, what, t[0], t[1])
			lastAPI, lastProto, lastGroup = c.API, c.Proto, ""
		}
		if c.Group != lastGroup {
			flush()
			line = "    " + c.Group + ":"
			lastGroup = c.Group
		}
		mark := "✗"
		if c.Exercised {
			mark = "✓"
		}
		line += " " + c.Item + " " + mark
	}
	flush()
}

// coverageTotals counts exercised and all items per API and protocol.
func coverageTotals(cov []CoverageItem) map[string][2]int {
	out := map[string][2]int{}
	for _, c := range cov {
		t := out[c.API+"/"+c.Proto]
		if c.Exercised {
			t[0]++
		}
		t[1]++
		out[c.API+"/"+c.Proto] = t
	}
	return out
}
