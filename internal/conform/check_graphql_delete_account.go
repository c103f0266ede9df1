package conform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/manifest"
)

// GraphQLDeleteAccount: the deleteAccount rules of page 001 as a stateful
// flow on the account ids.deleteAccountId: refused while blockers exist
// (each refusal names its blocker's code), each blocker removed with its
// own mutation (deleteAccountMembership, terminateSubscription), then the
// delete succeeds, account(id) is null, the REST company is 404 and
// totalCount dropped by one. Also runs the page's own mutation
// (suite/testdata/queries/marketplace/deleteAccount.graphql).
var GraphQLDeleteAccount = &Check{
	Name:        "graphql-delete-account",
	Proto:       "graphql",
	Destructive: true,
	Doc:         "deleteAccount refused with its blockers named, blockers removed, delete succeeds, record gone everywhere",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.Manifest.GraphQL == nil || a.Schema.Mutation == nil {
			return nil
		}
		var out []*Case
		muts := a.Manifest.GraphQL.Fields[a.Schema.Mutation.Name]
		for _, name := range sortedKeys(muts) {
			b := muts[name]
			if b.Kind != "delete" || len(b.Blockers) == 0 {
				continue
			}
			out = append(out, deleteFlow(ch, a, name, b))
		}
		for _, q := range documentedQueries(e, a) {
			if !q.Mutation {
				continue
			}
			title := fmt.Sprintf("documented mutation %s answers valid data", q.File)
			out = append(out, single(ch, a, q.Operation, title, func(t *T) { runDocumented(t, q) }))
		}
		return out
	},
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

func deleteFlow(ch *Check, a *API, mutation string, b manifest.FieldBinding) *Case {
	st := &deleteState{}
	q := a.Schema.Query.Name
	var lookup, conn string // account, accounts
	for _, f := range sortedKeys(a.Manifest.GraphQL.Fields[q]) {
		fb := a.Manifest.GraphQL.Fields[q][f]
		if fb.Collection == b.Collection && fb.Kind == "get" && fb.Field == b.Field && lookup == "" {
			lookup = f
		}
		if fb.Collection == b.Collection && fb.Kind == "connection" {
			conn = f
		}
	}
	typeName := a.Schema.Query.Fields.ForName(lookup).Type.Name()
	// blocker code -> (connection field on the type, removal mutation binding name)
	conns := map[string]string{}
	removers := map[string]string{}
	for _, blk := range b.Blockers {
		for f, fb := range a.Manifest.GraphQL.Fields[typeName] {
			if fb.Kind == "connection" && fb.Collection == blk.Collection {
				conns[blk.Code] = f
			}
		}
		for m, mb := range a.Manifest.GraphQL.Fields[a.Schema.Mutation.Name] {
			if mb.Collection == blk.Collection && (mb.Kind == "delete" || mb.Kind == "update") {
				removers[blk.Code] = m
			}
		}
	}
	deleteQ := fmt.Sprintf("mutation($id: ID!) { %s(%s) { success } }", mutation, argLiteral(b.Arg))
	c := &Case{Check: ch, API: a, Operation: mutation,
		Title: fmt.Sprintf("%s is refused while blockers exist, then deletes the record everywhere", mutation)}
	c.Steps = append(c.Steps, Step{Name: "read the account, its blockers and " + conn + ".totalCount", Run: func(t *T) {
		st.id = a.ID("deleteAccountId")
		if st.id == "" {
			t.Skip("no account to delete: set ids.deleteAccountId in conform.yaml (an account with memberships and active subscriptions)")
		}
		r := gql(t, a.Conf.Token, fmt.Sprintf("{ %s(first: 1) { totalCount } }", conn), nil)
		if !requireOK(t, r) {
			t.FailNow()
		}
		n, _ := at(r.decoded(), conn, "totalCount").(json.Number)
		v, _ := n.Int64()
		st.total = int(v)
		st.blockers = map[string][]string{}
		for _, blk := range b.Blockers {
			field := conns[blk.Code]
			extra := strings.Join(sortedKeys(blk.Where), " ")
			r := gql(t, a.Conf.Token, fmt.Sprintf("query($id: ID!) { %s(id: $id) { %s(first: 100) { nodes { id %s } } } }", lookup, field, extra), map[string]any{"id": st.id})
			if !requireOK(t, r) {
				t.FailNow()
			}
			nodes, _ := at(r.decoded(), lookup, field, "nodes").([]any)
			for _, nd := range nodes {
				if matchesWhere(nd, blk.Where) {
					st.blockers[blk.Code] = append(st.blockers[blk.Code], fmt.Sprint(at(nd, "id")))
				}
			}
		}
		if len(st.blockers) == 0 {
			t.Skip("account %s has no blockers; set ids.deleteAccountId to an account with memberships and active subscriptions", st.id)
		}
	}})
	for _, blk := range b.Blockers {
		c.Steps = append(c.Steps, Step{Name: fmt.Sprintf("%s is refused with %s", mutation, blk.Code), Run: func(t *T) {
			if len(st.blockers[blk.Code]) == 0 {
				t.Skip("the account has no %s blockers", blk.Code)
			}
			r := gql(t, a.Conf.Token, deleteQ, map[string]any{"id": st.id})
			if v := at(r.decoded(), mutation); v != nil {
				t.Errorf("data."+mutation, "want null while %d %s records exist, got %s", len(st.blockers[blk.Code]), blk.Collection, canonical(v))
			}
			checkErrorShape(t, r, blk.Code, []any{mutation})
		}})
		rm := removers[blk.Code]
		rb := a.Manifest.GraphQL.Fields[a.Schema.Mutation.Name][rm]
		c.Steps = append(c.Steps, Step{Name: fmt.Sprintf("%s removes every %s blocker", rm, blk.Collection), Run: func(t *T) {
			if rm == "" {
				t.Skip("no mutation removes %s", blk.Collection)
			}
			q := fmt.Sprintf("mutation($id: ID!) { %s(%s) { success } }", rm, argLiteral(rb.Arg))
			for _, id := range st.blockers[blk.Code] {
				r := gql(t, a.Conf.Token, q, map[string]any{"id": id})
				if requireOK(t, r) && at(r.decoded(), rm, "success") != true {
					t.Errorf(fmt.Sprintf("data.%s.success", rm), "want true for %s, got %s", id, canonical(at(r.decoded(), rm, "success")))
				}
			}
		}})
	}
	c.Steps = append(c.Steps, Step{Name: mutation + " succeeds", Run: func(t *T) {
		r := gql(t, a.Conf.Token, deleteQ, map[string]any{"id": st.id})
		if requireOK(t, r) && at(r.decoded(), mutation, "success") != true {
			t.Errorf("data."+mutation+".success", "want true, got %s", canonical(at(r.decoded(), mutation, "success")))
		}
	}})
	c.Steps = append(c.Steps, Step{Name: fmt.Sprintf("%s(id) is null, the REST record 404, %s.totalCount one less", lookup, conn), Run: func(t *T) {
		r := gql(t, a.Conf.Token, fmt.Sprintf("query($id: ID!) { %s(id: $id) { id } }", lookup), map[string]any{"id": st.id})
		if v := at(r.decoded(), lookup); v != nil {
			t.Errorf("data."+lookup, "want null after the delete, got %s", canonical(v))
		}
		for _, o := range restOps(a) {
			rb, ok := a.Manifest.REST.Operations[o.ID()]
			if !ok || rb.Action != "get" || rb.Key == nil || rb.Key.Field != b.Field || rb.Collection != b.Collection {
				continue
			}
			resp := t.Do(Request{Method: o.Method, Path: o.fill(map[string]string{rb.Key.Param: st.id}), Token: a.Conf.Token})
			if resp.Status != http.StatusNotFound {
				t.Errorf("status", "%s %s after the delete: want 404, got %d", o.Method, o.fill(map[string]string{rb.Key.Param: st.id}), resp.Status)
			}
		}
		r = gql(t, a.Conf.Token, fmt.Sprintf("{ %s(first: 1) { totalCount } }", conn), nil)
		n, _ := at(r.decoded(), conn, "totalCount").(json.Number)
		if v, _ := n.Int64(); int(v) != st.total-1 {
			t.Errorf(fmt.Sprintf("data.%s.totalCount", conn), "want %d (one less than before the delete), got %d", st.total-1, v)
		}
	}})
	return c
}

func matchesWhere(node any, where map[string][]any) bool {
	for f, allowed := range where {
		v := at(node, f)
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
