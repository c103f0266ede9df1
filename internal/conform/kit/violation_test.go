package kit

import (
	"encoding/json"
	"testing"
)

// TestPlaces: each kind of place has the string form reports have always
// shown, and reads back from it.
func TestPlaces(t *testing.T) {
	for _, tc := range []struct {
		p    Place
		want string
		kind PlaceKind
	}{
		{Body(""), "", InBody},
		{BodyAt("client", "0", "a/b~c"), "/client/0/a~1b~0c", InBody},
		{Status(), "status", AtStatus},
		{Header("Retry-After"), "header:Retry-After", InHeader},
		{GQLPath("data.accounts.edges[3].node.id"), "data.accounts.edges[3].node.id", InResponse},
		{Coordinate("Query.account(id:)"), "Query.account(id:)", AtCoordinate},
		{InTheRun("request"), "request", InRun},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
		if tc.p.Kind() != tc.kind {
			t.Errorf("%q: kind %d, want %d", tc.want, tc.p.Kind(), tc.kind)
		}
		b, err := json.Marshal(Violation{Where: tc.p, Message: "m"})
		if err != nil {
			t.Fatal(err)
		}
		var v Violation
		if err := json.Unmarshal(b, &v); err != nil || v.Where.String() != tc.want {
			t.Errorf("%s: read back as %q (%v)", b, v.Where, err)
		}
		if tc.kind != AtCoordinate && v.Where != tc.p {
			t.Errorf("%s: read back as %+v, want %+v", b, v.Where, tc.p)
		}
	}
}

func TestViolationString(t *testing.T) {
	for _, tc := range []struct {
		v    Violation
		want string
	}{
		{Violation{Where: Body(""), Message: "not JSON"}, "(body): not JSON"},
		{Violation{Where: Status(), Message: "want HTTP 200, got 500", Request: "GET http://h/x"}, "status: want HTTP 200, got 500\n      at GET http://h/x"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
