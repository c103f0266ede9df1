package graphql

import (
	"fmt"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Records is graphql-records: every root connection is walked (first/after,
// the documented maximum page size) up to --max-records nodes, selecting
// every field of the node type (nested connections limited to first: 3),
// and every page is validated against its selection set, so a defect in
// node 37 is found, not only in the first few.
func (Catalog) Records() kit.Check {
	return kit.Check{
		Name:  "graphql-records",
		Proto: kit.GraphQL,
		Phase: kit.PhaseBehaviour,
		Doc:   "every node of every root connection (up to --max-records) is valid for a selection of all its fields",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range a.Connections() {
				title := fmt.Sprintf("%s: every node (up to %d) is valid with every field selected", c.Name(), e.Config.MaxRecords)
				out = append(out, kit.Single(ch, a, c.Name(), title, func(t *kit.T) {
					if n := walkValidated(t, c, nil, t.Env().Config.MaxRecords); n == 0 && !t.Failed() {
						t.Skip("the connection is empty: no node to validate")
					}
				}))
			}
			for _, c := range a.NestedConnections() {
				name := c.Parent.NodeType.Name + "." + c.Field.Name
				title := fmt.Sprintf("%s of every %s: every node (up to %d in all) is valid with every field selected", name, c.Parent.NodeType.Name, e.Config.MaxRecords)
				out = append(out, kit.Single(ch, a, name, title, func(t *kit.T) {
					max := t.Env().Config.MaxRecords
					keys, counts := kit.Parents(t, c, max)
					t.DropExchanges()
					read := 0
					for i, k := range keys {
						if read >= max {
							break
						}
						if counts[i] == 0 {
							continue
						}
						read += walkValidated(t, c, map[string]any{model.ParentArg: k}, max-read)
					}
					if read == 0 && !t.Failed() {
						t.Skip("no %s has %s: no node to validate", c.Parent.NodeType.Name, c.Field.Name)
					}
				}))
			}
			return out
		},
	}
}

// walkValidated walks c (with extra arguments) up to max nodes, every
// field of the node selected, and validates every page; it returns the
// number of nodes read.
func walkValidated(t *kit.T, c model.Connection, extra map[string]any, max int) int {
	sel := plainSelection(t.API(), c.NodeType.Name, 0, map[string]bool{})
	if sel == "" {
		t.Skip("%s has no selectable field", c.NodeType.Name)
	}
	read := 0
	before := t.ExchangeCount()
	nodes, _ := kit.WalkForward(t, c, extra, sel, c.MaxPageSize(), max, func(i int, p kit.ConnPage) {
		if p.Doc == nil {
			t.Fatalf(kit.InTheRun("query"), "the generated query is invalid (a bug of the suite)")
		}
		n := t.ViolationCount()
		kit.ValidateSelection(t, p.Doc, "", p.Vars, p.Raw)
		t.Reword(n, func(v kit.Violation) string {
			return fmt.Sprintf("%s: page %d%s: %s", c.Label(extra), i, nodeNote(v.Where.String(), read), v.Message)
		})
		read += len(p.Nodes)
	})
	if !t.Failed() {
		t.KeepExchanges(before)
	}
	return len(nodes)
}

// plainSelection selects every field of a type reachable without
// arguments (nested connections are left to graphql-full-selection, so
// that a page of 100 nodes stays within a server's query cost), "" when
// nothing can be selected.
func plainSelection(a *kit.API, typeName string, depth int, onPath map[string]bool) string {
	def := a.Schema.Types[typeName]
	if def == nil || onPath[typeName] || depth > 3 {
		return ""
	}
	onPath[typeName] = true
	defer delete(onPath, typeName)
	var parts []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || len(f.Arguments) > 0 {
			continue
		}
		ft := a.Schema.Types[f.Type.Name()]
		if ft == nil {
			continue
		}
		switch ft.Kind {
		case "SCALAR", "ENUM":
			parts = append(parts, f.Name)
		case "OBJECT":
			if sub := plainSelection(a, ft.Name, depth+1, onPath); sub != "" {
				parts = append(parts, f.Name+" "+sub)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// nodeNote turns a response path with edges[3] into " (node #N of the
// walk)".
func nodeNote(where string, before int) string {
	i := strings.Index(where, ".edges[")
	if i < 0 {
		return ""
	}
	rest := where[i+len(".edges["):]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return ""
	}
	var n int
	if _, err := fmt.Sscanf(rest[:j], "%d", &n); err != nil {
		return ""
	}
	return fmt.Sprintf(" (node #%d of the walk)", before+n+1)
}
