package report

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
)

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

// Coverage computes the coverage table of the env's APIs from what its
// requests exercised (kit.Coverage).
func Coverage(e *kit.Env) []CoverageItem {
	var out []CoverageItem
	for _, a := range e.APIs {
		rest := e.Coverage.REST(a.Name)
		for _, o := range a.Operations() {
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
				for k := range rest {
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
		for q := range e.Coverage.Queries(a.Name) {
			doc, err := gqlparser.LoadQueryWithRules(a.Schema, q, nil)
			if err != nil {
				continue
			}
			markSelections(doc, seen)
		}
		for _, name := range slices.Sorted(maps.Keys(a.Schema.Types)) {
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
