package report

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/standin/standin/internal/conform/engine"
)

// WriteJSON writes results as a JSON report: the totals, the results
// (each with its check and class), the totals per check class and, when
// given, the coverage line of each API.
func WriteJSON(w io.Writer, results []engine.Result, coverage ...APICoverage) error {
	counts := map[string]int{engine.Pass: 0, engine.Fail: 0, engine.Skip: 0}
	for _, r := range results {
		counts[r.Status]++
	}
	sorted := append([]engine.Result(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].API < sorted[j].API })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Passed   int             `json:"passed"`
		Failed   int             `json:"failed"`
		Skipped  int             `json:"skipped"`
		Results  []engine.Result `json:"results"`
		Classes  []ClassSummary  `json:"classes"`
		Coverage []APICoverage   `json:"coverage,omitempty"`
	}{counts[engine.Pass], counts[engine.Fail], counts[engine.Skip], sorted, ClassSummaries(results), coverage})
}
