// Package model is the conformance suite's model of the contracts it
// checks against: per API its OpenAPI document and GraphQL schema, and
// what the checks read from them — REST operations, lists (their records,
// key, paging and filters), GraphQL connections and lookups, the record
// fields an id parameter names, security schemes, rate limits and the
// stateful chains (a guarded delete and what it touches).
//
// The model is built from the contract documents alone. What a document
// cannot say (the bundled APIs' bindings of REST operations and GraphQL
// fields to collections, the ways their GraphQL endpoints take a token,
// their GraphQL error codes) enters only as optional Hints, filled from
// the mock's manifest when the API has one (hints.go); an API checked
// from its contract file alone (--spec) has none, and the checks that
// need them have no cases for it.
//
// Contract documents are read in one place, load.go.
package model
