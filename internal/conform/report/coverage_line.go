package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// Tally is how many of something the contract documents and how many the
// run exercised.
type Tally struct {
	Exercised  int `json:"exercised"`
	Documented int `json:"documented"`
}

func (t *Tally) add(hit bool) {
	t.Documented++
	if hit {
		t.Exercised++
	}
}

// String is "E of D".
func (t Tally) String() string { return fmt.Sprintf("%d of %d", t.Exercised, t.Documented) }

// APICoverage is one API's coverage line: the operations (REST
// operations, GraphQL root, namespace and mutation fields), the
// documented statuses (REST operation × status) and the parameters (REST
// path and query parameters, GraphQL arguments) the run exercised; what
// its GraphQL endpoint answered (HTTP statuses and error codes); the
// operations no request reached; and the skipped specs with their reasons.
type APICoverage struct {
	API          string         `json:"api"`
	Operations   Tally          `json:"operations"`
	Statuses     Tally          `json:"statuses"`
	Parameters   Tally          `json:"parameters"`
	Answers      []string       `json:"graphqlAnswers,omitempty"`
	NotExercised []string       `json:"notExercised,omitempty"`
	Skipped      map[string]int `json:"skipped,omitempty"`
}

// CoverageLines computes the coverage line of each API of the env from
// what its requests exercised and the run's results.
func CoverageLines(e *kit.Env, results []engine.Result) []APICoverage {
	skipped := map[string]map[string]int{}
	for _, r := range results {
		if r.Status == engine.Skip {
			if skipped[r.API] == nil {
				skipped[r.API] = map[string]int{}
			}
			skipped[r.API][r.SkipReason]++
		}
	}
	var out []APICoverage
	for _, a := range e.APIs {
		c := APICoverage{API: a.Name, Skipped: skipped[a.Name]}
		restCoverage(e, a, &c)
		graphqlCoverage(e, a, &c)
		out = append(out, c)
	}
	return out
}

// restCoverage counts a's REST operations, operation × documented status
// and operation × parameter.
func restCoverage(e *kit.Env, a *kit.API, c *APICoverage) {
	rest := e.Coverage.REST(a.Name)
	params := e.Coverage.QueryParams(a.Name)
	for _, o := range a.Operations() {
		re := templateRegexp(o.Path)
		statuses := map[int]bool{}
		sent := map[string]bool{}
		for k := range rest {
			parts := strings.SplitN(k, " ", 3)
			if len(parts) == 3 && parts[0] == o.Method && re.MatchString(parts[1]) {
				n, _ := strconv.Atoi(parts[2])
				statuses[n] = true
			}
		}
		for k := range params {
			parts := strings.SplitN(k, " ", 3)
			if len(parts) == 3 && parts[0] == o.Method && re.MatchString(parts[1]) {
				sent[parts[2]] = true
			}
		}
		c.Operations.add(len(statuses) > 0)
		if len(statuses) == 0 {
			c.NotExercised = append(c.NotExercised, o.Method+" "+o.Path)
		}
		documented := map[int]bool{}
		for code := range o.Op.Responses.Map() {
			if n, err := strconv.Atoi(code); err == nil {
				documented[n] = true
			}
		}
		for _, code := range slices.Sorted(maps.Keys(o.Op.Responses.Map())) {
			hit := false
			for n := range statuses {
				if code == strconv.Itoa(n) || (code == "default" && !documented[n]) {
					hit = true
				}
			}
			c.Statuses.add(hit)
		}
		for range o.PathParams() {
			c.Parameters.add(len(statuses) > 0)
		}
		for _, p := range o.QueryParams() {
			c.Parameters.add(sent[p.Name])
			if !sent[p.Name] && len(statuses) > 0 {
				c.NotExercised = append(c.NotExercised, fmt.Sprintf("%s %s ?%s", o.Method, o.Path, p.Name))
			}
		}
	}
}

// graphqlCoverage counts a's GraphQL operations (the fields of the query
// root and of its namespace fields, and the mutations) and arguments, and
// lists what the endpoint answered.
func graphqlCoverage(e *kit.Env, a *kit.API, c *APICoverage) {
	if a.Schema == nil {
		return
	}
	seen := map[string]bool{}
	for q := range e.Coverage.Queries(a.Name) {
		if doc, errs := gqlparser.LoadQueryWithRules(a.Schema, q, nil); len(errs) == 0 {
			markSelections(doc, seen)
		}
	}
	var ops []string
	for _, f := range a.QueryFields() {
		typeName := a.Schema.Query.Name
		if len(f.Path) > 1 {
			typeName = a.Schema.Query.Fields.ForName(f.Path[0]).Type.Name()
		}
		ops = append(ops, typeName+"."+f.Def.Name)
	}
	if m := a.Schema.Mutation; m != nil {
		for _, f := range m.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				ops = append(ops, m.Name+"."+f.Name)
			}
		}
	}
	for _, op := range ops {
		c.Operations.add(seen[op])
		if !seen[op] {
			c.NotExercised = append(c.NotExercised, op)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(a.Schema.Types)) {
		def := a.Schema.Types[name]
		if strings.HasPrefix(name, "__") || def.BuiltIn {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			for _, arg := range f.Arguments {
				coord := name + "." + f.Name + "(" + arg.Name + ":)"
				c.Parameters.add(seen[coord])
				if !seen[coord] {
					c.NotExercised = append(c.NotExercised, coord)
				}
			}
		}
	}
	answers := e.Coverage.GraphQLAnswers(a.Name)
	var statuses, codes []string
	for _, k := range slices.Sorted(maps.Keys(answers)) {
		if s, ok := strings.CutPrefix(k, "HTTP "); ok {
			statuses = append(statuses, s)
		} else if code, ok := strings.CutPrefix(k, "code "); ok {
			codes = append(codes, code)
		}
	}
	if len(statuses) > 0 {
		c.Answers = append(c.Answers, "HTTP "+strings.Join(statuses, ", "))
	}
	if len(codes) > 0 {
		c.Answers = append(c.Answers, "codes "+strings.Join(codes, ", "))
	}
}

// Line renders the coverage line of one API for the console.
func (c APICoverage) Line() string {
	s := fmt.Sprintf("%s: operations %s, statuses %s, parameters %s exercised", c.API, c.Operations, c.Statuses, c.Parameters)
	if len(c.Answers) > 0 {
		s += "; GraphQL answered " + strings.Join(c.Answers, "; ")
	}
	n := 0
	for _, k := range c.Skipped {
		n += k
	}
	s += fmt.Sprintf("; %d skipped", n)
	if len(c.NotExercised) > 0 {
		s += "\n      not exercised: " + strings.Join(c.NotExercised, ", ")
	}
	for _, reason := range slices.Sorted(maps.Keys(c.Skipped)) {
		s += fmt.Sprintf("\n      skipped (%d): %s", c.Skipped[reason], reason)
	}
	return s
}
