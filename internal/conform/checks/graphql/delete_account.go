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
// (deleteAccountMembership, terminateSubscription), then the delete
// succeeds, account(id) is null, the REST company is 404 and totalCount
// dropped by one. Also runs the page's own mutation
// (suite/testdata/queries/marketplace/deleteAccount.graphql).
func (Catalog) DeleteAccount() kit.Check {
	return kit.Check{
		Name:        "graphql-delete-account",
		Proto:       kit.GraphQL,
		Phase:       kit.PhaseBehaviour,
		Class:       kit.ClassWrites,
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
}

// deleteFlow is the ordered case of one guarded delete.
func deleteFlow(ch *kit.Check, a *kit.API, d model.GuardedDelete) *kit.Case {
	st := &deleteState{}
	mutation, lookup, conn := d.Mutation, d.Lookup, d.Connection // deleteAccount, account, accounts
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
		c.Steps = append(c.Steps, kit.Step{Name: fmt.Sprintf("%s removes every %s blocker", rm, blk.Collection), Run: func(t *kit.T) {
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
		}})
	}
	c.Steps = append(c.Steps, kit.Step{Name: mutation + " succeeds", Run: func(t *kit.T) {
		r := kit.GQL(t, a.Credentials(), deleteQ, map[string]any{"id": st.id})
		if kit.RequireOK(t, r) && kit.At(r.Decoded(), mutation, "success") != true {
			t.Errorf(kit.GQLPath("data."+mutation+".success"), "want true, got %s", kit.Canonical(kit.At(r.Decoded(), mutation, "success")))
		}
	}})
	c.Steps = append(c.Steps, kit.Step{Name: fmt.Sprintf("%s(id) is null, the REST record 404, %s.totalCount one less", lookup, conn), Run: func(t *kit.T) {
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
