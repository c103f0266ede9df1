package report

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/engine"
)

// maxShownExchanges bounds the exchanges a failure shows (the last ones).
const maxShownExchanges = 3

// Failure renders a failed (or skipped) result for people: the API, the
// operation, the check, the request and response, and every violation.
func Failure(r engine.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "API %s, operation %s, check %s (class %s): %s\n", r.API, r.Operation, r.Check, r.Class, r.Name)
	if r.Status == engine.Skip {
		fmt.Fprintf(&b, "skipped: %s\n", r.SkipReason)
		return b.String()
	}
	ex := r.Exchanges
	if len(ex) > maxShownExchanges {
		fmt.Fprintf(&b, "(%d earlier requests not shown)\n", len(ex)-maxShownExchanges)
		ex = ex[len(ex)-maxShownExchanges:]
	}
	for _, e := range ex {
		fmt.Fprintf(&b, "request:  %s %s\n", e.Method, e.URL)
		for _, k := range slices.Sorted(maps.Keys(e.RequestHeaders)) {
			fmt.Fprintf(&b, "          %s: %s\n", k, e.RequestHeaders[k])
		}
		if e.RequestBody != "" {
			fmt.Fprintf(&b, "          %s\n", e.RequestBody)
		}
		if e.Error != "" {
			fmt.Fprintf(&b, "response: (none) %s\n", e.Error)
			continue
		}
		fmt.Fprintf(&b, "response: %d %s\n", e.Status, http.StatusText(e.Status))
		for _, k := range slices.Sorted(maps.Keys(e.ResponseHeaders)) {
			fmt.Fprintf(&b, "          %s: %s\n", k, e.ResponseHeaders[k])
		}
		fmt.Fprintf(&b, "          %s\n", e.Body)
	}
	fmt.Fprintf(&b, "violations (%d):\n", len(r.Violations))
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  - %s\n", v)
	}
	return b.String()
}
