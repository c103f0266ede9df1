package rest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Lookups is rest-lookups: every get-by-id operation answers, for every
// configured id of its path parameter and every id found by walking the
// list operations whose records have the same schema (or the list at the
// collection path of the item path), the documented
// success with a valid body, the record asked for (one violation when it is
// another record), and the same record the list shows.
func (Catalog) Lookups() kit.Check {
	return kit.Check{
		Name:  "rest-lookups",
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Doc:   "every configured and every listed id answers its own record, valid, equal to the list's",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				params := o.PathParams()
				if o.Method != http.MethodGet || len(params) != 1 || o.SuccessStatus() == 0 {
					continue
				}
				param := params[0]
				if answersList(o, param) {
					continue // GET /fields/{collection}: the fields of one collection, no record
				}
				title := fmt.Sprintf("GET %s for every known %s answers that record", o.Path, param)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					creds := kit.OpCredentials(t, o)
					type target struct {
						id    string
						field string         // the record field the id is
						list  map[string]any // the list's record, when found there
						from  string
						// partial: the list's records have another
						// schema (a summary): only the fields both
						// have are compared
						partial bool
					}
					var targets []target
					seen := map[string]bool{}
					body := o.SuccessSchema()
					for _, id := range t.API().IDs(param) {
						if !seen[id] {
							seen[id] = true
							targets = append(targets, target{id: id, from: "ids." + param + " in the configuration"})
						}
					}
					for _, l := range t.API().Lists() {
						sameSchema := body != nil && l.Item.Ref != "" && l.Item.Ref == body.Ref
						itemPath := strings.TrimRight(l.Op.Path, "/")+"/{"+param+"}" == o.Path
						if !sameSchema && !itemPath {
							continue
						}
						field := model.ParamField(param, model.ObjectOf(l.Item.Value))
						if field == "" {
							continue
						}
						_, recs := kit.WalkList(t, l, l.BigSize(), t.Env().Config.MaxRecords, nil, false)
						for _, r := range recs {
							id := kit.KeyOf(r.Rec, field)
							if r.Rec[field] == nil {
								continue
							}
							for i := range targets {
								if targets[i].id == id && targets[i].list == nil {
									targets[i].field, targets[i].list, targets[i].partial = field, r.Rec, !sameSchema
								}
							}
							if !seen[id] {
								seen[id] = true
								targets = append(targets, target{id: id, field: field, list: r.Rec, partial: !sameSchema,
									from: fmt.Sprintf("record %d of page %d of GET %s", r.Pos, r.Page, l.Op.Path)})
							}
						}
					}
					t.DropExchanges()
					if len(targets) == 0 {
						t.Skip("no id for %s: none configured (ids.%s in conform.yaml) and no list operation has records of this schema", param, param)
					}
					for _, tg := range targets {
						values := map[string]string{param: tg.id}
						before := t.ViolationCount()
						resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds})
						if !kit.ExpectStatus(t, resp, o.SuccessStatus()) {
							t.Reword(t.ViolationCount()-1, func(v kit.Violation) string {
								return v.Message + fmt.Sprintf(" for %s %q (from %s)", param, tg.id, tg.from)
							})
							continue
						}
						kit.CheckContentType(t, o, resp)
						kit.ValidateResponse(t, o, values, resp)
						v, err := kit.DecodeJSON(resp.Body)
						if err != nil {
							continue
						}
						// the record, or the envelope member holding it
						// (Directus: {"data": {...}})
						field := tg.field
						got := kit.RecordIn(v, field)
						if field == "" {
							for _, c := range model.ParamFields(param) {
								if rec := kit.RecordIn(v, c); rec != nil {
									if _, ok := rec[c]; ok {
										field, got = c, rec
										break
									}
								}
							}
						}
						if got == nil {
							continue
						}
						if field != "" && kit.KeyOf(got, field) != tg.id {
							t.Errorf(kit.Body("/"+field), "asked for %s %q, got another record (%s %s)", param, tg.id, field, kit.KeyOf(got, field))
							continue
						}
						if tg.list != nil {
							if diff := diffKeys(tg.list, got, tg.partial); len(diff) > 0 {
								t.Errorf(kit.Body(""), "the record of %s %q differs from the list's (%s) in %s", param, tg.id, tg.from, strings.Join(diff, ", "))
							}
						}
						if t.ViolationCount() == before {
							t.DropLastExchange()
						}
					}
				}))
			}
			return out
		},
	}
}

// answersList reports whether the operation answers a list rather than
// the record its parameter names: its success is an array, or an envelope
// whose records array (model.RecordArray) sits beside no field the
// parameter names, at the top or one object down (Directus' GET
// /fields/{collection} answers {"data": [field, ...]}).
func answersList(o model.Operation, param string) bool {
	body := o.SuccessSchema()
	if body == nil || body.Value == nil {
		return false
	}
	if body.Value.Type.Is("array") {
		return true
	}
	name, item := model.RecordArray(body)
	if name == "" || item == nil {
		return false
	}
	env := model.ObjectOf(body.Value)
	for _, c := range model.ParamFields(param) {
		if env.Has(c) {
			return false
		}
		for _, p := range env.Properties {
			if p != nil && p.Value != nil && model.IsObject(p.Value) && model.ObjectOf(p.Value).Has(c) {
				return false
			}
		}
	}
	return true
}

// diffKeys lists the keys whose values differ between two records, each
// with both values (partial: only the keys both have).
func diffKeys(want, got map[string]any, partial bool) []string {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		w, wok := want[k]
		g, gok := got[k]
		if partial && (!wok || !gok) {
			continue
		}
		switch {
		case !gok:
			out = append(out, fmt.Sprintf("%s (missing, want %s)", k, kit.Canonical(w)))
		case !wok:
			out = append(out, fmt.Sprintf("%s (%s, not in the other)", k, kit.Canonical(g)))
		case kit.Canonical(w) != kit.Canonical(g):
			out = append(out, fmt.Sprintf("%s (want %s, got %s)", k, kit.Canonical(w), kit.Canonical(g)))
		}
	}
	return out
}
