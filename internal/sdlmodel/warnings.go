package sdlmodel

import (
	"fmt"
	"sort"
	"strings"
)

// warnings collects what is not served from records, by reason.
type warnings struct {
	by map[string][]string
}

func (w *warnings) add(reason, where string) {
	if w.by == nil {
		w.by = map[string][]string{}
	}
	w.by[reason] = append(w.by[reason], where)
}

// maxNamed is how many places one warning names before "and N more".
const maxNamed = 12

// list renders one line per reason: "reason (N): a, b, … and K more".
func (w *warnings) list() []string {
	reasons := make([]string, 0, len(w.by))
	for r := range w.by {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		places := append([]string(nil), w.by[r]...)
		sort.Strings(places)
		shown := places
		more := ""
		if len(places) > maxNamed {
			shown = places[:maxNamed]
			more = fmt.Sprintf(" and %d more", len(places)-maxNamed)
		}
		out = append(out, fmt.Sprintf("%s (%d): %s%s", r, len(places), strings.Join(shown, ", "), more))
	}
	return out
}
