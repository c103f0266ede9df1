// Package exec is a GraphQL executor over documents parsed and validated by
// github.com/vektah/gqlparser/v2, following the GraphQL specification
// (October 2021 edition).
//
// It knows nothing about any particular API: the host supplies an
// *ast.Schema, a validated *ast.QueryDocument and a Resolver that returns
// plain Go values (maps, slices, strings, numbers, booleans, nil). The
// executor selects the operation, coerces variables and arguments, collects
// fields (fragments, type conditions, @skip/@include), completes values
// against the schema (scalars, enums, lists, objects, abstract types,
// non-null propagation), answers introspection (__schema, __type,
// __typename) itself, and writes the response JSON directly into a buffer
// with keys in selection order.
//
// Typical use:
//
//	ex := exec.New(schema, exec.Options{Limits: exec.DefaultLimits()})
//	resp := ex.Execute(ctx, exec.Request{
//		Document:      doc, // parsed and validated by gqlparser
//		OperationName: opName,
//		Variables:     vars, // decoded from JSON
//		Root:          rootValue,
//		Resolver:      myResolver, // may be nil: every field reads parent[fieldName]
//	})
//	json.NewEncoder(w).Encode(resp)
//
// CollectFields, DoesFragmentTypeApply, GetOperation and CoerceVariables are
// exported so that other walkers of a selection set (the response validator
// in package respcheck) share the exact same semantics.
package exec
