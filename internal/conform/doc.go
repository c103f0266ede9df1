// Package conform is the configuration of a conformance run: Config (a
// conform.yaml, the flags of cmd/conform and of go test ./suite, and the
// bundled APIs' targets read from specs/<api>/conform.yaml by the same
// code), validated once and passed down.
//
// The suite itself is split by job into the packages below it:
//
//   - model: the contracts as the checks read them (operations, lists,
//     connections, ids, security schemes, chains), with the bundled mock's
//     manifests only as optional hints;
//   - kit: what a check is written with (T, requests with credentials,
//     violations with typed places, expectations, walkers, generators);
//   - checks/rest and checks/graphql: one check per file, listed by
//     package checks;
//   - engine: the registry of checks, the plan of their cases, their runs
//     and results;
//   - report: the failure text, console summary, JSON, JUnit and HTML
//     reports and the coverage table.
//
// The Ginkgo suite (package suite) and cmd/conform compose them; the
// defects the mutation test plants are package defects'.
package conform
