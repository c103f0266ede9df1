package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// Registry is a set of checks in run order: phase by phase, destructive
// checks after every other, by name within that. It is built once and
// never changes.
type Registry struct {
	checks []*kit.Check
}

// NewRegistry registers checks. Every check needs a name, unique, a
// protocol and cases; a class it names must be one of kit.Classes (none:
// its phase's, kit.Check.ClassOf).
func NewRegistry(checks ...kit.Check) (*Registry, error) {
	r := &Registry{}
	seen := map[string]bool{}
	for _, c := range checks {
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("a check has no name (doc %q)", c.Doc)
		case seen[c.Name]:
			return nil, fmt.Errorf("two checks are named %s", c.Name)
		case c.Proto != kit.REST && c.Proto != kit.GraphQL:
			return nil, fmt.Errorf("check %s: protocol %q is neither %s nor %s", c.Name, c.Proto, kit.REST, kit.GraphQL)
		case c.Cases == nil:
			return nil, fmt.Errorf("check %s generates no cases", c.Name)
		case c.Class != "" && !c.Class.Known():
			return nil, fmt.Errorf("check %s: class %q is not one of kit.Classes", c.Name, c.Class)
		}
		seen[c.Name] = true
		r.checks = append(r.checks, &c)
	}
	slices.SortStableFunc(r.checks, func(a, b *kit.Check) int {
		switch {
		case a.Destructive != b.Destructive:
			if a.Destructive {
				return 1
			}
			return -1
		case a.Phase != b.Phase:
			return int(a.Phase) - int(b.Phase)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return r, nil
}

// MustRegistry is NewRegistry for a set of checks known to be well formed
// (the catalog's, held by its tests); it panics otherwise.
func MustRegistry(checks ...kit.Check) *Registry {
	r, err := NewRegistry(checks...)
	if err != nil {
		panic("engine: " + err.Error())
	}
	return r
}

// Checks lists the registered checks in run order.
func (r *Registry) Checks() []*kit.Check { return slices.Clone(r.checks) }

// Select lists the named checks, in run order; an unknown name is an
// error.
func (r *Registry) Select(names ...string) ([]*kit.Check, error) {
	var out []*kit.Check
	for _, n := range names {
		if !slices.ContainsFunc(r.checks, func(c *kit.Check) bool { return c.Name == n }) {
			return nil, fmt.Errorf("no check is named %q", n)
		}
	}
	for _, c := range r.checks {
		if slices.Contains(names, c.Name) {
			out = append(out, c)
		}
	}
	return out, nil
}
