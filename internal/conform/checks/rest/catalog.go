// Package rest holds the REST conformance checks, one per file. Each is a
// method of Catalog returning its kit.Check; package checks lists every
// method of the catalogs, so a new check is a new file with one method.
package rest

// Catalog's methods are the REST checks: each returns one kit.Check.
type Catalog struct{}
