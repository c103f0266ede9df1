package report

import "testing"

type kind int

func (k kind) String() string { return [...]string{"contract", "security"}[k] }

// TestClassOf reads a Class field of a result, a string or a Stringer,
// and "" when there is none.
func TestClassOf(t *testing.T) {
	type withString struct{ Class string }
	type withStringer struct{ Class kind }
	type without struct{ Check string }
	type unexported struct{ class string }
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"string", withString{"contract"}, "contract"},
		{"pointer", &withString{"security"}, "security"},
		{"stringer", withStringer{1}, "security"},
		{"no field", without{"x"}, ""},
		{"unexported", unexported{"x"}, ""},
		{"nil", (*withString)(nil), ""},
		{"not a struct", "contract", ""},
	} {
		if got := classOf(tc.v); got != tc.want {
			t.Errorf("%s: classOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}
