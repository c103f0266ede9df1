package graphql

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// PageInfo is graphql-page-info: page by page, a forward walk (first/after)
// and a backward walk (last/before) with small pages get exactly the nodes
// the whole list has at that place (first/last honoured exactly), and every
// pageInfo flag tells the truth: hasNextPage (forward) and hasPreviousPage
// (backward) are true exactly when more nodes follow, which a request past
// the page's end cursor confirms; no page of a walk that starts at an end
// says that nodes precede (forward) or follow (backward) it.
func (Catalog) PageInfo() kit.Check {
	return kit.Check{
		Name:  "graphql-page-info",
		Class: kit.ClassPaging,
		Proto: kit.GraphQL,
		Phase: kit.PhaseBehaviour,
		Doc:   "first/last honoured exactly; hasNextPage / hasPreviousPage right on every page",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range a.Connections() {
				title := fmt.Sprintf("%s: first/last %d honoured exactly, pageInfo flags right on every page", c.Name(), kit.SmallPageSize)
				out = append(out, kit.Single(ch, a, c.Name(), title, func(t *kit.T) {
					max := t.Env().Config.MaxRecords
					sel := "{ " + c.Key + " }"
					all, _ := kit.WalkForward(t, c, nil, sel, c.MaxPageSize(), max, nil)
					if len(all) >= max {
						t.Skip("the connection has %d or more nodes (--max-records): the flags of its last pages cannot be checked", max)
					}
					keys := kit.NodeKeys(all, c.Key)
					t.DropExchanges()
					pageInfoWalk(t, c, nil, sel, keys, true)
					pageInfoWalk(t, c, nil, sel, keys, false)
				}))
			}
			for _, c := range a.NestedConnections() {
				name := c.Parent.NodeType.Name + "." + c.Field.Name
				title := fmt.Sprintf("%s of the %s with the most: first/last %d honoured exactly, pageInfo flags right on every page", name, c.Parent.NodeType.Name, kit.SmallPageSize)
				out = append(out, kit.Single(ch, a, name, title, func(t *kit.T) {
					max := t.Env().Config.MaxRecords
					p, n := kit.RichestParent(t, c)
					if n <= 0 {
						t.Skip("no %s has %s", c.Parent.NodeType.Name, c.Field.Name)
					}
					extra := map[string]any{model.ParentArg: p}
					sel := "{ " + c.Key + " }"
					all, _ := kit.WalkForward(t, c, extra, sel, c.MaxPageSize(), max, nil)
					if len(all) >= max {
						t.Skip("the connection has %d or more nodes (--max-records)", max)
					}
					t.DropExchanges()
					pageInfoWalk(t, c, extra, sel, kit.NodeKeys(all, c.Key), true)
					pageInfoWalk(t, c, extra, sel, kit.NodeKeys(all, c.Key), false)
				}))
			}
			return out
		},
	}
}

// pageInfoWalk walks forward (first/after) or backward (last/before) and
// compares every page with keys, the whole list in order.
func pageInfoWalk(t *kit.T, c model.Connection, extra map[string]any, sel string, keys []string, forward bool) {
	sizeArg, curArg, dir := "first", "after", "forward"
	if !forward {
		sizeArg, curArg, dir = "last", "before", "backward"
	}
	if c.Parent != nil {
		dir = c.Label(extra) + ", " + dir
	}
	n := len(keys)
	with := func(m map[string]any) map[string]any {
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	args := with(map[string]any{sizeArg: kit.SmallPageSize})
	done := 0 // nodes visited so far, from the walk's end
	for i := 0; i <= n/kit.SmallPageSize+1; i++ {
		before := t.ViolationCount()
		pg := kit.ReadPage(t, c, args, sel, fmt.Sprintf("%s page %d", dir, i))
		got := kit.NodeKeys(pg.Nodes, c.Key)
		lo, hi := done, done+kit.SmallPageSize
		if hi > n {
			hi = n
		}
		var want []string
		if forward {
			want = keys[lo:hi]
		} else {
			want = keys[n-hi : n-lo]
		}
		if len(got) != len(want) {
			t.Errorf(kit.GQLPath(c.Name()+".edges"), "%s page %d: %s: %d answered %d nodes, but %d remain to be read (want %d)", dir, i, sizeArg, kit.SmallPageSize, len(got), n-done, len(want))
		} else if j := kit.FirstDiff(got, want); j < len(got) {
			t.Errorf(kit.GQLPath(c.Name()+".edges"), "%s page %d: node %d is %s, the whole list has %s there", dir, i, j, got[j], want[j])
		}
		done += len(got)
		more, moreName, farName := pg.HasNext, "hasNextPage", "hasPreviousPage"
		far := pg.HasPrev
		edge := pg.End
		if !forward {
			more, moreName, farName, far, edge = pg.HasPrev, "hasPreviousPage", "hasNextPage", pg.HasNext, pg.Start
		}
		if i == 0 && far {
			t.Errorf(kit.GQLPath(c.Name()+".pageInfo."+farName), "%s page 0 says %s true, but it starts at the %s of the list", dir, farName, map[bool]string{true: "beginning", false: "end"}[forward])
		}
		remaining := n - done
		if !more {
			if remaining > 0 || edge != nil {
				// Confirm past the page's end what the flag denies.
				if edge != nil {
					probe := kit.ReadPage(t, c, with(map[string]any{sizeArg: c.MaxPageSize(), curArg: *edge}), sel, fmt.Sprintf("%s past page %d", dir, i))
					if len(probe.Nodes) > 0 {
						t.Errorf(kit.GQLPath(c.Name()+".pageInfo."+moreName), "%s page %d says %s false, but %s its %s the target returned %d more nodes",
							dir, i, moreName, map[bool]string{true: "after", false: "before"}[forward], map[bool]string{true: "endCursor", false: "startCursor"}[forward], len(probe.Nodes))
					}
				} else if remaining > 0 {
					t.Errorf(kit.GQLPath(c.Name()+".pageInfo."+moreName), "%s page %d says %s false, but %d more nodes exist", dir, i, moreName, remaining)
				}
			}
			if t.ViolationCount() == before {
				t.DropExchanges()
			}
			return
		}
		if remaining == 0 {
			t.Errorf(kit.GQLPath(c.Name()+".pageInfo."+moreName), "%s page %d says %s true, but it holds the last of the %d nodes", dir, i, moreName, n)
			return
		}
		if edge == nil {
			t.Fatalf(kit.GQLPath(c.Name()+".pageInfo"), "%s page %d says %s true but has no cursor to go on from", dir, i, moreName)
		}
		args = with(map[string]any{sizeArg: kit.SmallPageSize, curArg: *edge})
		if t.ViolationCount() == before {
			t.DropExchanges()
		}
	}
	t.Errorf(kit.GQLPath(c.Name()), "the %s walk did not end after %d pages for %d nodes", dir, n/kit.SmallPageSize+2, n)
}
