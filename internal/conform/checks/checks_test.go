package checks

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/checks/graphql"
	"github.com/standin/standin/internal/conform/checks/rest"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

// TestCatalogs holds every method of the catalogs to a check's shape: it
// returns a kit.Check whose name starts with the protocol of its
// package (rest-graphql-agree compares REST with GraphQL and is
// GraphQL's), and the checks register together.
func TestCatalogs(t *testing.T) {
	for _, tc := range []struct {
		catalog any
		proto   string
	}{{rest.Catalog{}, kit.REST}, {graphql.Catalog{}, kit.GraphQL}} {
		checks, err := methods(tc.catalog)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) == 0 {
			t.Fatalf("%T has no check", tc.catalog)
		}
		for _, c := range checks {
			if c.Proto != tc.proto || !strings.HasPrefix(c.Name, "rest-") && !strings.HasPrefix(c.Name, "graphql-") || c.Doc == "" {
				t.Errorf("%T: check %q (proto %q, doc %q) is not a %s check with a name and a doc", tc.catalog, c.Name, c.Proto, c.Doc, tc.proto)
			}
		}
	}
	if _, err := engine.NewRegistry(All()...); err != nil {
		t.Fatal(err)
	}
}

// badCatalog has a method that is not a check beside one that is.
type badCatalog struct{}

func (badCatalog) NotACheck() string { return "" }

func (badCatalog) Check() kit.Check { return kit.Check{Name: "rest-x"} }

// TestMethodsRefuseOtherShapes: a catalog method of another shape is an
// error naming it, not a panic, and the well-formed methods still count.
func TestMethodsRefuseOtherShapes(t *testing.T) {
	checks, err := methods(badCatalog{})
	if err == nil || !strings.Contains(err.Error(), "NotACheck") {
		t.Fatalf("want an error naming the method, got %v", err)
	}
	if len(checks) != 1 || checks[0].Name != "rest-x" {
		t.Fatalf("the well-formed method: %+v", checks)
	}
}

// TestRunOrder: the read-only checks run phase by phase, the destructive
// ones last (a page id a destructive check deletes never breaks a later
// read).
func TestRunOrder(t *testing.T) {
	reg := engine.MustRegistry(All()...)
	seenDestructive := false
	last := kit.Phase(-1)
	for _, c := range reg.Checks() {
		if c.Destructive {
			seenDestructive = true
			continue
		}
		if seenDestructive {
			t.Errorf("%s runs after a destructive check", c.Name)
		}
		if c.Phase < last {
			t.Errorf("%s (phase %d) runs after phase %d", c.Name, c.Phase, last)
		}
		last = c.Phase
	}
	if !seenDestructive {
		t.Error("no destructive check")
	}
}
