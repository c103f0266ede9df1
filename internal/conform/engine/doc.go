// Package engine plans and runs conformance checks: a Registry of checks
// (immutable kit.Check values, in run order), the plan of their cases for
// a run's APIs, the running of each step with its result, and the run's
// environment (NewEnv: the configured APIs' contracts loaded by package
// model and their targets). The Ginkgo suite (package suite) and the
// mutation test drive it; the reports (package report) read its results.
//
// Checks never import the engine: they are written with package kit.
package engine
