package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// CRUDChains is rest-crud-chains, the stateful phase: for each record
// life the contract implies without configuration (model.CRUDChains: a
// POST to a collection, the GET its answer links to or the GET of the
// collection's item path, and the PUT, PATCH and DELETE of that path),
// the record is created with a valid body (an example when the contract
// has one), its id read from the creation's link, its Location header or
// its body, read back (the record asked for, holding what was sent),
// replaced and read, changed and read, deleted, and read once more: 404.
// Each step's answer is a documented success with a valid body; a step
// that fails skips the rest.
func (Catalog) CRUDChains() kit.Check {
	return kit.Check{
		Name:        "rest-crud-chains",
		Proto:       kit.REST,
		Phase:       kit.PhaseBehaviour,
		Destructive: true,
		Doc:         "create, read, replace, update, delete and read again each record the contract lets a client make",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, c := range a.CRUDChains() {
				out = append(out, chainCase(ch, a, c))
			}
			return out
		},
	}
}

// chainState is what the steps of one chain pass on.
type chainState struct {
	values map[string]string // the read's path values, the id included
	id     string
	from   string         // where the creation's answer gave the id
	sent   map[string]any // each writing step's body, by step
}

// need skips a step when the creation made no record (it was skipped).
func (st *chainState) need(t *kit.T) {
	if st.id == "" {
		t.Skip("no record to work on: the creation did not make one")
	}
}

// chainCase is one chain's case: a step per operation of the life.
func chainCase(ch *kit.Check, a *kit.API, c model.CRUDChain) *kit.Case {
	st := &chainState{sent: map[string]any{}}
	readPath := func() string { return kit.Target(c.Read, st.values) }
	steps := []kit.Step{{
		Name: fmt.Sprintf("create: %s %s answers a documented success with the new record's id", c.Create.Method, c.Create.Path),
		Run: func(t *kit.T) {
			st.values, st.id, st.from, st.sent["create"] = createRecord(t, c)
		},
	}, {
		Name: fmt.Sprintf("read: %s %s answers the record created, holding what was sent", c.Read.Method, c.Read.Path),
		Run: func(t *kit.T) {
			st.need(t)
			readBack(t, c, st, "create", "the creation (id from "+st.from+")")
		},
	}}
	for i, w := range []*model.Operation{c.Replace, c.Update} {
		if w == nil {
			continue
		}
		verb := map[int]string{0: "replace", 1: "update"}[i]
		steps = append(steps, kit.Step{
			Name: fmt.Sprintf("%s: %s %s answers a documented success", verb, w.Method, w.Path),
			Run: func(t *kit.T) {
				st.need(t)
				if why := kit.WritableBody(*w); why != "" {
					t.Skip("%s", why)
				}
				creds := kit.OpCredentials(t, *w)
				r := kit.Request{Method: w.Method, Path: kit.Target(*w, st.values), Credentials: creds}
				var sent any
				if kit.HasBody(*w) {
					b, ok := kit.BodyFor(*w, i+1)
					if !ok {
						t.Skip("no valid request body of %s %s can be generated from its schema", w.Method, w.Path)
					}
					r.Body, sent = b.Payload, b.Value
				}
				resp := t.Do(r)
				if !kit.CheckAccepted(t, *w, st.values, resp, fmt.Sprintf("the %s of %s %q", verb, c.Param, st.id)) {
					t.FailNow()
				}
				st.sent[verb] = sent
			},
		}, kit.Step{
			Name: fmt.Sprintf("read after the %s: %s %s holds what was sent", verb, c.Read.Method, c.Read.Path),
			Run: func(t *kit.T) {
				st.need(t)
				readBack(t, c, st, verb, "the "+verb)
			},
		})
	}
	if d := c.Delete; d != nil {
		steps = append(steps, kit.Step{
			Name: fmt.Sprintf("delete: %s %s answers a documented success", d.Method, d.Path),
			Run: func(t *kit.T) {
				st.need(t)
				creds := kit.OpCredentials(t, *d)
				resp := t.Do(kit.Request{Method: d.Method, Path: kit.Target(*d, st.values), Credentials: creds})
				kit.CheckAccepted(t, *d, st.values, resp, fmt.Sprintf("the delete of %s %q", c.Param, st.id))
			},
		}, kit.Step{
			Name: fmt.Sprintf("read after the delete: %s %s answers 404", c.Read.Method, c.Read.Path),
			Run: func(t *kit.T) {
				st.need(t)
				creds := kit.OpCredentials(t, c.Read)
				resp := t.Do(kit.Request{Method: c.Read.Method, Path: readPath(), Credentials: creds})
				what := fmt.Sprintf("the deleted %s %q", c.Param, st.id)
				switch {
				case kit.CheckServerError(t, resp, what):
				case resp.Status >= 200 && resp.Status < 300:
					t.Errorf(kit.Status(), "want HTTP 404 for %s, got %d: the record is still there after its delete answered success", what, resp.Status)
				case resp.Status == http.StatusGone && !c.Read.Documents(http.StatusNotFound):
				default:
					if kit.ExpectStatus(t, resp, http.StatusNotFound) {
						kit.ValidateResponse(t, c.Read, st.values, resp)
					} else {
						t.Reword(t.ViolationCount()-1, func(v kit.Violation) string { return v.Message + " for " + what })
					}
				}
			},
		})
	}
	return &kit.Case{Check: ch, API: a, Operation: c.Create.ID(), Title: "the life of a record: " + c.Title(), Steps: steps}
}

// createRecord runs a chain's creation with a valid body and returns the
// read's path values (the creation's own and the new id), the id, where
// the answer gave it and the body sent; a creation that fails, or whose
// answer gives no id, fails the step.
func createRecord(t *kit.T, c model.CRUDChain) (map[string]string, string, string, any) {
	if why := kit.WritableBody(c.Create); why != "" {
		t.Skip("%s", why)
	}
	creds := kit.OpCredentials(t, c.Create)
	values := kit.PathValues(t, c.Create, nil)
	r := kit.Request{Method: c.Create.Method, Path: kit.Target(c.Create, values), Credentials: creds}
	var sent any
	what := "the creation"
	if kit.HasBody(c.Create) {
		b, ok := kit.BodyFor(c.Create, 0)
		if !ok {
			t.Skip("no valid request body of %s %s can be generated from its schema", c.Create.Method, c.Create.Path)
		}
		r.Body, sent, what = b.Payload, b.Value, "the creation with "+b.What
	}
	t.DropExchanges()
	resp := t.Do(r)
	if key, taken := keyTaken(t, t.API(), c.Create, values, resp, sent); taken {
		t.Skip("%s names %s %q, which the server holds already (its read answers it): the chain needs a new record", what, c.Field, key)
	}
	if !kit.CheckAccepted(t, c.Create, values, resp, what) {
		t.FailNow()
	}
	id, from, ok := kit.CreatedID(c, values, sent, resp)
	if !ok {
		t.Fatalf(kit.Body(""), "%s", kit.NoIDFound(c))
	}
	out := map[string]string{c.Param: id}
	for _, p := range c.Read.PathParams() {
		if p != c.Param {
			out[p] = values[p]
		}
	}
	return out, id, from, sent
}

// readBack reads the chain's record: a documented success, the record
// asked for, holding the scalar fields the step sent (after says which).
func readBack(t *kit.T, c model.CRUDChain, st *chainState, step, after string) {
	values, id, sent := st.values, st.id, st.sent[step]
	creds := kit.OpCredentials(t, c.Read)
	resp := t.Do(kit.Request{Method: c.Read.Method, Path: kit.Target(c.Read, values), Credentials: creds})
	if !kit.CheckAccepted(t, c.Read, values, resp, fmt.Sprintf("the read of %s %q after %s", c.Param, id, after)) {
		t.FailNow()
	}
	body, err := kit.DecodeJSON(resp.Body)
	if err != nil {
		return
	}
	rec := kit.RecordIn(body, c.Field)
	if c.Field != "" && rec != nil {
		if got := kit.KeyOf(rec, c.Field); got != id {
			t.Errorf(kit.Body("/"+c.Field), "asked for %s %q after %s, got another record (%s %s)", c.Param, id, after, c.Field, got)
			return
		}
	}
	kit.CompareSent(t, c.Read, sent, rec, after)
}
