package graphql

import "testing"

// TestStableDiff: GET and POST are compared where POST answers the same
// twice; a value that changes between two POSTs (a last-used time) is
// not a difference.
func TestStableDiff(t *testing.T) {
	post := map[string]any{"a": []any{map[string]any{"name": "x", "lastUsedAt": "1"}}, "n": 3}
	again := map[string]any{"a": []any{map[string]any{"name": "x", "lastUsedAt": "2"}}, "n": 3}
	for _, tc := range []struct {
		get  any
		want string
	}{
		{map[string]any{"a": []any{map[string]any{"name": "x", "lastUsedAt": "9"}}, "n": 3}, ""},
		{map[string]any{"a": []any{map[string]any{"name": "y", "lastUsedAt": "1"}}, "n": 3}, "data.a[0].name"},
		{map[string]any{"a": []any{map[string]any{"name": "x", "lastUsedAt": "1"}}, "n": 4}, "data.n"},
		{map[string]any{"a": []any{}, "n": 3}, "data.a"},
	} {
		if got := stableDiff(post, tc.get, again, "data"); got != tc.want {
			t.Errorf("stableDiff(%v) = %q, want %q", tc.get, got, tc.want)
		}
	}
}
