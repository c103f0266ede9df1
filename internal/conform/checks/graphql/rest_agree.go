package graphql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// RESTAgree is rest-graphql-agree: where a REST get operation and a GraphQL
// lookup read the same collection by the same field (model.RecordPairs,
// from the hints: getCompany by id and account(id)), both answer the same
// record: for every node of the root connection listing the type (up to
// --max-records), every REST body field that the GraphQL type also has is
// equal; another record is said once, differing fields in one violation.
func (Catalog) RESTAgree() kit.Check {
	return kit.Check{
		Name:  "rest-graphql-agree",
		Class: kit.ClassRecords,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "the REST record and the GraphQL record agree field by field",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, pair := range a.RecordPairs() {
				o, fname := pair.Operation, pair.Lookup
				title := fmt.Sprintf("%s %s and %s(%s:) answer the same record", o.Method, o.Path, fname, pair.Arg)
				out = append(out, kit.Single(ch, a, o.ID()+" / "+fname, title, func(t *kit.T) {
					f := a.Schema.Query.Fields.ForName(fname)
					typ := a.Schema.Types[f.Type.Name()]
					leaves := model.LeafFields(a.Schema, typ)
					var conn *model.Connection
					for _, c := range a.Connections() {
						if len(c.Path) == 1 && c.NodeType.Name == typ.Name {
							conn = &c
						}
					}
					if conn == nil {
						t.Skip("no root connection lists %s", typ.Name)
					}
					nodes, _ := kit.WalkForward(t, *conn, nil, "{ "+strings.Join(leaves, " ")+" }", conn.MaxPageSize(), t.Env().Config.MaxRecords, nil)
					t.DropExchanges()
					for i, node := range nodes {
						key, ok := node[pair.Field].(string)
						if !ok || key == "" {
							continue
						}
						before := t.ViolationCount()
						resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(map[string]string{pair.Param: key}), Credentials: a.Credentials()})
						if kit.ExpectStatus(t, resp, http.StatusOK) {
							v, err := kit.DecodeJSON(resp.Body)
							body, _ := v.(map[string]any)
							if err != nil || body == nil {
								t.Errorf(kit.Body(""), "the REST body is not a JSON object")
							} else {
								rest := map[string]any{}
								for _, k := range leaves {
									if x, ok := body[k]; ok {
										rest[k] = x
									}
								}
								kit.CompareRecord(t, kit.Body(""), pair.Field, key, fmt.Sprintf("GraphQL %s node %d", conn.Name(), i), node, rest)
							}
						}
						if t.ViolationCount() == before {
							t.DropExchanges()
						}
					}
				}))
			}
			return out
		},
	}
}
