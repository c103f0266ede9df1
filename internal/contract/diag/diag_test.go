package diag

import (
	"errors"
	"testing"
)

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Message: "m"}, "m"},
		{Diagnostic{File: "a.yaml", Message: "m"}, "a.yaml: m"},
		{Diagnostic{File: "a.yaml", Line: 3, Message: "m"}, "a.yaml:3: m"},
		{Diagnostic{File: "a.yaml", Line: 3, Col: 7, Pointer: "/paths/~1a", Message: "m", Fix: "do f"}, "a.yaml:3:7: m (at /paths/~1a); do f"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestListErr(t *testing.T) {
	l := List{{Severity: Warning, Message: "w"}}
	if l.Err() != nil {
		t.Fatal("a list of warnings is no error")
	}
	l = append(l, Diagnostic{Severity: Error, File: "f", Line: 1, Message: "e"})
	err := l.Err()
	var el *ErrorList
	if !errors.As(err, &el) || len(el.List) != 2 {
		t.Fatalf("Err() = %#v, want an *ErrorList with both", err)
	}
	if err.Error() != "f:1: e" {
		t.Errorf("Error() = %q: want the errors only", err.Error())
	}
}

func TestSort(t *testing.T) {
	l := List{{File: "b", Line: 1}, {File: "a", Line: 9}, {File: "a", Line: 2, Col: 5}, {File: "a", Line: 2, Col: 1}}
	l.Sort()
	want := []string{"a:2:1", "a:2:5", "a:9", "b:1"}
	for i, d := range l {
		if d.Place() != want[i] {
			t.Errorf("%d: %s, want %s", i, d.Place(), want[i])
		}
	}
}
