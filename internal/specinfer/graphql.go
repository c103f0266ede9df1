package specinfer

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/sdl"
	"github.com/standin/standin/internal/manifest"
)

// GraphQL infers the manifest of a GraphQL SDL given alone. Only what is
// sound is bound, and everything else is a warning:
//
//   - a Query field that is a Relay connection (arguments first, after,
//     last, before; a type with edges { node } or nodes) of an object type
//     with an ID field is a collection of that type, keyed by the field
//     (id if there is one); a Query field of such a type with one ID
//     argument gets a record by it (NOT_FOUND when none);
//   - a Mutation field deleteX(id: ID!) (or any one ID argument) answering
//     an object with a Boolean field (success, ok, deleted) deletes a record
//     of the collection;
//   - a Query field that is a plain list of such a type, without
//     arguments, lists the whole collection;
//   - lists with arguments, other queries and other mutations are not inferred:
//     the executor answers them from the parent object, which is null for
//     Query and Mutation (an error for a non-null field).
//
// Records are generated from the fields of the type, by name and type as
// for OpenAPI. The SDL declares no auth: the API is open. It is served at
// /<name>/graphql (bare /graphql is the bundled admin API's).
func GraphQL(name string, fsys fs.FS, file string, opts Options) (*Inferred, error) {
	if opts.Count == 0 {
		opts.Count = DefaultCount
	}
	schema, _, err := sdl.Load(fsys, file, opts.Files)
	if err != nil {
		return nil, err
	}
	in := &Inferred{Fixtures: map[string][]byte{}}
	var n notes
	warn := n.warn
	api := &manifest.API{
		Name: name, Title: name + " (GraphQL, inferred)", Dir: name, Auth: manifest.Auth{None: true},
		GraphQL: &manifest.GraphQL{Path: "/" + name + "/graphql", Schema: baseName(file), Fields: map[string]map[string]manifest.FieldBinding{}},
	}
	bind := func(typ, field string, b manifest.FieldBinding) {
		if api.GraphQL.Fields[typ] == nil {
			api.GraphQL.Fields[typ] = map[string]manifest.FieldBinding{}
		}
		api.GraphQL.Fields[typ][field] = b
	}
	cols := map[string]*gqlCollection{} // by type name
	col := func(def *ast.Definition) *gqlCollection {
		if c, ok := cols[def.Name]; ok {
			return c
		}
		key := gqlKey(def)
		if key == "" {
			return nil
		}
		c := &gqlCollection{def: def, name: plural(strings.ToLower(def.Name[:1]) + def.Name[1:]), key: key}
		cols[def.Name] = c
		return c
	}
	q := schema.Query
	if q == nil {
		return nil, fmt.Errorf("%s: the schema has no Query type", file)
	}
	bound := map[string]bool{}
	for _, f := range q.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		t := schema.Types[f.Type.Name()]
		switch {
		case t != nil && isConnection(schema, f, t):
			node := connectionNode(schema, t)
			c := col(node)
			if c == nil {
				warn(CodeGraphQL, "Query.%s: the connection's %s has no ID field, so it is not a collection; it answers null", f.Name, node.Name)
				continue
			}
			bind(q.Name, f.Name, manifest.FieldBinding{Kind: "connection", Collection: c.name, PageSize: 20})
			bound[f.Name] = true
		case t != nil && t.Kind == ast.Object && f.Type.Elem == nil:
			arg := idArg(f)
			c := col(t)
			if arg == "" || c == nil {
				warn(CodeGraphQL, "Query.%s: not a lookup of one %s by an ID argument; it answers null", f.Name, t.Name)
				continue
			}
			bind(q.Name, f.Name, manifest.FieldBinding{Kind: "get", Collection: c.name, Arg: arg, Field: c.key, NotFound: "NOT_FOUND"})
			bound[f.Name] = true
		case f.Type.Elem != nil && f.Type.Elem.Elem == nil && t != nil && t.Kind == ast.Object && len(f.Arguments) == 0:
			c := col(t)
			if c == nil {
				warn(CodeGraphQL, "Query.%s: %s has no ID field, so it is not a collection; it answers null", f.Name, t.Name)
				continue
			}
			bind(q.Name, f.Name, manifest.FieldBinding{Kind: "list", Collection: c.name})
			bound[f.Name] = true
		case f.Type.Elem != nil:
			warn(CodeGraphQL, "Query.%s: a list with arguments (or of no object type) is not inferred: what its arguments select is unknown; it answers null", f.Name)
		default:
			warn(CodeGraphQL, "Query.%s: not inferred; it answers null", f.Name)
		}
	}
	if m := schema.Mutation; m != nil {
		for _, f := range m.Fields {
			t := schema.Types[f.Type.Name()]
			target := deleteTarget(schema, f, cols)
			ok := target != nil && t != nil && t.Kind == ast.Object && f.Type.Elem == nil
			var flag string
			if ok {
				flag = boolField(t)
				ok = flag != "" && nullableOrFilled(t, flag)
			}
			if !ok {
				warn(CodeGraphQL, "Mutation.%s: not inferred (only deleteX(id: ID!) answering an object with a Boolean success field); it answers null", f.Name)
				continue
			}
			bind(m.Name, f.Name, manifest.FieldBinding{Kind: "delete", Collection: target.name, Arg: idArg(f), Field: target.key, Payload: map[string]any{flag: true}})
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s: no Query field is a Relay connection or a lookup by ID of an object type with an ID field: nothing to serve", file)
	}
	names := make([]string, 0, len(cols))
	for n := range cols {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := cols[n]
		g := newRules(c.name, warn)
		fields := g.gqlObject(schema, c.def, 0, c.name)
		fields[c.key] = map[string]any{"uuid": map[string]any{}}
		api.Collections = append(api.Collections, manifest.Collection{
			Name: c.name, Unique: []string{c.key}, Schema: c.def.Name,
			Generate: &manifest.Generate{Count: opts.Count, Fields: fields},
		})
	}
	in.Diagnostics = n.sorted()
	if len(in.Diagnostics) > 0 {
		in.Diagnostics = append(diag.List{{Code: CodeGraphQL, Severity: diag.Warning, Message: "the SDL is served in part: what is not inferred is listed below"}}, in.Diagnostics...)
	}
	if err := api.Check(); err != nil {
		return nil, fmt.Errorf("%s: inferred manifest: %w", file, err)
	}
	in.API = api
	return in, nil
}

type gqlCollection struct {
	def       *ast.Definition
	name, key string
}

func baseName(file string) string {
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		return file[i+1:]
	}
	return file
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsAny(s[len(s)-2:len(s)-1], "aeiou"):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

// gqlKey is the key field of an object type: id if it is an ID, else its
// only ID field.
func gqlKey(def *ast.Definition) string {
	if def == nil || def.Kind != ast.Object {
		return ""
	}
	var ids []string
	for _, f := range def.Fields {
		if f.Type.Elem == nil && f.Type.NamedType == "ID" {
			if f.Name == "id" {
				return "id"
			}
			ids = append(ids, f.Name)
		}
	}
	if len(ids) == 1 {
		return ids[0]
	}
	return ""
}

func isConnection(schema *ast.Schema, f *ast.FieldDefinition, t *ast.Definition) bool {
	if t.Kind != ast.Object || f.Type.Elem != nil {
		return false
	}
	for _, a := range []string{"first", "after", "last", "before"} {
		if f.Arguments.ForName(a) == nil {
			return false
		}
	}
	return connectionNode(schema, t) != nil
}

// connectionNode is the node type of a connection type.
func connectionNode(schema *ast.Schema, t *ast.Definition) *ast.Definition {
	if nodes := t.Fields.ForName("nodes"); nodes != nil && nodes.Type.Elem != nil {
		return schema.Types[nodes.Type.Name()]
	}
	if edges := t.Fields.ForName("edges"); edges != nil && edges.Type.Elem != nil {
		if et := schema.Types[edges.Type.Name()]; et != nil {
			if n := et.Fields.ForName("node"); n != nil {
				return schema.Types[n.Type.Name()]
			}
		}
	}
	return nil
}

// idArg is a field's one ID argument ("" when it has none or several).
func idArg(f *ast.FieldDefinition) string {
	var ids []string
	for _, a := range f.Arguments {
		if a.Type.Elem == nil && a.Type.NamedType == "ID" {
			ids = append(ids, a.Name)
		}
	}
	if len(ids) == 1 {
		return ids[0]
	}
	return ""
}

// deleteTarget is the collection a deleteX mutation removes from.
func deleteTarget(schema *ast.Schema, f *ast.FieldDefinition, cols map[string]*gqlCollection) *gqlCollection {
	if !strings.HasPrefix(f.Name, "delete") && !strings.HasPrefix(f.Name, "remove") || idArg(f) == "" {
		return nil
	}
	noun := strings.TrimPrefix(strings.TrimPrefix(f.Name, "delete"), "remove")
	return cols[noun]
}

func boolField(t *ast.Definition) string {
	for _, n := range []string{"success", "ok", "deleted"} {
		if f := t.Fields.ForName(n); f != nil && f.Type.Elem == nil && f.Type.NamedType == "Boolean" {
			return n
		}
	}
	return ""
}

// nullableOrFilled: every non-null field of a payload other than flag
// would answer null, so only payloads whose other fields are nullable are
// sound.
func nullableOrFilled(t *ast.Definition, flag string) bool {
	for _, f := range t.Fields {
		if f.Name != flag && f.Type.NonNull {
			return false
		}
	}
	return true
}

// gqlObject derives rules for an object type's fields; fields of
// arguments (connections) and non-null fields it cannot fill are warned.
func (g *rules) gqlObject(schema *ast.Schema, def *ast.Definition, depth int, where string) map[string]any {
	out := map[string]any{}
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if len(f.Arguments) > 0 {
			if f.Type.NonNull {
				g.warn(CodeGraphQL, "%s.%s: a field with arguments is not inferred; it answers null, an error for its non-null type", def.Name, f.Name)
			}
			continue
		}
		r, ok := g.gqlType(schema, f.Name, f.Type, depth+1, where)
		if !ok {
			if f.Type.NonNull {
				g.warn(CodeGraphQL, "%s.%s: no values can be generated for its type %s; it answers null, an error for its non-null type", def.Name, f.Name, f.Type.String())
			}
			continue
		}
		out[f.Name] = r
	}
	return out
}

func (g *rules) gqlType(schema *ast.Schema, name string, t *ast.Type, depth int, where string) (any, bool) {
	if depth > maxDepth {
		return nil, false
	}
	if t.Elem != nil {
		item, ok := g.gqlType(schema, singular(name), t.Elem, depth+1, where)
		if !ok {
			return map[string]any{"const": []any{}}, true
		}
		return map[string]any{"list": map[string]any{"min": 1, "max": 3, "item": item}}, true
	}
	switch t.NamedType {
	case "ID":
		return map[string]any{"uuid": map[string]any{}}, true
	case "String":
		return fake(g.kindOf(name, &openapi3.Schema{})), true
	case "Int":
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
		n := strings.ToLower(def.Name)
		switch {
		case strings.Contains(n, "datetime") || strings.Contains(n, "timestamp") || n == "instant":
			return map[string]any{"time": map[string]any{"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02T15:04:05Z"}}, true
		case n == "date":
			return map[string]any{"time": map[string]any{"from": "2000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02"}}, true
		case strings.Contains(n, "url") || strings.Contains(n, "uri"):
			return fake("url"), true
		case strings.Contains(n, "email"):
			return fake("email"), true
		case strings.Contains(n, "uuid"):
			return map[string]any{"uuid": map[string]any{}}, true
		case strings.Contains(n, "json") || n == "any" || n == "object" || n == "map":
			return map[string]any{"const": map[string]any{}}, true
		}
		return fake(g.kindOf(name, &openapi3.Schema{})), true
	case ast.Object:
		sub := &rules{col: plural(strings.ToLower(def.Name)), warn: g.warn}
		props := sub.gqlObject(schema, def, depth, where)
		return map[string]any{"object": props}, true
	}
	return nil, false
}
