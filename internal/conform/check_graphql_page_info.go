package conform

import "fmt"

// GraphQLPageInfo: page by page, a forward walk (first/after) and a
// backward walk (last/before) with small pages get exactly the nodes the
// whole list has at that place (first/last honoured exactly), and every
// pageInfo flag tells the truth: hasNextPage (forward) and
// hasPreviousPage (backward) are true exactly when more nodes follow,
// which a request past the page's end cursor confirms; no page of a walk
// that starts at an end says that nodes precede (forward) or follow
// (backward) it.
var GraphQLPageInfo = &Check{
	Name:  "graphql-page-info",
	Proto: "graphql",
	Doc:   "first/last honoured exactly; hasNextPage / hasPreviousPage right on every page",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connInfos(a) {
			title := fmt.Sprintf("%s: first/last %d honoured exactly, pageInfo flags right on every page", c.name(), pageSize)
			out = append(out, single(ch, a, c.name(), title, func(t *T) {
				max := t.env.Config.MaxRecords
				sel := "{ " + c.key + " }"
				all, _ := walkForward(t, c, nil, sel, c.maxPageSize(), max, nil)
				if len(all) >= max {
					t.Skip("the connection has %d or more nodes (--max-records): the flags of its last pages cannot be checked", max)
				}
				keys := nodeKeys(all, c.key)
				t.exchanges = t.exchanges[:0]
				pageInfoWalk(t, c, nil, sel, keys, true)
				pageInfoWalk(t, c, nil, sel, keys, false)
			}))
		}
		for _, c := range nestedConnInfos(a) {
			name := c.parent.nodeType.Name + "." + c.field.Name
			title := fmt.Sprintf("%s of the %s with the most: first/last %d honoured exactly, pageInfo flags right on every page", name, c.parent.nodeType.Name, pageSize)
			out = append(out, single(ch, a, name, title, func(t *T) {
				max := t.env.Config.MaxRecords
				p, n := richestParent(t, c)
				if n <= 0 {
					t.Skip("no %s has %s", c.parent.nodeType.Name, c.field.Name)
				}
				extra := map[string]any{parentArg: p}
				sel := "{ " + c.key + " }"
				all, _ := walkForward(t, c, extra, sel, c.maxPageSize(), max, nil)
				if len(all) >= max {
					t.Skip("the connection has %d or more nodes (--max-records)", max)
				}
				t.exchanges = t.exchanges[:0]
				pageInfoWalk(t, c, extra, sel, nodeKeys(all, c.key), true)
				pageInfoWalk(t, c, extra, sel, nodeKeys(all, c.key), false)
			}))
		}
		return out
	},
}

// pageInfoWalk walks forward (first/after) or backward (last/before) and
// compares every page with keys, the whole list in order.
func pageInfoWalk(t *T, c connInfo, extra map[string]any, sel string, keys []string, forward bool) {
	sizeArg, curArg, dir := "first", "after", "forward"
	if !forward {
		sizeArg, curArg, dir = "last", "before", "backward"
	}
	if c.parent != nil {
		dir = c.label(extra) + ", " + dir
	}
	n := len(keys)
	with := func(m map[string]any) map[string]any {
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	args := with(map[string]any{sizeArg: pageSize})
	done := 0 // nodes visited so far, from the walk's end
	for i := 0; i <= n/pageSize+1; i++ {
		before := len(t.violations)
		pg := readPage(t, c, args, sel, fmt.Sprintf("%s page %d", dir, i))
		got := nodeKeys(pg.nodes, c.key)
		lo, hi := done, done+pageSize
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
			t.Errorf(c.name()+".edges", "%s page %d: %s: %d answered %d nodes, but %d remain to be read (want %d)", dir, i, sizeArg, pageSize, len(got), n-done, len(want))
		} else if j := firstDiff(got, want); j < len(got) {
			t.Errorf(c.name()+".edges", "%s page %d: node %d is %s, the whole list has %s there", dir, i, j, got[j], want[j])
		}
		done += len(got)
		more, moreName, farName := pg.hasNext, "hasNextPage", "hasPreviousPage"
		far := pg.hasPrev
		edge := pg.end
		if !forward {
			more, moreName, farName, far, edge = pg.hasPrev, "hasPreviousPage", "hasNextPage", pg.hasNext, pg.start
		}
		if i == 0 && far {
			t.Errorf(c.name()+".pageInfo."+farName, "%s page 0 says %s true, but it starts at the %s of the list", dir, farName, map[bool]string{true: "beginning", false: "end"}[forward])
		}
		remaining := n - done
		if !more {
			if remaining > 0 || edge != nil {
				// Confirm past the page's end what the flag denies.
				if edge != nil {
					probe := readPage(t, c, with(map[string]any{sizeArg: c.maxPageSize(), curArg: *edge}), sel, fmt.Sprintf("%s past page %d", dir, i))
					if len(probe.nodes) > 0 {
						t.Errorf(c.name()+".pageInfo."+moreName, "%s page %d says %s false, but %s its %s the target returned %d more nodes",
							dir, i, moreName, map[bool]string{true: "after", false: "before"}[forward], map[bool]string{true: "endCursor", false: "startCursor"}[forward], len(probe.nodes))
					}
				} else if remaining > 0 {
					t.Errorf(c.name()+".pageInfo."+moreName, "%s page %d says %s false, but %d more nodes exist", dir, i, moreName, remaining)
				}
			}
			if len(t.violations) == before {
				t.exchanges = t.exchanges[:0]
			}
			return
		}
		if remaining == 0 {
			t.Errorf(c.name()+".pageInfo."+moreName, "%s page %d says %s true, but it holds the last of the %d nodes", dir, i, moreName, n)
			return
		}
		if edge == nil {
			t.Fatalf(c.name()+".pageInfo", "%s page %d says %s true but has no cursor to go on from", dir, i, moreName)
		}
		args = with(map[string]any{sizeArg: pageSize, curArg: *edge})
		if len(t.violations) == before {
			t.exchanges = t.exchanges[:0]
		}
	}
	t.Errorf(c.name(), "the %s walk did not end after %d pages for %d nodes", dir, n/pageSize+2, n)
}
