// Package graphql holds the GraphQL conformance checks (and those that
// compare GraphQL with REST), one per file. Each is a method of Catalog
// returning its kit.Check; package checks lists every method of the
// catalogs, so a new check is a new file with one method.
package graphql

// Catalog's methods are the GraphQL checks: each returns one kit.Check.
type Catalog struct{}
