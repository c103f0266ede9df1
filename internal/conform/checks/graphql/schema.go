package graphql

import (
	"encoding/json"
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/graphql/introspect"
)

// Schema is graphql-schema: the target's introspected schema is compatible
// with the SDL: every type, field, argument, input field, union member and
// enum value of the SDL is present with a compatible type. Additions
// (types, fields, optional arguments, enum values) are allowed.
func (Catalog) Schema() kit.Check {
	return kit.Check{
		Name:  "graphql-schema",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "introspected schema compatible with the SDL (additions allowed)",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			title := fmt.Sprintf("POST %s introspection is compatible with %s", a.GraphQLPath(), a.SchemaFile)
			return []*kit.Case{kit.Single(ch, a, "introspection", title, func(t *kit.T) {
				r := kit.GQL(t, a.Credentials(), introspect.FullQuery, nil)
				kit.RequireOK(t, r)
				if !r.HasData() {
					t.FailNow()
				}
				got, err := introspect.LoadSchema(mustJSON(map[string]json.RawMessage{"data": r.Data}))
				if err != nil {
					t.Fatalf(kit.GQLPath("data.__schema"), "the introspection result does not load as a schema: %v", err)
				}
				for _, d := range model.SchemaCompat(a.Schema, got) {
					t.Errorf(kit.Coordinate(d.Coordinate), "%s", d.Message)
				}
			})}
		},
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
