package rest

import (
	"fmt"
	"net/http"
	"net/url"

	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/kit"
)

// PropertyParams is rest-property-params: for every GET operation with
// query parameters or with several known ids for a path parameter, random
// valid combinations (path parameters drawn from the configured ids; each
// query parameter present or not; integers within the documented range,
// enum members, booleans, strings from the examples and from the records
// the operation returns) answer the documented success with a body valid
// against the schema. A failure is shrunk to the fewest, smallest
// parameters and printed as a curl line.
func (Catalog) PropertyParams() kit.Check {
	return kit.Check{
		Name:  "rest-property-params",
		Proto: kit.REST,
		Phase: kit.PhaseProperty,
		Doc:   "random valid query parameter combinations answer the documented success; failures shrunk to one curl line",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				params := o.QueryParams()
				manyIDs := false
				for _, p := range o.PathParams() {
					manyIDs = manyIDs || len(a.IDs(p)) > 1
				}
				if o.Method != http.MethodGet || (len(params) == 0 && !manyIDs) || o.SuccessStatus() == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s with random valid parameters (--examples %d) answers %d with a valid body", o.Method, o.Path, e.Config.Examples, o.SuccessStatus())
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					creds := kit.OpCredentials(t, o)
					values := kit.PathValues(t, o, nil)
					pools := kit.StringPools(t, a, o, values, params)
					t.DropExchanges()
					kit.RunProperty(t, func(rt *rapid.T, st *kit.T) string {
						values := kit.DrawPathValues(rt, a, o, values)
						q := url.Values{}
						for _, p := range params {
							kit.DrawQuery(rt, p, pools[p.Name], q)
						}
						kit.AddRequired(o, q) // one the generator cannot draw
						resp := st.Do(kit.Request{Method: o.Method, Path: o.Fill(values) + kit.QueryValues(q), Credentials: creds})
						if kit.ExpectStatus(st, resp, o.SuccessStatus()) {
							kit.CheckContentType(st, o, resp)
							kit.ValidateResponse(st, o, values, resp)
						}
						return fmt.Sprintf("%s with %d query parameters", o.Fill(values), len(q))
					})
				}))
			}
			return out
		},
	}
}
