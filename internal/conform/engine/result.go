package engine

import (
	"fmt"
	"time"

	"github.com/standin/standin/internal/conform/kit"
)

// Status of a result.
const (
	Pass = "pass"
	Fail = "fail"
	Skip = "skip"
)

// Result is the outcome of one case step.
type Result struct {
	Check      string          `json:"check"`
	Class      kit.Class       `json:"class"`
	API        string          `json:"api"`
	Proto      string          `json:"proto"`
	Operation  string          `json:"operation"`
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	SkipReason string          `json:"skipReason,omitempty"`
	Violations []kit.Violation `json:"violations,omitempty"`
	Exchanges  []kit.Exchange  `json:"exchanges,omitempty"`
	Duration   time.Duration   `json:"durationNs"`
}

// Failed lists the failed results.
func Failed(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if r.Status == Fail {
			out = append(out, r)
		}
	}
	return out
}

// Counts returns how many results passed, failed and were skipped.
func Counts(results []Result) (passed, failed, skipped int) {
	for _, r := range results {
		switch r.Status {
		case Pass:
			passed++
		case Fail:
			failed++
		case Skip:
			skipped++
		}
	}
	return
}

// Summary counts results by status.
func Summary(rs []Result) string {
	p, f, s := Counts(rs)
	return fmt.Sprintf("%d passed, %d failed, %d skipped", p, f, s)
}
