package exec

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"
)

// Resolver produces the values of fields. The executor calls Resolve once per
// field of an object type it executes (introspection fields and __typename
// excepted). A Resolver must be safe for the concurrent use the host makes
// of it; the executor itself calls it from one goroutine per request.
type Resolver interface {
	// Resolve returns the value of one field. f.Parent is the parent
	// object's value as returned by the parent field's resolver (the root
	// value for fields of a root operation type).
	//
	// The returned value may be any plain Go value: nil, bool, string, any
	// integer or float type, json.Number, map[string]any (an object, or a
	// custom scalar's JSON value), []any, []map[string]any, []string and
	// other slices (slow path through reflection). Returning Default asks
	// the executor for the default behaviour: read
	// f.Parent.(map[string]any)[f.Name]. Returning an error records a field
	// error; use *Error to choose its extensions.code.
	Resolve(ctx context.Context, f FieldContext) (any, error)
}

// ResolverFunc adapts a function to the Resolver interface.
type ResolverFunc func(ctx context.Context, f FieldContext) (any, error)

// Resolve calls fn(ctx, f).
func (fn ResolverFunc) Resolve(ctx context.Context, f FieldContext) (any, error) { return fn(ctx, f) }

// TypeResolver may be implemented by a Resolver to choose the concrete object
// type of a value whose static type is an interface or a union. Returning ""
// falls back to the default rule: a map value whose "__typename" key names
// the type, else the only possible type of the abstract type, else an error.
type TypeResolver interface {
	ResolveType(ctx context.Context, abstractType *ast.Definition, value any) (string, error)
}

// Object may be implemented by a value that a resolver returns for a field of
// an object type, as a cheaper alternative to a map[string]any: the default
// resolution of a field of that object (no Resolver, or a Resolver returning
// Default) is Field(name). A host that builds many small objects per request
// (connection edges, page info) avoids one map allocation per object this
// way. Field reports null by returning nil.
type Object interface {
	GraphQLField(name string) any
}

// DefaultMarker is the type of Default.
type DefaultMarker int

// Default is returned by a Resolver (as the value, with a nil error) to ask
// for the default field resolution: the value of key f.Name in the parent
// value when it is a map[string]any, null when the key is absent.
const Default DefaultMarker = 0

// FieldContext describes the field being resolved.
type FieldContext struct {
	// ParentType is the name of the object type the field belongs to.
	ParentType string
	// Field is the schema definition of the field.
	Field *ast.FieldDefinition
	// Name is the field's name; Alias its response key (equal to Name when
	// the query does not alias it).
	Name  string
	Alias string
	// Args are the coerced argument values with defaults applied: Int as
	// int, Float as float64, String, ID and enum values as string, Boolean
	// as bool, lists as []any, input objects as map[string]any, custom
	// scalars as given (the JSON value of a variable or the Go value of a
	// literal). Arguments neither given nor defaulted are absent. Args is
	// nil when no argument has a value. Args must be treated as read-only:
	// when a field's arguments use no variables, the same map is handed to
	// every execution of a cached document.
	Args map[string]any
	// Parent is the value of the parent object.
	Parent any
	// Path is the response path of the field. It is only valid during the
	// call; copy it to keep it.
	Path ast.Path
	// Selection is the first field node of the merged fields for this
	// response key, so a resolver can look ahead (e.g. is totalCount
	// requested?). Selections holds all merged nodes.
	Selection  *ast.Field
	Selections []*ast.Field
	// Variables are the operation's coerced variable values.
	Variables map[string]any
}
