package graphql

import "testing"

func TestNodeNote(t *testing.T) {
	for _, tc := range []struct{ where, want string }{
		{"data.accounts.edges[36].node.countryCode", " (node #47 of the walk)"},
		{"data.accounts.totalCount", ""},
	} {
		if got := nodeNote(tc.where, 10); got != tc.want {
			t.Errorf("nodeNote(%q): %q, want %q", tc.where, got, tc.want)
		}
	}
}
