package rest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Role is rest-role: each role of conform.yaml (roles) is refused, with the
// documented refusal (403, or 401 where the operation documents no 403:
// model.Operation.RefusalStatus), every operation it lists under refuse
// and every id it lists under refuseIds; it reads every operation under read and every id
// under readIds with the documented success answer. A read-only token
// reading every clients-v2 client fails here.
func (Catalog) Role() kit.Check {
	return kit.Check{
		Name:  "rest-role",
		Class: kit.ClassRoles,
		Proto: kit.REST,
		Phase: kit.PhaseAccess,
		Doc:   "each configured role is refused (403, or the documented 401) what it may not read and answered what it may",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for i, role := range a.Conf.Roles {
				for _, o := range a.Operations() {
					if o.Method != http.MethodGet {
						continue
					}
					refuseOp, readOp := slices.Contains(role.Refuse, o.ID()), slices.Contains(role.Read, o.ID())
					refuseIDs, readIDs := idsFor(o, role.RefuseIDs), idsFor(o, role.ReadIDs)
					if !refuseOp && !readOp && len(refuseIDs) == 0 && len(readIDs) == 0 {
						continue
					}
					var what []string
					if refuseOp || len(refuseIDs) > 0 {
						what = append(what, fmt.Sprintf("refused with %d", o.RefusalStatus())+idNote(refuseIDs, "outside its scope"))
					}
					if readOp || len(readIDs) > 0 {
						what = append(what, "answered"+idNote(readIDs, "in its scope"))
					}
					title := fmt.Sprintf("role %s: %s %s is %s", role.Label(i), o.Method, o.Path, strings.Join(what, ", "))
					out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
						if refuseOp {
							values := kit.PathValues(t, o, nil)
							roleRefused(t, o, role, i, values)
						}
						for _, values := range refuseIDs {
							roleRefused(t, o, role, i, values)
						}
						if readOp {
							values := kit.PathValues(t, o, nil)
							roleRead(t, o, role, i, values)
						}
						for _, values := range readIDs {
							roleRead(t, o, role, i, values)
						}
					}))
				}
			}
			return out
		},
	}
}

// idsFor lists the path values of o for each id given for one of its path
// parameters.
func idsFor(o model.Operation, ids map[string][]string) []map[string]string {
	var out []map[string]string
	for _, p := range o.PathParams() {
		for _, id := range ids[p] {
			out = append(out, map[string]string{p: id})
		}
	}
	return out
}

func idNote(ids []map[string]string, where string) string {
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" for %d ids %s", len(ids), where)
}

func roleRefused(t *kit.T, o model.Operation, role conform.Role, i int, values map[string]string) {
	values = kit.PathValues(t, o, values)
	resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: t.API().CredentialsAs(o, role.Token)})
	if resp.Status >= 200 && resp.Status < 300 {
		t.Errorf(kit.Status(), "role %s read %s %s (HTTP %d), which it must be refused: want %d", role.Label(i), o.Method, kit.Target(o, values), resp.Status, o.RefusalStatus())
		return
	}
	if kit.ExpectStatus(t, resp, o.RefusalStatus()) {
		kit.CheckContentType(t, o, resp)
		kit.ValidateResponse(t, o, values, resp)
	}
}

func roleRead(t *kit.T, o model.Operation, role conform.Role, i int, values map[string]string) {
	values = kit.PathValues(t, o, values)
	resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: t.API().CredentialsAs(o, role.Token)})
	want := o.SuccessStatus()
	if resp.Status != want {
		t.Errorf(kit.Status(), "role %s may read %s %s: want HTTP %d, got %d", role.Label(i), o.Method, kit.Target(o, values), want, resp.Status)
		return
	}
	kit.CheckContentType(t, o, resp)
	kit.ValidateResponse(t, o, values, resp)
}
