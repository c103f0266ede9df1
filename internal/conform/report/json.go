package report

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/standin/standin/internal/conform/engine"
)

// WriteJSON writes results as a JSON report.
func WriteJSON(w io.Writer, results []engine.Result) error {
	counts := map[string]int{engine.Pass: 0, engine.Fail: 0, engine.Skip: 0}
	for _, r := range results {
		counts[r.Status]++
	}
	sorted := append([]engine.Result(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].API < sorted[j].API })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Passed  int             `json:"passed"`
		Failed  int             `json:"failed"`
		Skipped int             `json:"skipped"`
		Results []engine.Result `json:"results"`
	}{counts[engine.Pass], counts[engine.Fail], counts[engine.Skip], sorted})
}
