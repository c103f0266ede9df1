package specinfer

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/sdlmodel"
)

// GraphCount is how many records each type of a large schema gets when
// Options.Count is zero: about GraphRecords in all, between
// MinGraphCount and DefaultCount per type. A schema of up to 200 record
// types gets DefaultCount each; GitHub's (382 record types) gets 10.
const (
	GraphRecords  = 4000
	MinGraphCount = 5
)

// graphCount is the per-type record count of a schema with n record
// types.
func graphCount(n int) int {
	if n <= GraphRecords/DefaultCount {
		return DefaultCount
	}
	return max(MinGraphCount, GraphRecords/n)
}

// graphAPI builds the manifest of an SDL served in graph mode: one
// collection per record type of the model, generation rules from each
// field's name and type, links for object fields.
func graphAPI(name, file string, schema *ast.Schema, opts Options) (*Inferred, error) {
	if schema.Query == nil {
		return nil, fmt.Errorf("%s: the schema has no Query type", file)
	}
	m := sdlmodel.Build(schema, sdlmodel.Options{})
	count := opts.Count
	if count == 0 {
		count = graphCount(len(m.Records))
	}
	in := &Inferred{Fixtures: map[string][]byte{}}
	var n notes
	api := &manifest.API{
		Name: name, Title: name + " (GraphQL, inferred)", Dir: name, Auth: manifest.Auth{None: true},
		GraphQL: &manifest.GraphQL{Path: "/" + name + "/graphql", Schema: baseName(file), Graph: true,
			Fields: map[string]map[string]manifest.FieldBinding{}},
	}
	for _, r := range m.Records {
		g := newRules(r.Collection, n.warn)
		api.Collections = append(api.Collections, manifest.Collection{
			Name: r.Collection, Unique: r.Unique, Index: r.Index, Schema: r.Name,
			Generate: &manifest.Generate{Count: count, Fields: g.graphFields(m, r)},
		})
	}
	for _, w := range m.Warnings() {
		in.Diagnostics = append(in.Diagnostics, diag.Diagnostic{Code: CodeGraphQL, Severity: diag.Warning, Message: w})
	}
	in.Diagnostics = append(in.Diagnostics, n.list...)
	if len(in.Diagnostics) > 0 {
		in.Diagnostics = append(diag.List{{Code: CodeGraphQL, Severity: diag.Warning,
			Message: fmt.Sprintf("the SDL is served in part (%d record types, %d records each): what is not served from records is listed below", len(m.Records), count)}}, in.Diagnostics...)
	}
	if err := api.Check(); err != nil {
		return nil, fmt.Errorf("%s: inferred manifest: %w", file, err)
	}
	in.API = api
	return in, nil
}

// graphFields are the generation rules of a record type: its key, its
// values by name and type, its links (Link, Links); fields resolved at
// query time (Inverse, Contains, Lookup, Generated) get none.
func (g *rules) graphFields(m *sdlmodel.Model, r *sdlmodel.Record) map[string]any {
	out := map[string]any{}
	for _, f := range r.Def.Fields {
		p := m.Field(f)
		if p == nil || strings.HasPrefix(f.Name, "_") {
			continue
		}
		switch p.Kind {
		case sdlmodel.Value:
			if v, ok := g.graphValue(m.Schema, f.Name, f.Type); ok {
				if f.Name == "name" && !personType(r.Name) && g.kindOf("name", &openapi3.Schema{}) == "name" {
					v = fake("word") // a repository, a label, a topic: not a person's name
				}
				out[f.Name] = v
			}
		case sdlmodel.Link:
			out[f.Name] = linkRule(p.Targets, false)
		case sdlmodel.Links:
			out[f.Name] = linkRule(p.Targets, true)
		} // Count, Inverse, Contains, Lookup, Generated: answered, not stored
	}
	if r.NumericKey {
		out[r.Key] = map[string]any{"nodeId": map[string]any{"number": true}}
	} else {
		out[r.Key] = map[string]any{"nodeId": map[string]any{"type": r.Name}}
	}
	return out
}

// linkRule draws the key of a generated record of the targets (a list of
// up to three with list).
func linkRule(targets []*sdlmodel.Record, list bool) any {
	to := make([]any, 0, len(targets))
	for _, t := range targets {
		tt := map[string]any{"collection": t.Collection}
		if t.NumericKey {
			tt["number"] = true
		} else {
			tt["type"] = t.Name
		}
		to = append(to, tt)
	}
	params := map[string]any{"to": to}
	if list {
		params["min"], params["max"] = 0, 3
	}
	return map[string]any{"link": params}
}

// dateNames end the names of String fields that hold a date-time.
var dateNames = []string{"At", "Date", "Time", "Timestamp"}

// graphValue is the rule of a scalar or enum field (or a list of them);
// false for a type nothing can be generated for.
func (g *rules) graphValue(schema *ast.Schema, name string, t *ast.Type) (any, bool) {
	if t.Elem != nil {
		if t.Elem.Elem != nil {
			return map[string]any{"const": []any{}}, true
		}
		item, ok := g.graphValue(schema, singular(name), t.Elem)
		if !ok {
			return map[string]any{"const": []any{}}, true
		}
		return map[string]any{"list": map[string]any{"min": 1, "max": 3, "item": item}}, true
	}
	switch t.NamedType {
	case "ID":
		return map[string]any{"uuid": map[string]any{}}, true
	case "String":
		for _, suffix := range dateNames {
			if strings.HasSuffix(name, suffix) {
				return dateTimeRule(), true
			}
		}
		return fake(g.kindOf(name, &openapi3.Schema{})), true
	case "Int":
		if name == "number" || name == "databaseId" {
			return map[string]any{"seq": map[string]any{}}, true
		}
		lo, hi := numberRange(name, &openapi3.Schema{}, true)
		return map[string]any{"int": map[string]any{"min": lo, "max": min(hi, 1<<31-1)}}, true
	case "Float":
		lo, hi := numberRange(name, &openapi3.Schema{}, false)
		return map[string]any{"float": map[string]any{"min": lo, "max": hi, "decimals": 2}}, true
	case "Boolean":
		return map[string]any{"bool": map[string]any{"p": 0.5}}, true
	}
	def := schema.Types[t.NamedType]
	if def == nil {
		return nil, false
	}
	switch def.Kind {
	case ast.Enum:
		vals := make([]any, 0, len(def.EnumValues))
		for _, v := range def.EnumValues {
			vals = append(vals, v.Name)
		}
		if len(vals) == 0 {
			return nil, false
		}
		return map[string]any{"oneOf": vals}, true
	case ast.Scalar:
		return g.customScalar(def.Name, name), true
	}
	return nil, false
}

// customScalar is the rule of a field of a custom scalar, by the scalar's
// name, then the field's.
func (g *rules) customScalar(scalar, field string) any {
	n := strings.ToLower(scalar)
	switch {
	case strings.Contains(n, "datetime") || strings.Contains(n, "timestamp") || n == "instant":
		return dateTimeRule()
	case n == "date":
		return map[string]any{"time": map[string]any{"from": "2000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02"}}
	case n == "time":
		return map[string]any{"regex": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"}
	case strings.Contains(n, "url") || strings.Contains(n, "uri"):
		return fake("url")
	case strings.Contains(n, "email"):
		return fake("email")
	case strings.Contains(n, "uuid"):
		return map[string]any{"uuid": map[string]any{}}
	case strings.Contains(n, "objectid") || n == "sha" || strings.Contains(n, "hash"):
		return map[string]any{"regex": "^[0-9a-f]{40}$"}
	case strings.Contains(n, "bigint") || n == "long" || strings.Contains(n, "int64"):
		return map[string]any{"regex": "^[1-9][0-9]{0,11}$"}
	case strings.Contains(n, "html"):
		return fake("sentence")
	case strings.Contains(n, "json") || n == "any" || n == "object" || n == "map":
		return map[string]any{"const": map[string]any{}}
	case strings.Contains(n, "base64"):
		return map[string]any{"regex": "^[A-Za-z0-9]{16}$"}
	}
	return fake(g.kindOf(field, &openapi3.Schema{}))
}

func dateTimeRule() any {
	return map[string]any{"time": map[string]any{"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02T15:04:05Z"}}
}

// personWords are the words of type names whose "name" is a person's.
var personWords = []string{"user", "person", "people", "author", "member", "customer", "employee", "owner", "actor",
	"contact", "reviewer", "assignee", "student", "patient", "client", "staff", "agent", "contributor", "collaborator",
	"mannequin", "writer", "artist", "player", "friend", "profile", "account", "sponsor", "maintainer", "administrator"}

// personType reports whether a type's name says it is a person.
func personType(name string) bool {
	n := strings.ToLower(name)
	for _, w := range personWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
