package graphql

import (
	"testing"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// TestWalkQueriesValidate: every page query of the random walks is valid
// against the bundled SDLs.
func TestWalkQueriesValidate(t *testing.T) {
	apis, err := model.LoadBundled(map[string]bool{"admin": true, "marketplace": true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range apis {
		a := &kit.API{API: m}
		fields := a.RelayFields()
		if len(fields) == 0 {
			t.Errorf("%s: no connection to walk", a.Name)
		}
		for _, rf := range fields {
			c := walkConn{rf}
			for _, args := range []map[string]any{nil, {"first": 2}, {"first": 2, "after": "x"}, {"last": 3, "before": "y"}} {
				q, _ := c.query(a, args)
				if _, err := kit.ParseQuery(a.Schema, q); err != nil {
					t.Errorf("%s %v: invalid page query: %v\n%s", c.Coord, args, err, q)
				}
			}
		}
	}
}
