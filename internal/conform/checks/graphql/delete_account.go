package graphql

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// DeleteAccount is graphql-delete-account: the deleteAccount rules of page
// 001 as a stateful flow (model.GuardedDelete) on the account
// ids.deleteAccountId: refused while blockers exist (each refusal names its
// blocker's code), each blocker removed with its own mutation
// (deleteAccountMembership, terminateSubscription) and read back (no
// removed record listed, none left that blocks) before the delete is
// retried, then the delete succeeds and the record is gone from every
// read of it (lookups, connections, REST reads and lists, model.Writes),
// each list one shorter; without the hints, account(id) is null, the REST
// company is 404 and totalCount dropped by one. Also runs the page's own mutation
// (suite/testdata/queries/marketplace/deleteAccount.graphql).
func (Catalog) DeleteAccount() kit.Check {
	return kit.Check{
		Name:        "graphql-delete-account",
		Class:       kit.ClassWrites,
		Proto:       kit.GraphQL,
		Phase:       kit.PhaseBehaviour,
		Destructive: true,
		Doc:         "deleteAccount refused with its blockers named, blockers removed, delete succeeds, record gone everywhere",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Mutation == nil {
				return nil
			}
			var out []*kit.Case
			for _, d := range a.GuardedDeletes() {
				out = append(out, deleteFlow(ch, a, d))
			}
			for _, q := range kit.DocumentedQueries(e, a) {
				if !q.Mutation {
					continue
				}
				title := fmt.Sprintf("documented mutation %s answers valid data", q.File)
				out = append(out, kit.Single(ch, a, q.Operation, title, func(t *kit.T) { kit.RunDocumented(t, q) }))
			}
			return out
		},
	}
}

// argLiteral renders an argument path like input.accountId around $id:
// input: {accountId: $id}.
func argLiteral(path string) string {
	parts := strings.Split(path, ".")
	s := "$id"
	for i := len(parts) - 1; i >= 1; i-- {
		s = "{" + parts[i] + ": " + s + "}"
	}
	return parts[0] + ": " + s
}

type deleteState struct {
	id       string
	total    int
	blockers map[string][]string // blocker code -> record ids
	// rec and before: the record's fields and every read of it before
	// the flow (when the hints bind the mutation: model.Writes).
	rec    map[string]any
	before []sighting
}

// deleteFlow is the ordered case of one guarded delete.
func deleteFlow(ch *kit.Check, a *kit.API, d model.GuardedDelete) *kit.Case {
	st := &deleteState{}
	mutation, lookup, conn := d.Mutation, d.Lookup, d.Connection // deleteAccount, account, accounts
	var write *model.Write
	for _, w := range a.Writes() {
		if w.Mutation.Name == mutation {
			write = &w
		}
	}
	deleteQ := fmt.Sprintf("mutation($id: ID!) { %s(%s) { success } }", mutation, argLiteral(d.Arg))
	c := &kit.Case{Check: ch, API: a, Operation: mutation,
		Title: fmt.Sprintf("%s is refused while blockers exist, then deletes the record everywhere", mutation)}
	c.Steps = append(c.Steps, kit.Step{Name: "read the account, its blockers and " + conn + ".totalCount", Run: func(t *kit.T) {
		st.id = a.ID("deleteAccountId")
		if st.id == "" {
			t.Skip("no account to delete: set ids.deleteAccountId in conform.yaml (an account with memberships and active subscriptions)")
		}
		r := kit.GQL(t, a.Credentials(), fmt.Sprintf("{ %s(first: 1) { totalCount } }", conn), nil)
		if !kit.RequireOK(t, r) {
			t.FailNow()
		}
		n, _ := kit.At(r.Decoded(), conn, "totalCount").(json.Number)
		v, _ := n.Int64()
		st.total = int(v)
		st.blockers = map[string][]string{}
		for _, blk := range d.Blockers {
			field := blk.Connection
			extra := strings.Join(slices.Sorted(maps.Keys(blk.Where)), " ")
			r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($id: ID!) { %s(id: $id) { %s(first: 100) { nodes { id %s } } } }", lookup, field, extra), map[string]any{"id": st.id})
			if !kit.RequireOK(t, r) {
				t.FailNow()
			}
			nodes, _ := kit.At(r.Decoded(), lookup, field, "nodes").([]any)
			for _, nd := range nodes {
				if matchesWhere(nd, blk.Where) {
					st.blockers[blk.Code] = append(st.blockers[blk.Code], fmt.Sprint(kit.At(nd, "id")))
				}
			}
		}
		if len(st.blockers) == 0 {
			t.Skip("account %s has no blockers; set ids.deleteAccountId to an account with memberships and active subscriptions", st.id)
		}
		if write != nil {
			leaves := strings.Join(model.LeafFields(a.Schema, write.Node), " ")
			r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($id: ID!) { %s(id: $id) { %s } }", lookup, leaves), map[string]any{"id": st.id})
			st.rec, _ = kit.At(r.Decoded(), lookup).(map[string]any)
			if st.rec != nil {
				st.before = newReadBack(a, *write).look(t, *write, st.rec)
			}
		}
	}})
	for _, blk := range d.Blockers {
		c.Steps = append(c.Steps, kit.Step{Name: fmt.Sprintf("%s is refused with %s", mutation, blk.Code), Run: func(t *kit.T) {
			if len(st.blockers[blk.Code]) == 0 {
				t.Skip("the account has no %s blockers", blk.Code)
			}
			r := kit.GQL(t, a.Credentials(), deleteQ, map[string]any{"id": st.id})
			if v := kit.At(r.Decoded(), mutation); v != nil {
				t.Errorf(kit.GQLPath("data."+mutation), "want null while %d %s records exist, got %s", len(st.blockers[blk.Code]), blk.Collection, kit.Canonical(v))
			}
			kit.CheckErrorShape(t, r, blk.Code, []any{mutation})
		}})
		rm := blk.Remover
		c.Steps = append(c.Steps, kit.Step{Name: fmt.Sprintf("%s removes every %s blocker, read back before the retry", rm, blk.Collection), Run: func(t *kit.T) {
			if rm == "" {
				t.Skip("no mutation removes %s", blk.Collection)
			}
			q := fmt.Sprintf("mutation($id: ID!) { %s(%s) { success } }", rm, argLiteral(blk.RemoverArg))
			for _, id := range st.blockers[blk.Code] {
				r := kit.GQL(t, a.Credentials(), q, map[string]any{"id": id})
				if kit.RequireOK(t, r) && kit.At(r.Decoded(), rm, "success") != true {
					t.Errorf(kit.GQLPath(fmt.Sprintf("data.%s.success", rm)), "want true for %s, got %s", id, kit.Canonical(kit.At(r.Decoded(), rm, "success")))
				}
			}
			if !t.Failed() {
				blockersGone(t, a, d, blk, st)
			}
		}})
	}
	c.Steps = append(c.Steps, kit.Step{Name: mutation + " succeeds", Run: func(t *kit.T) {
		r := kit.GQL(t, a.Credentials(), deleteQ, map[string]any{"id": st.id})
		if kit.RequireOK(t, r) && kit.At(r.Decoded(), mutation, "success") != true {
			t.Errorf(kit.GQLPath("data."+mutation+".success"), "want true, got %s", kit.Canonical(kit.At(r.Decoded(), mutation, "success")))
		}
	}})
	gone := fmt.Sprintf("%s(id) is null, the REST record 404, %s.totalCount one less", lookup, conn)
	if write != nil {
		gone = "the record is gone from every read (lookups, connections, REST reads and lists), every list one shorter"
	}
	c.Steps = append(c.Steps, kit.Step{Name: gone, Run: func(t *kit.T) {
		if write != nil && st.rec != nil {
			// Every read of the record: lookups, connections, REST reads
			// and lists.
			after := newReadBack(a, *write).look(t, *write, st.rec)
			expectGone(t, "after "+mutation+" of "+kit.Canonical(st.id), st.before, after, a.CollectionReads(write.Collection).Lookups)
			return
		}
		r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($id: ID!) { %s(id: $id) { id } }", lookup), map[string]any{"id": st.id})
		if v := kit.At(r.Decoded(), lookup); v != nil {
			t.Errorf(kit.GQLPath("data."+lookup), "want null after the delete, got %s", kit.Canonical(v))
		}
		for _, rd := range d.Reads {
			o := rd.Operation
			resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(map[string]string{rd.Param: st.id}), Credentials: a.Credentials()})
			if resp.Status != http.StatusNotFound {
				t.Errorf(kit.Status(), "%s %s after the delete: want 404, got %d", o.Method, o.Fill(map[string]string{rd.Param: st.id}), resp.Status)
			}
		}
		r = kit.GQL(t, a.Credentials(), fmt.Sprintf("{ %s(first: 1) { totalCount } }", conn), nil)
		n, _ := kit.At(r.Decoded(), conn, "totalCount").(json.Number)
		if v, _ := n.Int64(); int(v) != st.total-1 {
			t.Errorf(kit.GQLPath(fmt.Sprintf("data.%s.totalCount", conn)), "want %d (one less than before the delete), got %d", st.total-1, v)
		}
	}})
	return c
}

func matchesWhere(node any, where map[string][]any) bool {
	for f, allowed := range where {
		v := kit.At(node, f)
		ok := false
		for _, x := range allowed {
			if fmt.Sprint(x) == fmt.Sprint(v) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// blockersGone reads the account's blockers of one kind back after their
// remover ran, before the guarded delete is retried: a removed record is
// no longer listed (a delete remover), and no listed record still blocks.
func blockersGone(t *kit.T, a *kit.API, d model.GuardedDelete, blk model.ChainBlocker, st *deleteState) {
	if blk.Connection == "" {
		return
	}
	removerKind := a.Hints.Fields[a.Schema.Mutation.Name][blk.Remover].Kind
	extra := strings.Join(slices.Sorted(maps.Keys(blk.Where)), " ")
	r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($id: ID!) { %s(id: $id) { %s(first: 100) { totalCount nodes { id %s } } } }", d.Lookup, blk.Connection, extra), map[string]any{"id": st.id})
	if !kit.RequireOK(t, r) {
		return
	}
	removed := map[string]bool{}
	for _, id := range st.blockers[blk.Code] {
		removed[id] = true
	}
	nodes, _ := kit.At(r.Decoded(), d.Lookup, blk.Connection, "nodes").([]any)
	where := kit.GQLPath(fmt.Sprintf("data.%s.%s", d.Lookup, blk.Connection))
	for _, nd := range nodes {
		id := fmt.Sprint(kit.At(nd, "id"))
		switch {
		case removerKind == model.KindDelete && removed[id]:
			t.Errorf(where, "after %s of %s, %s.%s still lists it", blk.Remover, id, d.Type, blk.Connection)
		case matchesWhere(nd, blk.Where):
			t.Errorf(where, "after %s of every %s blocker, %s.%s still lists %s %s, which blocks %s", blk.Remover, blk.Collection, d.Type, blk.Connection, id, kit.Canonical(nd), d.Mutation)
		}
	}
	if removerKind == model.KindDelete {
		if n, ok := kit.At(r.Decoded(), d.Lookup, blk.Connection, "totalCount").(json.Number); ok && n.String() != fmt.Sprint(len(nodes)) {
			t.Errorf(where, "totalCount %s, but the connection lists %d %s", n, len(nodes), blk.Collection)
		}
	}
}
