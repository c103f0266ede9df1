package conform

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// RESTRole: each role of conform.yaml (roles) is refused, with the
// documented 403, every operation it lists under refuse and every id it
// lists under refuseIds; it reads every operation under read and every id
// under readIds with the documented success answer. A read-only token
// reading every clients-v2 client fails here.
var RESTRole = &Check{
	Name:  "rest-role",
	Proto: "rest",
	Doc:   "each configured role is refused (403) what it may not read and answered what it may",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for i, role := range a.Conf.Roles {
			for _, o := range restOps(a) {
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
					what = append(what, "refused with 403"+idNote(refuseIDs, "outside its scope"))
				}
				if readOp || len(readIDs) > 0 {
					what = append(what, "answered"+idNote(readIDs, "in its scope"))
				}
				title := fmt.Sprintf("role %s: %s %s is %s", role.label(i), o.Method, o.Path, strings.Join(what, ", "))
				out = append(out, single(ch, a, o.ID(), title, func(t *T) {
					if refuseOp {
						values := roleValues(t, o, nil)
						roleRefused(t, o, role, i, values)
					}
					for _, values := range refuseIDs {
						roleRefused(t, o, role, i, values)
					}
					if readOp {
						values := roleValues(t, o, nil)
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

// idsFor lists the path values of o for each id given for one of its path
// parameters.
func idsFor(o restOp, ids map[string][]string) []map[string]string {
	var out []map[string]string
	for _, p := range o.pathParams() {
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

// roleValues fills the operation's path parameters from given, the
// configuration or a list operation; a parameter without a value skips.
func roleValues(t *T, o restOp, given map[string]string) map[string]string {
	values := map[string]string{}
	for _, p := range o.pathParams() {
		if v, ok := given[p]; ok {
			values[p] = v
			continue
		}
		v, why := paramID(t, p)
		if v == "" {
			t.Skip("%s", why)
		}
		values[p] = v
	}
	return values
}

func roleRefused(t *T, o restOp, role Role, i int, values map[string]string) {
	values = roleValues(t, o, values)
	resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: role.Token})
	if resp.Status >= 200 && resp.Status < 300 {
		t.Errorf("status", "role %s read %s %s (HTTP %d), which it must be refused: want 403", role.label(i), o.Method, o.fill(values), resp.Status)
		return
	}
	if expectStatus(t, resp, http.StatusForbidden) {
		checkContentType(t, o, resp)
		validateResponse(t, o, values, resp)
	}
}

func roleRead(t *T, o restOp, role Role, i int, values map[string]string) {
	values = roleValues(t, o, values)
	resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: role.Token})
	want := o.successStatus()
	if resp.Status != want {
		t.Errorf("status", "role %s may read %s %s: want HTTP %d, got %d", role.label(i), o.Method, o.fill(values), want, resp.Status)
		return
	}
	checkContentType(t, o, resp)
	validateResponse(t, o, values, resp)
}
