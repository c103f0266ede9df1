// Package specs holds the bundled API contracts: per API a directory
// <api>/ with openapi.yaml (REST, OpenAPI 3.0.3) and/or schema.graphql
// (GraphQL SDL), plus whatever other files the API's directory holds
// (e.g. an api.yaml manifest, and conform.yaml: the conformance suite's
// target for the bundled mock, its tokens, roles and ids, read by the code
// that reads a user's conform.yaml). The documents are the single source
// of truth for the mock server and the conformance suite.
package specs

import "embed"

// FS holds every file of every <api>/ directory (specs/*/*). It is read-only.
//
//go:embed */*
var FS embed.FS
