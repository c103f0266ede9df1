package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// RoleWrites is rest-role-writes: each REST write (POST, PUT, PATCH,
// DELETE) a role of conform.yaml lists under refuse is refused to it with
// the documented refusal (403, or 401 where the operation documents no
// 403) and a body valid for that status; and the refused write changed
// nothing: the GET of the same path (the record, or the collection for a
// create) answers after it what it answered before. The request body is
// the operation's JSON example, else {}. Destructive: a target that
// wrongly does the write changes data.
func (Catalog) RoleWrites() kit.Check {
	return kit.Check{
		Name:        "rest-role-writes",
		Proto:       kit.REST,
		Phase:       kit.PhaseAccess,
		Class:       kit.ClassRoles,
		Destructive: true,
		Doc:         "each configured role is refused (403, or the documented 401) the REST writes it lists, and a refused write changes nothing read back",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for i, role := range a.Conf.Roles {
				for _, o := range a.Operations() {
					if o.Method == http.MethodGet || o.Method == http.MethodHead || o.Method == http.MethodOptions || !slices.Contains(role.Refuse, o.ID()) {
						continue
					}
					title := fmt.Sprintf("role %s: %s %s is refused with %d and changes nothing, read back", role.Label(i), o.Method, o.Path, o.RefusalStatus())
					out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) { restRoleWrite(t, a, role, i, o) }))
				}
			}
			return out
		},
	}
}

// readOf is the GET operation of the same path as o, if any.
func readOf(a *kit.API, o model.Operation) (model.Operation, bool) {
	for _, r := range a.Operations() {
		if r.Method == http.MethodGet && r.Path == o.Path {
			return r, true
		}
	}
	return model.Operation{}, false
}

// exampleBody is the operation's JSON request body example ({} when it
// documents none; nil when it takes no body).
func exampleBody(o model.Operation) *kit.Payload {
	rb := o.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil {
		return kit.JSON([]byte("{}"))
	}
	var ex any
	switch {
	case mt.Example != nil:
		ex = mt.Example
	case len(mt.Examples) > 0:
		for _, e := range mt.Examples {
			if e != nil && e.Value != nil {
				ex = e.Value.Value
				break
			}
		}
	case mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil:
		ex = mt.Schema.Value.Example
	}
	if ex == nil {
		return kit.JSON([]byte("{}"))
	}
	b, _ := json.Marshal(ex)
	return kit.JSON(b)
}

func restRoleWrite(t *kit.T, a *kit.API, role conform.Role, i int, o model.Operation) {
	values := kit.PathValues(t, o, nil)
	path := o.Fill(values)
	read, ok := readOf(a, o)
	var before kit.Response
	if ok {
		before = t.Do(kit.Request{Method: http.MethodGet, Path: path, Credentials: a.Credentials()})
	}
	t.DropExchanges()
	resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(role.Token), Body: exampleBody(o)})
	want := o.RefusalStatus()
	if resp.Status >= 200 && resp.Status < 300 {
		t.Errorf(kit.Status(), "role %s did %s %s (HTTP %d), which it must be refused: want %d", role.Label(i), o.Method, path, resp.Status, want)
	} else if kit.ExpectStatus(t, resp, want) {
		kit.CheckContentType(t, o, resp)
		kit.ValidateResponse(t, o, values, resp)
	}
	if !ok {
		return // no read of the same path: the refusal alone is judged
	}
	n := t.ExchangeCount()
	after := t.Do(kit.Request{Method: http.MethodGet, Path: path, Credentials: a.Credentials()})
	switch {
	case after.Status != before.Status:
		t.Errorf(kit.Status(), "after role %s's refused %s %s, GET %s answers %d, %d before", role.Label(i), o.Method, path, path, after.Status, before.Status)
	case !sameJSON(before.Body, after.Body):
		t.Errorf(kit.Body(""), "after role %s's refused %s %s, GET %s (%s) answers another body than before: the refused write changed the record", role.Label(i), o.Method, path, path, read.ID())
	}
	if !t.Failed() {
		t.DropExchanges()
	} else {
		t.KeepExchanges(n + 1)
	}
}

// sameJSON compares two bodies as JSON values (as bytes when either is
// not JSON).
func sameJSON(a, b []byte) bool {
	x, errA := kit.DecodeJSON(a)
	y, errB := kit.DecodeJSON(b)
	if errA != nil || errB != nil {
		return bytes.Equal(a, b)
	}
	return kit.Canonical(x) == kit.Canonical(y)
}
