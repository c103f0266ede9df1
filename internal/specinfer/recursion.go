package specinfer

// Recursion: the component schemas that can never end (a required,
// non-nullable reference back to themselves with no way out), warned
// about at start-up; their answers stop at schemagen.UnendingBound.

import (
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/schemagen"
)

// warnUnending warns once per component schema that can never end.
func warnUnending(doc *openapi3.T, n *notes) {
	if doc.Components == nil {
		return
	}
	g := schemagen.New(schemagen.Options{})
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil || g.Ends(ref.Value) {
			continue
		}
		n.warnAt(CodeRecursion, jsonptr.Format("components", "schemas", name), "schema %s can never end: a required property refers back to it and is never null, empty or another alternative; its values stop %d levels down with an empty object, which the schema refuses", name, schemagen.UnendingBound)
	}
}
