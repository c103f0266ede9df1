package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Connection is a Relay connection field reachable from the query root
// (through namespace fields such as Query.admin), with a node field that
// identifies a node. A nested connection (Account.memberships) is reached
// through a lookup field of its parent (account(id:)): Path is [lookup,
// field], and the parent's key is passed as the variable $parent
// (ParentArg in a walk's arguments).
type Connection struct {
	// Path is the response path, e.g. [admin allClients].
	Path []string
	// Key is the node field identifying a node: id, code or name.
	Key      string
	Field    *ast.FieldDefinition
	NodeType *ast.Definition
	// Lookup and Parent are set for a nested connection.
	Lookup *ast.FieldDefinition
	Parent *Connection
}

// ParentArg is the walk argument carrying a nested connection's parent
// key.
const ParentArg = "$parent"

// Name is the connection's response path, e.g. admin.allClients.
func (c Connection) Name() string { return strings.Join(c.Path, ".") }

// Label names a walk of c for messages: the connection, with its parent.
func (c Connection) Label(args map[string]any) string {
	if c.Parent != nil {
		b, _ := json.Marshal(args[ParentArg])
		return fmt.Sprintf("%s.%s of %s %s", c.Parent.NodeType.Name, c.Field.Name, c.Parent.Key, b)
	}
	return c.Name()
}

// MaxPageSize is the largest page a walk asks for: the documented maximum
// of first, else 50.
func (c Connection) MaxPageSize() int {
	if _, hi, ok := ArgRange(c.Field, "first"); ok && hi > 0 {
		return hi
	}
	return 50
}

// Connections lists the API's connections reachable from the query root.
func (a *API) Connections() []Connection {
	if a.Schema == nil || a.Schema.Query == nil {
		return nil
	}
	schema := a.Schema
	var out []Connection
	var visit func(def *ast.Definition, prefix []string, depth int)
	visit = func(def *ast.Definition, prefix []string, depth int) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || HasRequiredArgs(f) {
				continue
			}
			t := schema.Types[f.Type.Name()]
			if t == nil || t.Kind != ast.Object {
				continue
			}
			p := append(append([]string(nil), prefix...), f.Name)
			if key := connectionKey(schema, f, t); key != "" {
				edge := schema.Types[t.Fields.ForName("edges").Type.Name()]
				node := schema.Types[edge.Fields.ForName("node").Type.Name()]
				out = append(out, Connection{Path: p, Key: key, Field: f, NodeType: node})
				continue
			}
			if depth == 0 && len(f.Arguments) == 0 {
				visit(t, p, depth+1)
			}
		}
	}
	visit(schema.Query, nil, 0)
	return out
}

// connectionKey returns the node key field if f is a paginated connection.
func connectionKey(schema *ast.Schema, f *ast.FieldDefinition, t *ast.Definition) string {
	for _, a := range []string{"first", "after", "last", "before"} {
		if f.Arguments.ForName(a) == nil {
			return ""
		}
	}
	edges, pi, tc := t.Fields.ForName("edges"), t.Fields.ForName("pageInfo"), t.Fields.ForName("totalCount")
	if edges == nil || pi == nil || tc == nil {
		return ""
	}
	edge := schema.Types[edges.Type.Name()]
	if edge == nil || edge.Fields.ForName("cursor") == nil || edge.Fields.ForName("node") == nil {
		return ""
	}
	node := schema.Types[edge.Fields.ForName("node").Type.Name()]
	if node == nil {
		return ""
	}
	for _, k := range []string{"id", "code", "name"} {
		if nf := node.Fields.ForName(k); nf != nil && nf.Type.NonNull {
			return k
		}
	}
	return ""
}

// NestedConnections lists the connections on the node types of the root
// connections that a lookup field of the parent type can reach.
func (a *API) NestedConnections() []Connection {
	var out []Connection
	for _, root := range a.Connections() {
		var lookup *ast.FieldDefinition
		for _, f := range a.LookupFields() {
			if f.Type.Name() == root.NodeType.Name && f.Arguments[0].Name == root.Key {
				lookup = f
				break
			}
		}
		if lookup == nil {
			continue
		}
		for _, nf := range root.NodeType.Fields {
			t := a.Schema.Types[nf.Type.Name()]
			if t == nil || t.Kind != ast.Object || HasRequiredArgs(nf) {
				continue
			}
			key := connectionKey(a.Schema, nf, t)
			if key == "" {
				continue
			}
			edge := a.Schema.Types[t.Fields.ForName("edges").Type.Name()]
			node := a.Schema.Types[edge.Fields.ForName("node").Type.Name()]
			out = append(out, Connection{Path: []string{lookup.Name, nf.Name}, Key: key,
				Field: nf, NodeType: node, Lookup: lookup, Parent: &root})
		}
	}
	return out
}

// LookupFields lists root query fields returning a nullable object type
// with exactly one argument, required: account(id: ID!), ...
func (a *API) LookupFields() []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	if a.Schema == nil || a.Schema.Query == nil {
		return nil
	}
	for _, f := range a.Schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") || f.Type.NonNull || f.Type.Elem != nil || len(f.Arguments) != 1 || !f.Arguments[0].Type.NonNull {
			continue
		}
		if d := a.Schema.Types[f.Type.Name()]; d != nil && d.Kind == ast.Object {
			out = append(out, f)
		}
	}
	return out
}

// QueryField is a query field reachable from the root without required
// arguments on the way.
type QueryField struct {
	Path []string
	Def  *ast.FieldDefinition
	// Nested is set for a nested connection, reached through its
	// parent's lookup field with the variable $parent.
	Nested *Connection
}

// QueryFields lists the query fields reachable from the root: the root's
// fields and those of its namespace fields.
func (a *API) QueryFields() []QueryField {
	var out []QueryField
	var visit func(def *ast.Definition, prefix []string, depth int)
	visit = func(def *ast.Definition, prefix []string, depth int) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			p := append(append([]string(nil), prefix...), f.Name)
			out = append(out, QueryField{Path: p, Def: f})
			if t := a.Schema.Types[f.Type.Name()]; t != nil && t.Kind == ast.Object && len(f.Arguments) == 0 && depth == 0 {
				visit(t, p, depth+1)
			}
		}
	}
	visit(a.Schema.Query, nil, 0)
	return out
}

// RelayField is a paginated field reachable from the query root: a Relay
// connection (first/after/last/before, edges { cursor node }, pageInfo;
// totalCount and a key not required), with a selection of its nodes.
type RelayField struct {
	Coord string   // Type.field
	Path  []string // response path, e.g. admin.allClients
	Node  string   // the node selection, e.g. "{ id }"
}

// RelayFields finds the Relay connections of the query root and of its
// namespace fields (fields without required arguments returning an
// object).
func (a *API) RelayFields() []RelayField {
	var out []RelayField
	var visit func(def *ast.Definition, prefix []string, depth int)
	visit = func(def *ast.Definition, prefix []string, depth int) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || HasRequiredArgs(f) {
				continue
			}
			ft := a.Schema.Types[f.Type.Name()]
			if ft == nil || ft.Kind != ast.Object {
				continue
			}
			path := append(append([]string(nil), prefix...), f.Name)
			if node, ok := connectionNode(a.Schema, f, ft); ok {
				out = append(out, RelayField{Coord: def.Name + "." + f.Name, Path: path, Node: node})
				continue
			}
			if depth == 0 {
				visit(ft, path, 1)
			}
		}
	}
	visit(a.Schema.Query, nil, 0)
	return out
}

// connectionNode returns the node selection of a Relay connection field.
func connectionNode(s *ast.Schema, f *ast.FieldDefinition, ft *ast.Definition) (string, bool) {
	for _, arg := range []string{"first", "after", "last", "before"} {
		if f.Arguments.ForName(arg) == nil {
			return "", false
		}
	}
	edges, pi := ft.Fields.ForName("edges"), ft.Fields.ForName("pageInfo")
	if edges == nil || pi == nil {
		return "", false
	}
	edge := s.Types[edges.Type.Name()]
	if edge == nil || edge.Fields.ForName("cursor") == nil || edge.Fields.ForName("node") == nil {
		return "", false
	}
	node := s.Types[edge.Fields.ForName("node").Type.Name()]
	if node == nil {
		return "", false
	}
	if node.Fields.ForName("id") != nil {
		return "{ id }", true
	}
	leaves := LeafFields(s, node)
	if len(leaves) == 0 {
		return "{ __typename }", true
	}
	return "{ " + strings.Join(leaves, " ") + " }", true
}

// ListField is a root query field without required arguments answering a
// plain list of objects (allPosts: [Post]), not a Relay connection.
type ListField struct {
	Field    *ast.FieldDefinition
	NodeType *ast.Definition
}

// ListFields lists the API's root list fields.
func (a *API) ListFields() []ListField {
	if a.Schema == nil || a.Schema.Query == nil {
		return nil
	}
	var out []ListField
	for _, f := range a.Schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") || HasRequiredArgs(f) || f.Type.Elem == nil || f.Type.Elem.Elem != nil {
			continue
		}
		if d := a.Schema.Types[f.Type.Name()]; d != nil && d.Kind == ast.Object {
			out = append(out, ListField{Field: f, NodeType: d})
		}
	}
	return out
}

// LookupsOf lists the root fields that read one record of type node by
// one required argument: the lookup fields returning node (user(id:)),
// and those returning an interface node implements (node(id:)).
func (a *API) LookupsOf(node *ast.Definition) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, f := range a.LookupFields() {
		if f.Type.Name() == node.Name {
			out = append(out, f)
		}
	}
	if a.Schema == nil || a.Schema.Query == nil {
		return out
	}
	for _, f := range a.Schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") || f.Type.NonNull || f.Type.Elem != nil || len(f.Arguments) != 1 || !f.Arguments[0].Type.NonNull {
			continue
		}
		if d := a.Schema.Types[f.Type.Name()]; d != nil && d.Kind == ast.Interface && slices.Contains(node.Interfaces, d.Name) {
			out = append(out, f)
		}
	}
	return out
}
