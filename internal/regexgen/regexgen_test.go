package regexgen_test

import (
	"regexp"
	"testing"

	"github.com/standin/standin/internal/regexgen"
)

// TestShortest: what it builds matches the pattern and is the shortest
// the pattern allows; a pattern Go cannot read gives false.
func TestShortest(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{`^[A-Z]{2}-\d{3}$`, "AA-000"},
		{`^[a-z]+$`, "a"},
		{`^\d{4}-\d{2}$`, "0000-00"},
		{`^(foo|bar)baz$`, "foobaz"},
		{`^v[0-9]*$`, "v"},
	} {
		got, ok := regexgen.Shortest(tc.pattern)
		if !ok || got != tc.want || !regexp.MustCompile(tc.pattern).MatchString(got) {
			t.Errorf("Shortest(%q) = %q, %v; want %q, true", tc.pattern, got, ok, tc.want)
		}
	}
	if got, ok := regexgen.Shortest(`(`); ok {
		t.Errorf("Shortest(%q) = %q, true; want false", `(`, got)
	}
}
