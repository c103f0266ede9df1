package conform

import (
	"fmt"
	"net/http"
	"strings"
)

// RESTGraphQLAgree: where a REST get operation and a GraphQL lookup read
// the same collection by the same field (manifest bindings, e.g.
// getCompany by id and account(id)), both answer the same record: for
// every node of the root connection listing the type (up to
// --max-records), every REST body field that the GraphQL type also has is
// equal; another record is said once, differing fields in one violation.
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
					var conn *connInfo
					for _, c := range connInfos(a) {
						if len(c.path) == 1 && c.nodeType.Name == typ.Name {
							conn = &c
						}
					}
					if conn == nil {
						t.Skip("no root connection lists %s", typ.Name)
					}
					nodes, _ := walkForward(t, *conn, nil, "{ "+strings.Join(leaves, " ")+" }", conn.maxPageSize(), t.env.Config.MaxRecords, nil)
					t.exchanges = t.exchanges[:0]
					for i, node := range nodes {
						key, ok := node[rb.Key.Field].(string)
						if !ok || key == "" {
							continue
						}
						before := len(t.violations)
						resp := t.Do(Request{Method: o.Method, Path: o.fill(map[string]string{rb.Key.Param: key}), Token: a.Conf.Token})
						if expectStatus(t, resp, http.StatusOK) {
							v, err := decodeJSON(resp.Body)
							body, _ := v.(map[string]any)
							if err != nil || body == nil {
								t.Errorf("", "the REST body is not a JSON object")
							} else {
								rest := map[string]any{}
								for _, k := range leaves {
									if x, ok := body[k]; ok {
										rest[k] = x
									}
								}
								compareRecord(t, "", rb.Key.Field, key, fmt.Sprintf("GraphQL %s node %d", conn.name(), i), node, rest)
							}
						}
						if len(t.violations) == before {
							t.exchanges = t.exchanges[:0]
						}
					}
				}))
			}
		}
		return out
	},
}
