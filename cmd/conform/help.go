package main

import (
	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/conform"
)

// help is what conform --help prints; the flags' groups are
// conform.FlagGroups. Every example's flags are valid as printed from the
// repository's root (TestHelpExamplesAreValid); those with a --target
// need the server there (go run ./cmd/mockserver serves the bundled APIs
// on 127.0.0.1:8080).
func help() cmdline.Help {
	return cmdline.Help{
		Usage: "go run ./cmd/conform [flags]",
		Description: "Checks implementations of the bundled APIs (admin, marketplace, clients-v0, clients-v2) against " +
			"their specs under specs/, or any server against its OpenAPI 3.0/3.1 (or Swagger 2.0) document or GraphQL SDL (--spec): " +
			"documented statuses, headers and bodies, authentication and roles, lookups, filters, ordering and paging, " +
			"invalid input, rate limits, write flows, and property-based requests shrunk to one reproducible curl line " +
			"when they fail. Without --target or --config it starts the bundled mock in-process and checks it.\n\n" +
			"Each failure names the API, the operation, the request sent and what differs (a JSON pointer or a GraphQL " +
			"response path); the console ends with a summary per API and a coverage table. go test ./suite -args takes " +
			"the same flags. docs/conformance.md describes the checks and conform.yaml.",
		Groups: conform.FlagGroups(),
		Examples: []cmdline.Example{
			{Command: "go run ./cmd/conform", Does: "check the bundled mock, started in-process"},
			{Command: "go run ./cmd/conform --api clients-v2 --verbose", Does: "one API, every check listed"},
			{Command: "go run ./cmd/conform --target http://127.0.0.1:8080 --destructive --junit report.xml", Does: "a running server (here go run ./cmd/mockserver), with the checks that change data, and a JUnit report"},
			{Command: "STANDIN_TOKEN=standin-admin go run ./cmd/conform --config suite/testdata/conform.example.yaml --html report.html", Does: "the targets, roles, ids and hooks of a conform.yaml (its tokens read ${STANDIN_TOKEN}), and an HTML report"},
			{Command: "go run ./cmd/conform --spec internal/rest/testdata/books/openapi.yaml --target http://127.0.0.1:8080/lib --token standin-admin", Does: "an API that is not bundled (here served by go run ./cmd/mockserver --apis-dir internal/rest/testdata)"},
			{Command: "go run ./cmd/conform --spec internal/rest/testdata/petstore.yaml --target http://127.0.0.1:8080 --credential bearerAuth=standin-admin --destructive", Does: "writes with generated bodies, the stateful create-read-update-delete chains and negative bodies of an API checked from its contract alone, the credential named by the contract's security scheme (here served by go run ./cmd/mockserver --config suite/testdata/pin-petstore.yaml --spec internal/rest/testdata/petstore.yaml, the token pinned: a --spec API takes any well-formed one otherwise)"},
			{Command: "go run ./cmd/conform --examples 200 --seed 7", Does: "more random requests per property-based check, from another seed"},
		},
		Notes: "Exit status: 0 when every selected check passed (and for --help, --version); 1 when a check failed, " +
			"or the target could not be reached or reset; 2 for bad usage or a bad file (a flag, conform.yaml, a contract " +
			"given with --spec), with the file's place.",
	}
}
