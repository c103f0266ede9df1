package exec_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/standin/standin/internal/graphql/exec"
)

// TestPrecheck: the pre-validation walk counts fragments where they are
// spread, merges fields by response path across fragments and parents, and
// ends on fragment cycles and unknown fragments (validation reports them).
func TestPrecheck(t *testing.T) {
	lim := exec.Limits{MaxSelections: 20, MaxFieldsPerPath: 3}
	tests := []struct {
		name, doc string
		lim       exec.Limits
		want      string // "" = within the limits
	}{
		{"small", "{ a b c { d } }", lim, ""},
		{"three at one path", "{ a a a }", lim, ""},
		{"four at one path", "{ a a a a }", lim, `more than 3 fields named "a"`},
		{"alias counts as the name", "{ x: a x: b x: c x: d }", lim, `named "x"`},
		{"merged across parents", "{ p { a a } p { a a } }", lim, `named "a"`},
		{"merged through fragments", "{ ...F ...F } fragment F on Q { a a }", lim, `named "a"`},
		{"inline fragments merge", "{ ... on Q { a a } ... on R { a a } }", lim, `named "a"`},
		{"different paths do not add", "{ p { a a a } q { a a a } }", lim, ""},
		{"fragments counted where spread", "{ a: x { ...F } b: x { ...F } c: x { ...F } } fragment F on T { f1 f2 f3 f4 f5 }", lim, "more than 20 selections"},
		{"fragment bomb", "{ ...A } fragment A on Q { ...B ...B ...B } fragment B on Q { ...C ...C ...C } fragment C on Q { ...D ...D ...D } fragment D on Q { x }", lim, `named "x"`},
		{"unknown fragment skipped", "{ ...Nope a }", lim, ""},
		{"direct cycle skipped", "{ ...A } fragment A on Q { b ...A }", lim, ""},
		{"cycle through a field ends at the selection limit", "{ ...A } fragment A on Q { f { ...A } }", lim, "more than 20 selections"},
		{"cycle ends without a selection limit", "{ ...A } fragment A on Q { f { ...A } }", exec.Limits{MaxFieldsPerPath: 3}, ""},
		{"no limits", strings.Repeat("{ a a a a }", 1), exec.Limits{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.doc})
			if err != nil {
				t.Fatal(err)
			}
			gerr := exec.Precheck(doc, tc.lim)
			switch {
			case tc.want == "" && gerr != nil:
				t.Errorf("refused: %v", gerr)
			case tc.want != "" && gerr == nil:
				t.Errorf("accepted, want %q", tc.want)
			case tc.want != "" && !strings.Contains(gerr.Message, tc.want):
				t.Errorf("error %q, want %q", gerr.Message, tc.want)
			case gerr != nil && gerr.Extensions["code"] != exec.CodeTooComplex:
				t.Errorf("code %v", gerr.Extensions["code"])
			}
		})
	}
}

// TestTruncateErrors: at most MaxErrors, the last one counting the rest.
func TestTruncateErrors(t *testing.T) {
	list := exec.RequestError().Errors
	for range 250 {
		list = append(list, exec.ToGQLError(&exec.Error{Code: exec.CodeValidationFailed, Message: "x"}, nil, nil))
	}
	out := exec.TruncateErrors(list)
	if len(out) != exec.MaxErrors || !strings.Contains(out[len(out)-1].Message, "151 more not listed") {
		t.Errorf("%d errors, last %q", len(out), out[len(out)-1].Message)
	}
	if got := exec.TruncateErrors(list[:100]); len(got) != 100 || got[99].Message != "x" {
		t.Errorf("100 errors changed: %d, last %q", len(got), got[99].Message)
	}
}
