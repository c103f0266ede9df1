package kit

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Comparisons of records shared by the behaviour checks: a record read
// two ways, and a filter's answer against the unfiltered list.

// CompareRecord records one violation when got is not the record asked
// for (its key field differs) and one listing every field that differs
// from want (when want is known).
func CompareRecord(t *T, where Place, key string, asked any, source string, want, got map[string]any) {
	if got == nil {
		t.Errorf(where, "null for %s %s (from %s)", key, Canonical(asked), source)
		return
	}
	if Canonical(got[key]) != Canonical(asked) {
		t.Errorf(where, "asked for %s %s, got another record (%s %s)", key, Canonical(asked), key, Canonical(got[key]))
		return
	}
	if want == nil {
		return
	}
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if Canonical(want[k]) != Canonical(got[k]) {
			diff = append(diff, fmt.Sprintf("%s (want %s, got %s)", k, Canonical(want[k]), Canonical(got[k])))
		}
	}
	if len(diff) > 0 {
		t.Errorf(where, "the record of %s %s differs from %s in %s", key, Canonical(asked), source, strings.Join(diff, ", "))
	}
}

// MatchMode reads how a filter matches from its documentation: "equal"
// unless it says case-insensitive or contains.
func MatchMode(doc string) string {
	d := strings.ToLower(doc)
	switch {
	case strings.Contains(d, "contains") || strings.Contains(d, "substring"):
		return "contains"
	case strings.Contains(d, "case-insensitive") && !strings.Contains(d, "case-sensitive"):
		return "fold"
	}
	return "equal"
}

// Matches reports whether a record's value got matches a filter's want
// in the mode MatchMode read.
func Matches(mode string, got, want any) bool {
	switch mode {
	case "contains":
		return strings.Contains(strings.ToLower(QueryValue(got)), strings.ToLower(QueryValue(want)))
	case "fold":
		return strings.EqualFold(QueryValue(got), QueryValue(want))
	}
	return Canonical(got) == Canonical(want)
}

// CheckFiltered reports records answered that do not match, and matching
// records of the unfiltered walk that were not answered (one violation
// each, with the count and the first record).
func CheckFiltered(t *T, where Place, field, mode string, want any, key string, all, got []WalkedRecord, truncated bool) {
	var wrong []string
	answered := map[string]bool{}
	for _, r := range got {
		answered[RecordID(r.Rec, key)] = true
		if !Matches(mode, r.Rec[field], want) {
			wrong = append(wrong, fmt.Sprintf("%s %s has %s %s", key, KeyOf(r.Rec, key), field, Canonical(r.Rec[field])))
		}
	}
	if len(wrong) > 0 {
		t.Errorf(where, "filter %s=%s answered %d records, %d of them do not match (%s): the filter is not applied",
			field, Canonical(want), len(got), len(wrong), wrong[0])
	}
	if truncated {
		return
	}
	var missing []string
	for _, r := range all {
		if Matches(mode, r.Rec[field], want) && !answered[RecordID(r.Rec, key)] {
			missing = append(missing, KeyOf(r.Rec, key))
		}
	}
	if len(missing) > 0 {
		t.Errorf(where, "filter %s=%s left out %d matching records of the unfiltered list (first: %s %s)",
			field, Canonical(want), len(missing), key, missing[0])
	}
}
