// Package report writes what a conformance run found: the text of a
// failed result (Failure, what Ginkgo and the console show), the console
// summary per API with the coverage table, and the JSON, JUnit and
// self-contained HTML reports. Coverage turns what the run's requests
// exercised (kit.Coverage) into the coverage table.
package report
