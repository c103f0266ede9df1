package kit

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestIntrospectionForms: every form of the ladder is a valid query (the
// full one against gqlparser's introspection types, which have every
// feature), and the full form asks for what introspect.FullQuery asks.
func TestIntrospectionForms(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: "type Query { a: Int }"})
	forms := []map[string]bool{{}}
	for _, step := range introspectionLadder() {
		w := map[string]bool{}
		for _, f := range step {
			w[f] = true
		}
		forms = append(forms, w)
	}
	for _, w := range forms {
		q := IntrospectionQuery(w)
		if _, err := ParseQuery(schema, q); err != nil {
			t.Errorf("the form without %v is invalid: %v\n%s", featuresIn(w), err, q)
		}
	}
	full := IntrospectionQuery(nil)
	for _, want := range []string{"isRepeatable", "specifiedByURL", "isOneOf", "args(includeDeprecated: true)", "inputFields(includeDeprecated: true)", "__schema { description"} {
		if !strings.Contains(full, want) {
			t.Errorf("the full form lacks %q", want)
		}
	}
	oldest := IntrospectionQuery(map[string]bool{FeatureDescriptions: true, FeatureDirectives: true, FeatureIsOneOf: true, FeatureSpecifiedByURL: true,
		FeatureInputValueDeprecation: true, FeatureDirectiveIsRepeatable: true, FeatureSchemaDescription: true})
	for _, gone := range []string{"description", "directives", "isOneOf", "specifiedByURL", "includeDeprecated: true) { ...InputValue", "isRepeatable"} {
		if strings.Contains(oldest, gone) {
			t.Errorf("the oldest form still asks for %q", gone)
		}
	}
}

// TestRefusedFeatures: the refusals of graphql-js 14 and 15 (and servers
// wording theirs alike) name the features to drop.
func TestRefusedFeatures(t *testing.T) {
	for msg, want := range map[string][]string{
		`Cannot query field "description" on type "__Schema". Did you mean "subscriptionType"?`: {FeatureSchemaDescription},
		`Cannot query field "isRepeatable" on type "__Directive".`:                              {FeatureDirectiveIsRepeatable},
		`Cannot query field "specifiedByUrl" on type "__Type".`:                                 {FeatureSpecifiedByURL},
		`Cannot query field "specifiedByURL" on type "__Type".`:                                 {FeatureSpecifiedByURL},
		`Cannot query field "isOneOf" on type "__Type".`:                                        {FeatureIsOneOf},
		`Unknown argument "includeDeprecated" on field "args" of type "__Directive".`:           {FeatureInputValueDeprecation},
		`Unknown argument "includeDeprecated" on field "__Field.args".`:                         {FeatureInputValueDeprecation},
		`Cannot query field "isDeprecated" on type "__InputValue".`:                             {FeatureInputValueDeprecation},
		`Cannot query field 'description' on type '__Field'.`:                                   {FeatureDescriptions},
		`GraphQL introspection is not allowed by Apollo Server`:                                 nil,
	} {
		if got := refusedFeatures(msg); !slices.Equal(got, want) {
			t.Errorf("refusedFeatures(%q) = %v, want %v", msg, got, want)
		}
	}
}

// TestNullAt: an error's path leads to a null at the field or at an
// ancestor the null propagated to; a value there, or no such field, is
// not a null.
func TestNullAt(t *testing.T) {
	var data any
	_ = json.Unmarshal([]byte(`{"a":{"b":[{"c":null},{"c":1}]},"d":null}`), &data)
	for _, c := range []struct {
		path []any
		want bool
	}{
		{[]any{"a", "b", float64(0), "c"}, true},
		{[]any{"a", "b", float64(1), "c"}, false},
		{[]any{"d", "e", float64(3)}, true},
		{[]any{"a", "x"}, false},
		{[]any{"a", "b", float64(5)}, false},
		{[]any{"a"}, false},
	} {
		if got := nullAt(data, c.path); got != c.want {
			t.Errorf("nullAt(%v) = %v, want %v", c.path, got, c.want)
		}
	}
}
