package conform

import (
	"fmt"
	"net/url"
	"strings"
)

// RESTFilters: each string query parameter of a list operation named
// like a field of its records is a filter: tried with values taken from
// the unfiltered walk, every record answered must match and every
// matching record of the unfiltered walk must be answered. Matching is
// equality unless the parameter's description says "case-insensitive" or
// "contains".
var RESTFilters = &Check{
	Name:  "rest-filters",
	Proto: "rest",
	Doc:   "documented query filters keep exactly the matching records",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, l := range restLists(a) {
			for _, f := range l.filters {
				title := fmt.Sprintf("GET %s?%s=… answers exactly the records whose %s matches", l.op.Path, f, f)
				out = append(out, single(ch, a, l.op.ID(), title, func(t *T) {
					max := t.env.Config.MaxRecords
					_, all := restWalk(t, l, bigSize(l), max, nil, false)
					mode := matchMode(paramDescription(l.op, f))
					values := distinctValues(all, f, 3)
					if len(values) == 0 {
						t.Skip("no record has a %s to filter by", f)
					}
					t.exchanges = t.exchanges[:0]
					for _, v := range values {
						before := len(t.violations)
						_, got := restWalk(t, l, bigSize(l), max, url.Values{f: {queryValue(v)}}, false)
						checkFiltered(t, "", f, mode, v, l.key, all, got, len(all) >= max)
						if len(t.violations) == before {
							t.exchanges = t.exchanges[:0]
						}
					}
				}))
			}
		}
		return out
	},
}

// paramDescription is the description of a query parameter.
func paramDescription(o restOp, name string) string {
	for _, p := range o.Op.Parameters {
		if p.Value != nil && p.Value.Name == name {
			return p.Value.Description
		}
	}
	return ""
}

// matchMode reads how a filter matches from its documentation: "equal"
// unless it says case-insensitive or contains.
func matchMode(doc string) string {
	d := strings.ToLower(doc)
	switch {
	case strings.Contains(d, "contains") || strings.Contains(d, "substring"):
		return "contains"
	case strings.Contains(d, "case-insensitive") && !strings.Contains(d, "case-sensitive"):
		return "fold"
	}
	return "equal"
}

func matches(mode string, got, want any) bool {
	switch mode {
	case "contains":
		return strings.Contains(strings.ToLower(queryValue(got)), strings.ToLower(queryValue(want)))
	case "fold":
		return strings.EqualFold(queryValue(got), queryValue(want))
	}
	return canonical(got) == canonical(want)
}

// checkFiltered reports records answered that do not match, and matching
// records of the unfiltered walk that were not answered (one violation
// each, with the count and the first record).
func checkFiltered(t *T, where, field, mode string, want any, key string, all, got []walkedRecord, truncated bool) {
	var wrong []string
	answered := map[string]bool{}
	for _, r := range got {
		answered[keyOf(r.rec, key)] = true
		if !matches(mode, r.rec[field], want) {
			wrong = append(wrong, fmt.Sprintf("%s %s has %s %s", key, keyOf(r.rec, key), field, canonical(r.rec[field])))
		}
	}
	if len(wrong) > 0 {
		t.Errorf(where, "filter %s=%s answered %d records, %d of them do not match (%s): the filter is not applied",
			field, canonical(want), len(got), len(wrong), wrong[0])
	}
	if truncated {
		return
	}
	var missing []string
	for _, r := range all {
		if matches(mode, r.rec[field], want) && !answered[keyOf(r.rec, key)] {
			missing = append(missing, keyOf(r.rec, key))
		}
	}
	if len(missing) > 0 {
		t.Errorf(where, "filter %s=%s left out %d matching records of the unfiltered list (first: %s %s)",
			field, canonical(want), len(missing), key, missing[0])
	}
}
