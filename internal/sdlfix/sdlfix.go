// Package sdlfix repairs, for tests and bench scripts, the one fault of
// real public SDLs that graphql-js and gqlparser both refuse: a field
// defined twice in one type. GitHub's schema as shipped in
// @octokit/graphql-schema defines EnterpriseOwnerInfo's
// repositoryDeployKeySetting and repositoryDeployKeySettingOrganizations
// twice. The mock itself refuses such a document with the place of the
// second definition; a user removes it by hand, as DropRepeatedFields does.
package sdlfix

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// DropRepeatedFields returns src without the second and later definitions
// of a field in one type definition (each with its description) and says
// which it dropped ("Type.field at line L"). A document that does not
// parse is an error, and so is a repeated field that shares its line with
// another definition (published SDLs put one field on lines of its own).
func DropRepeatedFields(src string) (string, []string, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema.graphql", Input: src})
	if err != nil {
		return "", nil, err
	}
	lines, ends := splitLines(src)
	type span struct{ from, to int } // lines, from 0, inclusive
	var drop []span
	var dropped []string
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range defs {
			seen := map[string]bool{}
			for i, f := range def.Fields {
				if !seen[f.Name] {
					seen[f.Name] = true
					continue
				}
				if f.Position.Line == def.Position.Line || f.Position.Line == def.Fields[i-1].Position.Line ||
					i+1 < len(def.Fields) && def.Fields[i+1].Position.Line == f.Position.Line {
					return "", nil, fmt.Errorf("line %d: %s.%s shares its line with another definition: only a field on lines of its own can be dropped", f.Position.Line, def.Name, f.Name)
				}
				from := startLine(lines, f.Position.Line-1)
				to := len(lines) - 1
				if i+1 < len(def.Fields) {
					to = startLine(lines, def.Fields[i+1].Position.Line-1) - 1
				} else {
					for j := f.Position.Line; j < len(lines); j++ {
						if strings.TrimSpace(lines[j]) == "}" {
							to = j - 1
							break
						}
					}
				}
				drop = append(drop, span{from, to})
				dropped = append(dropped, fmt.Sprintf("%s.%s at line %d", def.Name, f.Name, f.Position.Line))
			}
		}
	}
	if len(drop) == 0 {
		return src, nil, nil
	}
	sort.Slice(drop, func(i, j int) bool { return drop[i].from < drop[j].from })
	var out strings.Builder
	keep := func(from, to int) { // lines [from, to), each with its own line end
		for k := from; k < to; k++ {
			out.WriteString(lines[k])
			out.WriteString(ends[k])
		}
	}
	next := 0
	for _, d := range drop {
		if d.from > next {
			keep(next, d.from)
		}
		next = max(next, d.to+1)
	}
	keep(next, len(lines))
	fixed := out.String()
	if _, err := parser.ParseSchema(&ast.Source{Name: "schema.graphql", Input: fixed}); err != nil {
		return "", nil, fmt.Errorf("dropping %s leaves a document that does not parse (the fields are not on lines of their own): %w", strings.Join(dropped, ", "), err)
	}
	if _, again, err := DropRepeatedFields(fixed); err != nil || len(again) > 0 {
		return "", nil, fmt.Errorf("dropping %s leaves repeated fields (the fields are not on lines of their own)", strings.Join(dropped, ", "))
	}
	return fixed, dropped, nil
}

// splitLines cuts src into lines where GraphQL ends them (a line feed, a
// carriage return and line feed, or a carriage return alone), so that line
// i is the parser's line i+1; ends holds each line's own end ("" for the
// last), so the lines kept are joined back byte for byte.
func splitLines(src string) (lines, ends []string) {
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines, ends = append(lines, src[start:i]), append(ends, "\n")
			start = i + 1
		case '\r':
			end := "\r"
			if i+1 < len(src) && src[i+1] == '\n' {
				end = "\r\n"
			}
			lines, ends = append(lines, src[start:i]), append(ends, end)
			i += len(end) - 1
			start = i + 1
		}
	}
	return append(lines, src[start:]), append(ends, "")
}

// startLine is the first line of the definition whose name is on line i:
// the description above it, if any ("""…""" or "…").
func startLine(lines []string, i int) int {
	j := i - 1
	for j >= 0 && strings.TrimSpace(lines[j]) == "" {
		j--
	}
	if j < 0 {
		return i
	}
	t := strings.TrimSpace(lines[j])
	switch {
	case strings.HasPrefix(t, `"""`) && strings.HasSuffix(t, `"""`) && len(t) >= 6:
		return j
	case t == `"""` || strings.HasSuffix(t, `"""`):
		for k := j - 1; k >= 0; k-- {
			if strings.HasPrefix(strings.TrimSpace(lines[k]), `"""`) {
				return k
			}
		}
	case strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`):
		return j
	}
	return i
}
