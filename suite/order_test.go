package suite

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/standintest"
)

// TestDestructiveCasesLast: in the spec tree, every API's read-only cases
// come before any API's destructive case, so that one API's destructive
// check (a delete, a reset hook) never runs before another API's reads.
func TestDestructiveCasesLast(t *testing.T) {
	mock := standintest.Start(t)
	env := envFor(t, mock, nil, nil)
	groups := containers(env.APIs, engine.Plan(env, Checks().Checks()))
	destructive := false
	var names []string
	for _, g := range groups {
		names = append(names, g.name)
		for _, c := range g.cases {
			if c.Destructive() != strings.HasSuffix(g.name, " (destructive)") {
				t.Errorf("container %s holds %s (destructive %v)", g.name, c.Title, c.Destructive())
			}
			if destructive && !c.Destructive() {
				t.Errorf("read-only case %s of %s runs after a destructive case", c.Title, g.api)
			}
			destructive = destructive || c.Destructive()
		}
	}
	if !destructive {
		t.Fatalf("no destructive case in %v", names)
	}
	t.Logf("containers: %s", strings.Join(names, ", "))
}
