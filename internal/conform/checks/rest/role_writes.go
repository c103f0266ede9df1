package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

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
// valid and would change the record (roleWriteBody). Destructive: a
// target that wrongly does the write changes data.
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

// roleWriteBody is the body of a role's write: a valid one, that would
// change the record were the write done. It starts from the operation's
// JSON example, else the record read before (on the request schema's
// properties), else the schema's required properties; then one string
// property changes (another enum member, or the value with a suffix). nil
// when the operation takes no body.
func roleWriteBody(o model.Operation, current any) *kit.Payload {
	rb := o.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return kit.JSON([]byte("{}"))
	}
	s := mt.Schema.Value
	body := map[string]any{}
	switch ex := mt.Example.(type) {
	case map[string]any:
		maps.Copy(body, ex)
	default:
		if cur, ok := current.(map[string]any); ok {
			for name := range s.Properties {
				if v, ok := cur[name]; ok && v != nil {
					body[name] = v
				}
			}
		}
		for _, name := range s.Required {
			if _, ok := body[name]; !ok {
				body[name] = sampleValue(s.Properties[name])
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		if p == nil || p.Value == nil || !p.Value.Type.Is("string") || p.Value.Format != "" || p.Value.Pattern != "" {
			continue
		}
		cur, _ := body[name].(string)
		if len(p.Value.Enum) > 1 {
			for _, e := range p.Value.Enum {
				if e != cur {
					body[name] = e
					break
				}
			}
		} else if len(p.Value.Enum) == 0 {
			body[name] = cur + "-role-write"
			if cur == "" {
				body[name] = "role-write"
			}
		}
		break
	}
	b, _ := json.Marshal(body)
	return kit.JSON(b)
}

// sampleValue is a value valid for a simple schema: its example, default
// or first enum member, else one of its type.
func sampleValue(ref *openapi3.SchemaRef) any {
	if ref == nil || ref.Value == nil {
		return "x"
	}
	s := ref.Value
	switch {
	case s.Example != nil:
		return s.Example
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Type.Is("integer"), s.Type.Is("number"):
		if s.Min != nil {
			return *s.Min
		}
		return 1
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("array"):
		return []any{}
	case s.Type.Is("object"):
		return map[string]any{}
	}
	return "role-write"
}

func restRoleWrite(t *kit.T, a *kit.API, role conform.Role, i int, o model.Operation) {
	values := kit.PathValues(t, o, nil)
	path := kit.Target(o, values)
	read, ok := readOf(a, o)
	var before kit.Response
	var current any
	if ok {
		before = t.Do(kit.Request{Method: http.MethodGet, Path: path, Credentials: a.Credentials()})
		current, _ = kit.DecodeJSON(before.Body)
	}
	t.DropExchanges()
	resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(role.Token), Body: roleWriteBody(o, current)})
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
