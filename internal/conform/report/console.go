package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// APISummary counts one API's results; Skipped maps each skip reason to
// how many specs it skipped.
type APISummary struct {
	API     string         `json:"api"`
	Passed  int            `json:"passed"`
	Failed  int            `json:"failed"`
	Skipped map[string]int `json:"skipped,omitempty"`
}

// SkippedCount is the number of skipped specs.
func (s APISummary) SkippedCount() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// Summaries counts results per API, sorted by API.
func Summaries(results []engine.Result) []APISummary {
	by := map[string]*APISummary{}
	for _, r := range results {
		s := by[r.API]
		if s == nil {
			s = &APISummary{API: r.API, Skipped: map[string]int{}}
			by[r.API] = s
		}
		switch r.Status {
		case engine.Pass:
			s.Passed++
		case engine.Fail:
			s.Failed++
		case engine.Skip:
			s.Skipped[r.SkipReason]++
		}
	}
	var out []APISummary
	for _, k := range slices.Sorted(maps.Keys(by)) {
		out = append(out, *by[k])
	}
	return out
}

// WriteConsoleSummary writes the end of a console run: totals, a summary
// per API (skips with their reasons), a summary per check class naming
// its checks, the coverage line of each API (lines) and the coverage
// table.
func WriteConsoleSummary(w io.Writer, results []engine.Result, cov []CoverageItem, lines ...APICoverage) {
	p, f, s := engine.Counts(results)
	fmt.Fprintf(w, "\nConformance: %d specs, %d passed, %d failed, %d skipped\n", len(results), p, f, s)
	fmt.Fprintln(w, "\nBy API:")
	for _, sum := range Summaries(results) {
		fmt.Fprintf(w, "  %-14s %d passed, %d failed, %d skipped\n", sum.API, sum.Passed, sum.Failed, sum.SkippedCount())
		for _, reason := range slices.Sorted(maps.Keys(sum.Skipped)) {
			fmt.Fprintf(w, "  %-14s   %d skipped: %s\n", "", sum.Skipped[reason], reason)
		}
	}
	writeClassSummary(w, results)
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nCoverage per API:")
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l.Line())
		}
	}
	fmt.Fprintln(w, "\nCoverage (✓ exercised, ✗ not exercised):")
	var lastAPI, lastProto, lastGroup string
	line := ""
	flush := func() {
		if line != "" {
			fmt.Fprintln(w, line)
			line = ""
		}
	}
	totals := coverageTotals(cov)
	for _, c := range cov {
		if c.API != lastAPI || c.Proto != lastProto {
			flush()
			t := totals[c.API+"/"+c.Proto]
			what := "operation × documented status"
			if c.Proto == "graphql" {
				what = "GraphQL fields and arguments"
			}
			fmt.Fprintf(w, "  %s %s: %d of %d exercised\n", c.API, what, t[0], t[1])
			lastAPI, lastProto, lastGroup = c.API, c.Proto, ""
		}
		if c.Group != lastGroup {
			flush()
			line = "    " + c.Group + ":"
			lastGroup = c.Group
		}
		mark := "✗"
		if c.Exercised {
			mark = "✓"
		}
		line += " " + c.Item + " " + mark
	}
	flush()
}

// coverageTotals counts exercised and all items per API and protocol.
func coverageTotals(cov []CoverageItem) map[string][2]int {
	out := map[string][2]int{}
	for _, c := range cov {
		t := out[c.API+"/"+c.Proto]
		if c.Exercised {
			t[0]++
		}
		t[1]++
		out[c.API+"/"+c.Proto] = t
	}
	return out
}

// ClassSummary counts one check class's results and names its checks.
type ClassSummary struct {
	Class   kit.Class `json:"class"`
	Checks  []string  `json:"checks"`
	Passed  int       `json:"passed"`
	Failed  int       `json:"failed"`
	Skipped int       `json:"skipped"`
}

// ClassSummaries counts results per check class, in kit.Classes order
// (a class no result has is left out).
func ClassSummaries(results []engine.Result) []ClassSummary {
	by := map[kit.Class]*ClassSummary{}
	for _, r := range results {
		s := by[r.Class]
		if s == nil {
			s = &ClassSummary{Class: r.Class}
			by[r.Class] = s
		}
		if !slices.Contains(s.Checks, r.Check) {
			s.Checks = append(s.Checks, r.Check)
		}
		switch r.Status {
		case engine.Pass:
			s.Passed++
		case engine.Fail:
			s.Failed++
		case engine.Skip:
			s.Skipped++
		}
	}
	var out []ClassSummary
	for _, c := range append(kit.Classes(), "") {
		if s := by[c]; s != nil {
			slices.Sort(s.Checks)
			out = append(out, *s)
		}
	}
	return out
}

// writeClassSummary writes the results per check class with the names of
// its checks.
func writeClassSummary(w io.Writer, results []engine.Result) {
	fmt.Fprintln(w, "\nBy check class:")
	for _, s := range ClassSummaries(results) {
		fmt.Fprintf(w, "  %-14s %d passed, %d failed, %d skipped: %s\n", s.Class, s.Passed, s.Failed, s.Skipped, strings.Join(s.Checks, ", "))
	}
}
