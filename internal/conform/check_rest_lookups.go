package conform

import (
	"fmt"
	"net/http"
	"strings"
)

// RESTLookups: every get-by-id operation answers, for every configured id
// of its path parameter and every id found by walking the list operations
// whose records have the same schema, the documented success with a valid
// body, the record asked for (one violation when it is another record),
// and the same record the list shows.
var RESTLookups = &Check{
	Name:  "rest-lookups",
	Proto: "rest",
	Doc:   "every configured and every listed id answers its own record, valid, equal to the list's",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			params := o.pathParams()
			if o.Method != http.MethodGet || len(params) != 1 || o.successStatus() == 0 {
				continue
			}
			param := params[0]
			title := fmt.Sprintf("GET %s for every known %s answers that record", o.Path, param)
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				type target struct {
					id    string
					field string         // the record field the id is
					list  map[string]any // the list's record, when found there
					from  string
				}
				var targets []target
				seen := map[string]bool{}
				body := successSchema(o)
				for _, id := range t.api.IDs(param) {
					if !seen[id] {
						seen[id] = true
						targets = append(targets, target{id: id, from: "ids." + param + " in the configuration"})
					}
				}
				for _, l := range restLists(t.api) {
					if body == nil || l.item.Ref == "" || l.item.Ref != body.Ref {
						continue
					}
					field := ""
					for _, c := range candidateFields(param) {
						if l.item.Value.Properties[c] != nil {
							field = c
							break
						}
					}
					if field == "" {
						continue
					}
					_, recs := restWalk(t, l, bigSize(l), t.env.Config.MaxRecords, nil, false)
					for _, r := range recs {
						id := keyOf(r.rec, field)
						if r.rec[field] == nil {
							continue
						}
						for i := range targets {
							if targets[i].id == id && targets[i].list == nil {
								targets[i].field, targets[i].list = field, r.rec
							}
						}
						if !seen[id] {
							seen[id] = true
							targets = append(targets, target{id: id, field: field, list: r.rec,
								from: fmt.Sprintf("record %d of page %d of GET %s", r.pos, r.page, l.op.Path)})
						}
					}
				}
				t.exchanges = t.exchanges[:0]
				if len(targets) == 0 {
					t.Skip("no id for %s: none configured (ids.%s in conform.yaml) and no list operation has records of this schema", param, param)
				}
				for _, tg := range targets {
					values := map[string]string{param: tg.id}
					before := len(t.violations)
					resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: t.api.Conf.Token})
					if !expectStatus(t, resp, o.successStatus()) {
						t.violations[len(t.violations)-1].Message += fmt.Sprintf(" for %s %q (from %s)", param, tg.id, tg.from)
						continue
					}
					checkContentType(t, o, resp)
					validateResponse(t, o, values, resp)
					v, err := decodeJSON(resp.Body)
					got, _ := v.(map[string]any)
					if err != nil || got == nil {
						continue
					}
					field := tg.field
					if field == "" {
						for _, c := range candidateFields(param) {
							if _, ok := got[c]; ok {
								field = c
								break
							}
						}
					}
					if field != "" && keyOf(got, field) != tg.id {
						t.Errorf("/"+field, "asked for %s %q, got another record (%s %s)", param, tg.id, field, keyOf(got, field))
						continue
					}
					if tg.list != nil {
						if diff := diffKeys(tg.list, got); len(diff) > 0 {
							t.Errorf("", "the record of %s %q differs from the list's (%s) in %s", param, tg.id, tg.from, strings.Join(diff, ", "))
						}
					}
					if len(t.violations) == before {
						t.exchanges = t.exchanges[:len(t.exchanges)-1]
					}
				}
			}))
		}
		return out
	},
}

// diffKeys lists the keys whose values differ between two records, each
// with both values.
func diffKeys(want, got map[string]any) []string {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var out []string
	for _, k := range sortedKeys(keys) {
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case !gok:
			out = append(out, fmt.Sprintf("%s (missing, want %s)", k, canonical(w)))
		case !wok:
			out = append(out, fmt.Sprintf("%s (%s, not in the other)", k, canonical(g)))
		case canonical(w) != canonical(g):
			out = append(out, fmt.Sprintf("%s (want %s, got %s)", k, canonical(w), canonical(g)))
		}
	}
	return out
}
