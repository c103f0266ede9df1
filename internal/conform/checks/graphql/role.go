package graphql

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Role is graphql-role: each role of conform.yaml (roles) asking for a
// field it lists under refuse (Type.field, e.g. Query.accounts) gets null
// there with a FORBIDDEN error at the field's path; a field under read
// answers data valid for the selection set, without errors. refuseIds and
// readIds keyed by an argument name (id) do the same for the root fields
// taking that argument. Marketplace's READ rule is exercised with a token
// without READ.
func (Catalog) Role() kit.Check {
	return kit.Check{
		Name:  "graphql-role",
		Class: kit.ClassRoles,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAccess,
		Doc:   "each configured role gets FORBIDDEN for the fields it may not read and data for those it may",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			var out []*kit.Case
			for i, role := range a.Conf.Roles {
				for _, f := range roleFields(a, role.Refuse, role.RefuseIDs) {
					title := fmt.Sprintf("role %s: %s is null with a FORBIDDEN error%s", role.Label(i), f.coord, f.note())
					out = append(out, kit.Single(ch, a, f.coord, title, func(t *kit.T) { roleFieldRefused(t, a, role, i, f) }))
				}
				for _, f := range roleFields(a, role.Read, role.ReadIDs) {
					title := fmt.Sprintf("role %s: %s answers valid data%s", role.Label(i), f.coord, f.note())
					out = append(out, kit.Single(ch, a, f.coord, title, func(t *kit.T) { roleFieldRead(t, a, role, i, f) }))
				}
			}
			return out
		},
	}
}

// roleField is one GraphQL field a role is checked on, with the ids to
// pass to its argument (none: ids of the configuration).
type roleField struct {
	coord     string // Type.field
	typeName  string
	fieldName string
	arg       string
	ids       []string
}

func (f roleField) note() string {
	if len(f.ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" for %d ids (%s)", len(f.ids), f.arg)
}

// roleFields lists the fields named in names (Type.field of this API's
// schema) and the root fields taking an argument keyed in ids.
func roleFields(a *kit.API, names []string, ids map[string][]string) []roleField {
	var out []roleField
	for _, n := range names {
		typeName, fieldName, ok := strings.Cut(n, ".")
		if !ok {
			continue // an operationId: rest-role's
		}
		if def := a.Schema.Types[typeName]; def == nil || def.Fields.ForName(fieldName) == nil {
			continue
		}
		if a.Schema.Mutation != nil && typeName == a.Schema.Mutation.Name {
			continue // a write: graphql-role-writes'
		}
		out = append(out, roleField{coord: n, typeName: typeName, fieldName: fieldName})
	}
	for _, arg := range slices.Sorted(maps.Keys(ids)) {
		for _, f := range a.Schema.Query.Fields {
			if f.Arguments.ForName(arg) != nil {
				out = append(out, roleField{coord: a.Schema.Query.Name + "." + f.Name, typeName: a.Schema.Query.Name, fieldName: f.Name, arg: arg, ids: ids[arg]})
			}
		}
	}
	return out
}

// roleQueries renders the queries asking for the field (one per id), with
// the response path of the field.
func roleQueries(t *kit.T, a *kit.API, f roleField) ([]string, []any) {
	path := a.RootPath(f.typeName, f.fieldName)
	if path == nil {
		t.Skip("%s cannot be reached from %s without arguments", f.coord, a.Schema.Query.Name)
	}
	def := a.Schema.Types[f.typeName].Fields.ForName(f.fieldName)
	sel := " { __typename }"
	if leaf := a.Schema.Types[def.Type.Name()]; leaf != nil {
		switch {
		case leaf.Kind == ast.Scalar || leaf.Kind == ast.Enum:
			sel = ""
		case len(model.LeafFields(a.Schema, leaf)) > 0:
			sel = " { " + strings.Join(model.LeafFields(a.Schema, leaf), " ") + " }"
		}
	}
	idSets := []map[string]string{a.Conf.FirstIDs()}
	if len(f.ids) > 0 {
		idSets = nil
		for _, id := range f.ids {
			m := map[string]string{}
			for k, v := range a.Conf.FirstIDs() {
				m[k] = v
			}
			m[f.arg] = id
			idSets = append(idSets, m)
		}
	}
	var qs []string
	for _, ids := range idSets {
		args, ok := kit.ArgsFor(def, ids)
		if !ok {
			t.Skip("%s needs an argument value: set it in ids (conform.yaml)", f.coord)
		}
		inner := path[len(path)-1] + args + sel
		q := "{ " + strings.Join(path[:len(path)-1], " { ")
		if len(path) > 1 {
			q += " { "
		}
		q += inner + strings.Repeat(" }", len(path)-1) + " }"
		qs = append(qs, q)
	}
	var p []any
	for _, s := range path {
		p = append(p, s)
	}
	return qs, p
}

func roleFieldRefused(t *kit.T, a *kit.API, role conform.Role, i int, f roleField) {
	qs, p := roleQueries(t, a, f)
	for _, q := range qs {
		r := kit.GQL(t, a.CredentialsOf(role.Token), q, nil)
		if r.HTTP.Status != http.StatusOK && r.HTTP.Status != http.StatusForbidden {
			t.Errorf(kit.Status(), "want HTTP 200 with a field error (or 403), got %d", r.HTTP.Status)
		}
		if v := kit.At(r.Decoded(), p...); v != nil {
			t.Errorf(kit.GQLPath(kit.PathString("data", p...)), "role %s read %s, which it must be refused: want null, got %s", role.Label(i), f.coord, kit.Excerpt([]byte(kit.Canonical(v))))
		}
		kit.CheckErrorShape(t, r, "FORBIDDEN", p)
	}
}

func roleFieldRead(t *kit.T, a *kit.API, role conform.Role, i int, f roleField) {
	qs, p := roleQueries(t, a, f)
	for _, q := range qs {
		doc, err := kit.ParseQuery(a.Schema, q)
		if err != nil {
			t.Fatalf(kit.InTheRun("query"), "the generated query is invalid (a bug of the suite): %v\n%s", err, q)
		}
		r := kit.GQL(t, a.CredentialsOf(role.Token), q, nil)
		if !kit.RequireOK(t, r) {
			t.Errorf(kit.GQLPath(kit.PathString("data", p...)), "role %s may read %s", role.Label(i), f.coord)
			continue
		}
		kit.ValidateSelection(t, doc, "", nil, r)
	}
}
