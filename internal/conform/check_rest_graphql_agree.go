package conform

import (
	"fmt"
	"net/http"
	"strings"
)

// RESTGraphQLAgree: where a REST get operation and a GraphQL lookup read
// the same collection by the same field (manifest bindings, e.g.
// getCompany by id and account(id)), both answer the same record: every
// REST body field that the GraphQL type also has is equal.
var RESTGraphQLAgree = &Check{
	Name:  "rest-graphql-agree",
	Proto: "graphql",
	Doc:   "the REST record and the GraphQL record agree field by field",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.OpenAPI == nil || a.Manifest.REST == nil || a.Manifest.GraphQL == nil {
			return nil
		}
		var out []*Case
		ops := restOps(a)
		for _, opID := range sortedKeys(a.Manifest.REST.Operations) {
			rb := a.Manifest.REST.Operations[opID]
			if rb.Action != "get" || rb.Key == nil {
				continue
			}
			var op *restOp
			for i := range ops {
				if ops[i].ID() == opID {
					op = &ops[i]
				}
			}
			if op == nil {
				continue
			}
			for _, fname := range sortedKeys(a.Manifest.GraphQL.Fields[a.Schema.Query.Name]) {
				gb := a.Manifest.GraphQL.Fields[a.Schema.Query.Name][fname]
				if gb.Kind != "get" || gb.Collection != rb.Collection || gb.Field != rb.Key.Field {
					continue
				}
				o, fname, gb, rb := *op, fname, gb, rb
				title := fmt.Sprintf("%s %s and %s(%s:) answer the same record", o.Method, o.Path, fname, gb.Arg)
				out = append(out, single(ch, a, opID+" / "+fname, title, func(t *T) {
					f := a.Schema.Query.Fields.ForName(fname)
					typ := a.Schema.Types[f.Type.Name()]
					leaves := leafFields(a.Schema, typ)
					conn := ""
					for _, c := range connections(a.Schema) {
						if len(c.path) == 1 && connectionNodeType(a, c) == typ.Name {
							conn = c.path[0]
						}
					}
					if conn == "" {
						t.Skip("no root connection lists %s", typ.Name)
					}
					r := gql(t, a.Conf.Token, fmt.Sprintf("{ %s(first: 3) { nodes { %s } } }", conn, strings.Join(leaves, " ")), nil)
					if !requireOK(t, r) {
						t.FailNow()
					}
					nodes, _ := at(r.decoded(), conn, "nodes").([]any)
					for i, n := range nodes {
						node := n.(map[string]any)
						key, ok := node[rb.Key.Field].(string)
						if !ok || key == "" {
							continue
						}
						resp := t.Do(Request{Method: o.Method, Path: o.fill(map[string]string{rb.Key.Param: key}), Token: a.Conf.Token})
						if !expectStatus(t, resp, http.StatusOK) {
							continue
						}
						v, err := decodeJSON(resp.Body)
						body, _ := v.(map[string]any)
						if err != nil || body == nil {
							t.Errorf("", "the REST body is not a JSON object")
							continue
						}
						for _, k := range sortedKeys(body) {
							if !contains(leaves, k) {
								continue
							}
							if canonical(body[k]) != canonical(node[k]) {
								t.Errorf(Pointer([]string{k}), "REST %s has %s, GraphQL %s.nodes[%d].%s has %s", o.fill(map[string]string{rb.Key.Param: key}), canonical(body[k]), conn, i, k, canonical(node[k]))
							}
						}
						t.exchanges = t.exchanges[:0]
					}
				}))
			}
		}
		return out
	},
}
