package conform

import (
	"fmt"
	"strings"
)

// GraphQLRecords: every root connection is walked (first/after, the
// documented maximum page size) up to --max-records nodes, selecting every
// field of the node type (nested connections limited to first: 3), and
// every page is validated against its selection set, so a defect in node
// 37 is found, not only in the first few.
var GraphQLRecords = &Check{
	Name:  "graphql-records",
	Proto: "graphql",
	Doc:   "every node of every root connection (up to --max-records) is valid for a selection of all its fields",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connInfos(a) {
			title := fmt.Sprintf("%s: every node (up to %d) is valid with every field selected", c.name(), e.Config.MaxRecords)
			out = append(out, single(ch, a, c.name(), title, func(t *T) {
				if n := walkValidated(t, c, nil, t.env.Config.MaxRecords); n == 0 && !t.Failed() {
					t.Skip("the connection is empty: no node to validate")
				}
			}))
		}
		for _, c := range nestedConnInfos(a) {
			name := c.parent.nodeType.Name + "." + c.field.Name
			title := fmt.Sprintf("%s of every %s: every node (up to %d in all) is valid with every field selected", name, c.parent.nodeType.Name, e.Config.MaxRecords)
			out = append(out, single(ch, a, name, title, func(t *T) {
				max := t.env.Config.MaxRecords
				keys, counts := parents(t, c, max)
				t.exchanges = t.exchanges[:0]
				read := 0
				for i, k := range keys {
					if read >= max {
						break
					}
					if counts[i] == 0 {
						continue
					}
					read += walkValidated(t, c, map[string]any{parentArg: k}, max-read)
				}
				if read == 0 && !t.Failed() {
					t.Skip("no %s has %s: no node to validate", c.parent.nodeType.Name, c.field.Name)
				}
			}))
		}
		return out
	},
}

// walkValidated walks c (with extra arguments) up to max nodes, every
// field of the node selected, and validates every page; it returns the
// number of nodes read.
func walkValidated(t *T, c connInfo, extra map[string]any, max int) int {
	sel := plainSelection(t.api, c.nodeType.Name, 0, map[string]bool{})
	if sel == "" {
		t.Skip("%s has no selectable field", c.nodeType.Name)
	}
	read := 0
	before := len(t.exchanges)
	nodes, _ := walkForward(t, c, extra, sel, c.maxPageSize(), max, func(i int, p gqlPage) {
		if p.doc == nil {
			t.Fatalf("query", "the generated query is invalid (a bug of the suite)")
		}
		n := len(t.violations)
		validateSelection(t, p.doc, "", p.vars, p.raw)
		for j := n; j < len(t.violations); j++ {
			t.violations[j].Message = fmt.Sprintf("%s: page %d%s: %s", c.label(extra), i, nodeNote(t.violations[j].Where, read), t.violations[j].Message)
		}
		read += len(p.nodes)
	})
	if !t.Failed() {
		t.exchanges = t.exchanges[:before]
	}
	return len(nodes)
}

// plainSelection selects every field of a type reachable without
// arguments (nested connections are left to graphql-full-selection, so
// that a page of 100 nodes stays within a server's query cost), "" when
// nothing can be selected.
func plainSelection(a *API, typeName string, depth int, onPath map[string]bool) string {
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
