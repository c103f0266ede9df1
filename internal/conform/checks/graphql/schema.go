package graphql

import (
	"fmt"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Schema is graphql-schema: the target's introspected schema is compatible
// with the SDL: every type, field, argument, input field, union member and
// enum value of the SDL is present with a compatible type. Additions
// (types, fields, optional arguments, enum values) are allowed. The
// introspection query falls back to older forms when the target refuses
// the newest (kit.IntrospectSchema); a target that refuses every form
// (introspection disabled) skips the check with its answer.
func (Catalog) Schema() kit.Check {
	return kit.Check{
		Name:  "graphql-schema",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "introspected schema compatible with the SDL (additions allowed); older introspection forms when the newest is refused",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			title := fmt.Sprintf("POST %s introspection is compatible with %s", a.GraphQLPath(), a.SchemaFile)
			return []*kit.Case{kit.Single(ch, a, "introspection", title, func(t *kit.T) {
				in := kit.IntrospectSchema(t, a.Credentials())
				if in.Schema == nil {
					t.Skip("the target refuses every form of the introspection query (the last answer: %s)", in.Refusal)
				}
				var where string
				if len(in.Without) > 0 {
					where = " (read with the introspection query without " + strings.Join(in.Without, ", ") + ")"
				}
				for _, d := range model.SchemaCompat(a.Schema, in.Schema) {
					t.Errorf(kit.Coordinate(d.Coordinate), "%s%s", d.Message, where)
				}
			})}
		},
	}
}
