// Package docfigures holds the test that keeps the figures of the
// documentation true: every count README.md, docs/conformance.md and
// docs/architecture.md state of records, checks, specs and defects is
// found by a pattern of its sentence and compared with what the commands
// give today (cmd/mockserver's data, cmd/conform's runs, the planted
// defects). It has no code of its own.
//
// A count that drifted fails the test, naming the file, line, the stated
// and the measured value. go test ./internal/docfigures -update rewrites
// every figure in place; a sentence that changed so that its pattern no
// longer matches, or a new count in the documents that no pattern covers,
// fails until the table in figures_test.go says where it is (or why it is
// not a count of the data).
package docfigures
