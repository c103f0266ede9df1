package kit

import (
	"strings"
	"testing"
)

func TestNearMisses(t *testing.T) {
	got := map[string]string{}
	for _, n := range NearMisses("c333333") {
		got[n.How] = n.Value
	}
	want := map[string]string{
		"in upper case":                        "C333333",
		"with its first letter's case swapped": "C333333", // the same as upper case: left out
		"without its last character":           "c33333",
		"without its first character":          "333333",
		"with one character changed":           "c333334",
		"with a trailing space":                "c333333 ",
		"with a leading space":                 " c333333",
		"with a character appended":            "c333333x",
	}
	delete(want, "with its first letter's case swapped")
	for how, v := range want {
		if got[how] != v {
			t.Errorf("%s: got %q, want %q", how, got[how], v)
		}
	}
	if _, ok := got["in lower case"]; ok {
		t.Error("a near miss equal to the value itself")
	}
	seen := map[string]bool{}
	for _, n := range NearMisses("7480a312-916e-4739-b53a-7345bf3c692f") {
		if seen[n.Value] || n.Value == "7480a312-916e-4739-b53a-7345bf3c692f" {
			t.Errorf("near miss %q repeated or equal to the value", n.Value)
		}
		seen[n.Value] = true
		if n.How == "with one character changed" && (n.Value != "7480a312-916e-4739-b53a-7345bf3c692a" || !LooksLikeUUID(n.Value)) {
			t.Errorf("one character changed in a UUID: %q, want another UUID", n.Value)
		}
	}
	if len(NearMisses("Иванов")) == 0 || !strings.Contains(NearMisses("Иванов")[0].Value, "ИВАНОВ") {
		t.Errorf("Cyrillic: %v", NearMisses("Иванов"))
	}
}

func TestMatchRules(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want MatchRule
	}{
		{"The external identifier; exact, case-sensitive match.", RuleExact},
		{"Only companies whose name equals this value exactly.", RuleExact},
		{"Name, case-insensitive.", RuleFold},
		{"Companies whose name contains this text.", RuleContains},
		{"Only accounts in this country (ISO 3166-1 alpha-2).", RuleUnstated},
	} {
		if got := ReadMatchRule(tc.doc); got != tc.want {
			t.Errorf("ReadMatchRule(%q) = %s, want %s", tc.doc, got, tc.want)
		}
	}
	const id = "7480a312-916e-4739-b53a-7345bf3c6929"
	for _, tc := range []struct {
		rule      MatchRule
		lookup    bool
		rv, m     string
		must, may bool
	}{
		{RuleExact, true, "c333333", "C333333", false, false},
		{RuleFold, true, "c333333", "C333333", true, true},
		{RuleUnstated, true, id, strings.ToUpper(id), false, true}, // RFC 9562: either
		{RuleExact, true, id, strings.ToUpper(id), false, false},
		{RuleUnstated, true, id, id[:35], false, false}, // identity
		{RuleUnstated, false, "Customer Company One", "company", false, true},
		{RuleUnstated, false, "US", "us ", false, true},
		{RuleUnstated, false, "US", "UT", false, false},
		{RuleContains, false, "Customer Company One", "COMPANY", true, true},
	} {
		if got := MustMatch(tc.rule, tc.rv, tc.m); got != tc.must {
			t.Errorf("MustMatch(%s, %q, %q) = %v", tc.rule, tc.rv, tc.m, got)
		}
		if got := MayMatch(tc.rule, tc.lookup, tc.rv, tc.m); got != tc.may {
			t.Errorf("MayMatch(%s, lookup %v, %q, %q) = %v", tc.rule, tc.lookup, tc.rv, tc.m, got)
		}
	}
}
