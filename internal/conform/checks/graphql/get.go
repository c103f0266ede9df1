package graphql

import (
	"fmt"
	"maps"
	"slices"

	"github.com/standin/standin/internal/conform/kit"
)

// Get is graphql-get: where the contract documents GraphQL over GET
// (model.GraphQLGetDocumented: the admin SDL's "GET /graphql?query=..."),
// queries are checked over GET as well: { __typename }, and a page of
// each root connection with its arguments as variables,
// answer over GET (query and variables in the query string, as GraphQL
// over HTTP says) HTTP 200 with data and no errors, the same data they
// answer over POST.
func (Catalog) Get() kit.Check {
	return kit.Check{
		Name:  "graphql-get",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Class: kit.ClassHTTP,
		Doc:   "where the contract documents GET, queries over GET (with variables) answer what they answer over POST",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil || !a.GraphQLGetDocumented() {
				return nil
			}
			title := fmt.Sprintf("GET %s?query=… answers what POST answers (a page of each connection, with variables)", a.GraphQLPath())
			return []*kit.Case{kit.Single(ch, a, "GET "+a.GraphQLPath(), title, func(t *kit.T) {
				type query struct {
					what string
					text string
					vars map[string]any
				}
				qs := []query{{"{ __typename }", "{ __typename }", nil}}
				for _, c := range a.Connections() {
					text, vars := kit.ConnQuery(c, map[string]any{"first": 3}, kit.LeafSelection(a, c))
					qs = append(qs, query{"a page of " + c.Name() + " (first: 3 as a variable)", text, vars})
				}
				for _, q := range qs {
					n := t.ViolationCount()
					post := kit.GQL(t, a.Credentials(), q.text, q.vars)
					if !kit.RequireOK(t, post) {
						t.Fatalf(kit.InTheRun("query"), "%s fails over POST already", q.what)
					}
					get := kit.GQLGet(t, a.Credentials(), q.text, q.vars)
					if kit.RequireOK(t, get) && kit.Canonical(get.Decoded()) != kit.Canonical(post.Decoded()) {
						// Values that change from one request to the next
						// (a last-used time) are told apart by a second POST.
						again := kit.GQL(t, a.Credentials(), q.text, q.vars)
						if where := stableDiff(post.Decoded(), get.Decoded(), again.Decoded(), "data"); where != "" {
							t.Errorf(kit.GQLPath(where), "GET answers other data than POST (which answers the same twice there):\n      GET  %s\n      POST %s", kit.Excerpt(get.Data), kit.Excerpt(post.Data))
						}
					}
					if t.ViolationCount() > n {
						t.Reword(n, func(v kit.Violation) string { return "over GET, " + q.what + ": " + v.Message })
						continue
					}
					t.DropExchanges()
				}
			})}
		},
	}
}

// stableDiff is the path of the first place where got differs from want
// and want does not differ from again (a second reading of want); "" when
// got differs only where want itself changes.
func stableDiff(want, got, again any, path string) string {
	if kit.Canonical(want) != kit.Canonical(again) {
		wm, ok1 := want.(map[string]any)
		gm, ok2 := got.(map[string]any)
		am, ok3 := again.(map[string]any)
		if ok1 && ok2 && ok3 {
			for _, k := range slices.Sorted(maps.Keys(wm)) {
				if d := stableDiff(wm[k], gm[k], am[k], path+"."+k); d != "" {
					return d
				}
			}
			if len(gm) != len(wm) {
				return path
			}
			return ""
		}
		wl, ok1 := want.([]any)
		gl, ok2 := got.([]any)
		al, ok3 := again.([]any)
		if ok1 && ok2 && ok3 && len(wl) == len(al) {
			if len(gl) != len(wl) {
				return path
			}
			for i := range wl {
				if d := stableDiff(wl[i], gl[i], al[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
					return d
				}
			}
			return ""
		}
		return "" // want changes here as a whole: nothing to compare
	}
	if kit.Canonical(want) != kit.Canonical(got) {
		return path
	}
	return ""
}
