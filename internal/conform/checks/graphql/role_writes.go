package graphql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// RoleWrites is graphql-role-writes: each mutation a role of conform.yaml
// lists under refuse (Mutation.deleteAccount) is refused to it: null at
// the field with a FORBIDDEN error (the API's 403 code), HTTP 200 or 403;
// and, for a mutation bound to records (model.Writes), on a record it
// could change, the refused write changed nothing: every read of the
// record (lookups, connections, REST reads and lists, with the valid
// token) answers after it what it answered before. A mutation bound to
// no records is sent with its arguments from ids (the refusal judged, no
// read-back). Destructive: a target that wrongly does the write changes
// data.
func (Catalog) RoleWrites() kit.Check {
	return kit.Check{
		Name:        "graphql-role-writes",
		Proto:       kit.GraphQL,
		Phase:       kit.PhaseAccess,
		Class:       kit.ClassRoles,
		Destructive: true,
		Doc:         "each configured role is refused (null, FORBIDDEN) the mutations it lists, and a refused write changes nothing read back",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Mutation == nil {
				return nil
			}
			writes := map[string]model.Write{}
			for _, w := range a.Writes() {
				writes[w.Mutation.Name] = w
			}
			var out []*kit.Case
			for i, role := range a.Conf.Roles {
				for _, n := range role.Refuse {
					typeName, field, ok := strings.Cut(n, ".")
					def := a.Schema.Mutation.Fields.ForName(field)
					if !ok || typeName != a.Schema.Mutation.Name || def == nil {
						continue
					}
					w, bound := writes[field]
					title := fmt.Sprintf("role %s: %s is refused (null, %s)", role.Label(i), n, a.GraphQLErrorCode(http.StatusForbidden))
					if bound {
						title += " and changes nothing, read back"
					}
					out = append(out, kit.Single(ch, a, n, title, func(t *kit.T) {
						if bound {
							roleWriteBound(t, a, role, i, w)
						} else {
							roleWriteUnbound(t, a, role, i, n)
						}
					}))
				}
			}
			return out
		},
	}
}

// roleWriteRefused judges the answer to a role's write: not done, null
// at the field, the API's FORBIDDEN error there.
func roleWriteRefused(t *kit.T, a *kit.API, role conform.Role, i int, field string, r kit.GQLResult) {
	if r.HTTP.Status != http.StatusOK && r.HTTP.Status != http.StatusForbidden {
		t.Errorf(kit.Status(), "want HTTP 200 with a field error (or 403), got %d", r.HTTP.Status)
	}
	if v := kit.At(r.Decoded(), field); v != nil {
		t.Errorf(kit.GQLPath("data."+field), "role %s did %s.%s, which it must be refused: want null, got %s", role.Label(i), a.Schema.Mutation.Name, field, kit.Excerpt([]byte(kit.Canonical(v))))
	}
	kit.CheckErrorShape(t, r, a.GraphQLErrorCode(http.StatusForbidden), []any{field})
}

func roleWriteBound(t *kit.T, a *kit.API, role conform.Role, i int, w model.Write) {
	rec := pickTarget(t, a, w)
	id := rec[w.Field]
	rb := newReadBack(a, w)
	before := rb.look(t, w, rec)
	t.DropExchanges()
	r := kit.GQL(t, a.CredentialsOf(role.Token), mutationText(a, w), map[string]any{"id": id})
	roleWriteRefused(t, a, role, i, w.Mutation.Name, r)
	n := t.ExchangeCount()
	after := rb.look(t, w, rec)
	expectUnchanged(t, fmt.Sprintf("after role %s's refused %s of %s", role.Label(i), w.Mutation.Name, kit.Canonical(id)), before, after)
	if !t.Failed() {
		t.DropExchanges()
	} else {
		t.KeepExchanges(n)
	}
}

func roleWriteUnbound(t *kit.T, a *kit.API, role conform.Role, i int, coord string) {
	_, field, _ := strings.Cut(coord, ".")
	def := a.Schema.Mutation.Fields.ForName(field)
	args, ok := kit.ArgsFor(def, a.Conf.FirstIDs())
	if !ok {
		t.Skip("%s needs argument values: set them in ids (conform.yaml) by argument name", coord)
	}
	sel := ""
	if payload := a.Schema.Types[def.Type.Name()]; payload != nil && payload.Kind != ast.Scalar && payload.Kind != ast.Enum {
		sel = " { __typename }"
	}
	r := kit.GQL(t, a.CredentialsOf(role.Token), fmt.Sprintf("mutation { %s%s%s }", field, args, sel), nil)
	roleWriteRefused(t, a, role, i, field, r)
}
