package kit

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
)

// bundledAPIs loads every bundled API's contract with its bundled target
// (no target is asked).
func bundledAPIs(t *testing.T) []*API {
	t.Helper()
	targets, err := conform.BundledTargets("http://127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for name := range targets {
		want[name] = true
	}
	contracts, err := model.LoadBundled(want)
	if err != nil {
		t.Fatal(err)
	}
	var out []*API
	for _, m := range contracts {
		out = append(out, &API{API: m, Conf: targets[m.Name]})
	}
	return out
}

// TestGeneratedQueriesValidate: every query the selection generator draws
// over a bundled SDL is valid against it (a generator bug would otherwise
// show as a target's failure), and so are the full selection and every
// page query of the connection walker.
func TestGeneratedQueriesValidate(t *testing.T) {
	for _, a := range bundledAPIs(t) {
		if a.Schema == nil {
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				q, vars := GenerateQuery(rt, a.Schema, IDFiller(a.Conf.FirstIDs()))
				if _, err := ParseQuery(a.Schema, q); err != nil {
					rt.Fatalf("invalid generated query: %v\n%s", err, q)
				}
				for name := range vars {
					if !strings.Contains(q, "$"+name+":") {
						rt.Fatalf("variable %s is not declared:\n%s", name, q)
					}
				}
			})
			if q, _ := FullSelectionQuery(a.Schema, IDFiller(a.Conf.FirstIDs())); q != "" {
				if _, err := ParseQuery(a.Schema, q); err != nil {
					t.Errorf("invalid full selection: %v\n%s", err, q)
				}
			}
			for _, c := range append(a.Connections(), a.NestedConnections()...) {
				for _, args := range []map[string]any{{"first": 2}, {"first": 2, "after": "x"}, {"last": 3, "before": "y", model.ParentArg: "p"}} {
					q, _ := ConnQuery(c, args, LeafSelection(a, c))
					if _, err := ParseQuery(a.Schema, q); err != nil {
						t.Errorf("%s %v: invalid page query: %v\n%s", c.Name(), args, err, q)
					}
				}
			}
		})
	}
}
