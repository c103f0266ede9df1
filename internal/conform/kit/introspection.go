package kit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/introspect"
)

// The introspection query in the forms servers of every age accept.
// graphql-js 14 (and servers built on it) refuses what later editions of
// the specification added: description on __Schema, isRepeatable,
// specifiedByURL, isOneOf, and includeDeprecated on args and inputFields.
// IntrospectSchema asks the newest form first, drops each addition the
// server's validation errors name, and else steps down a fixed ladder of
// forms, so any server that answers introspection at all is read.

// Introspection features a form of the query may ask for (graphql-js's
// getIntrospectionQuery options, plus descriptions and directives, which
// the oldest servers answer badly).
const (
	FeatureSchemaDescription     = "__Schema.description"
	FeatureDirectiveIsRepeatable = "__Directive.isRepeatable"
	FeatureSpecifiedByURL        = "__Type.specifiedByURL"
	FeatureIsOneOf               = "__Type.isOneOf"
	FeatureInputValueDeprecation = "includeDeprecated on args and inputFields"
	FeatureDescriptions          = "descriptions"
	FeatureDirectives            = "__Schema.directives"
)

// introspectionFeatures are every feature, newest first: the order the
// ladder drops them in.
func introspectionFeatures() []string {
	return []string{FeatureIsOneOf, FeatureInputValueDeprecation, FeatureSpecifiedByURL,
		FeatureDirectiveIsRepeatable, FeatureSchemaDescription, FeatureDescriptions, FeatureDirectives}
}

// IntrospectionQuery writes the introspection query asking for every
// feature but those in without. With none left out it is
// introspect.FullQuery's selection.
func IntrospectionQuery(without map[string]bool) string {
	on := func(f, text string) string {
		if without[f] {
			return ""
		}
		return text
	}
	desc := on(FeatureDescriptions, " description")
	deprecatedArgs := on(FeatureInputValueDeprecation, "(includeDeprecated: true)")
	var b strings.Builder
	b.WriteString("query IntrospectionQuery { __schema {")
	b.WriteString(on(FeatureSchemaDescription, on(FeatureDescriptions, " description")))
	b.WriteString(" queryType { name kind } mutationType { name kind } subscriptionType { name kind } types { ...FullType }")
	if !without[FeatureDirectives] {
		b.WriteString(" directives { name" + desc + on(FeatureDirectiveIsRepeatable, " isRepeatable") +
			" locations args" + deprecatedArgs + " { ...InputValue } }")
	}
	b.WriteString(" } }\n")
	b.WriteString("fragment FullType on __Type { kind name" + desc + on(FeatureSpecifiedByURL, " specifiedByURL") + on(FeatureIsOneOf, " isOneOf") +
		" fields(includeDeprecated: true) { name" + desc + " args" + deprecatedArgs + " { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }" +
		" inputFields" + deprecatedArgs + " { ...InputValue } interfaces { ...TypeRef }" +
		" enumValues(includeDeprecated: true) { name" + desc + " isDeprecated deprecationReason } possibleTypes { ...TypeRef } }\n")
	b.WriteString("fragment InputValue on __InputValue { name" + desc + " type { ...TypeRef } defaultValue" +
		on(FeatureInputValueDeprecation, " isDeprecated deprecationReason") + " }\n")
	b.WriteString("fragment TypeRef on __Type { kind name" + strings.Repeat(" ofType { kind name", 8) + strings.Repeat(" }", 8) + " }\n")
	return b.String()
}

// introspectionLadder is the fixed ladder of forms tried when a refusal
// names nothing the suite knows: each step leaves out more, down to a
// form that the oldest servers answer.
func introspectionLadder() [][]string {
	return [][]string{
		{FeatureIsOneOf},
		{FeatureIsOneOf, FeatureInputValueDeprecation, FeatureSpecifiedByURL, FeatureDirectiveIsRepeatable, FeatureSchemaDescription},
		{FeatureIsOneOf, FeatureInputValueDeprecation, FeatureSpecifiedByURL, FeatureDirectiveIsRepeatable, FeatureSchemaDescription, FeatureDescriptions},
		introspectionFeatures(),
	}
}

// unknownField and unknownArg read what a validation error refuses:
// graphql-js ("Cannot query field "isOneOf" on type "__Type"", "Unknown
// argument "includeDeprecated" on field "args" of type "__Directive"" or
// "on field "__Field.args"") and servers that word it the same way.
var (
	unknownField = regexp.MustCompile(`(?i)field "?'?(\w+)"?'? on type "?'?(__\w+)`)
	unknownArg   = regexp.MustCompile(`(?i)argument "?'?includeDeprecated`)
)

// refusedFeatures maps a validation error message to the features it
// refuses (none when it names none the suite knows).
func refusedFeatures(msg string) []string {
	var out []string
	if unknownArg.MatchString(msg) {
		out = append(out, FeatureInputValueDeprecation)
	}
	for _, m := range unknownField.FindAllStringSubmatch(msg, -1) {
		switch m[2] + "." + m[1] {
		case "__Schema.description":
			out = append(out, FeatureSchemaDescription)
		case "__Directive.isRepeatable":
			out = append(out, FeatureDirectiveIsRepeatable)
		case "__Type.specifiedByURL", "__Type.specifiedByUrl":
			out = append(out, FeatureSpecifiedByURL)
		case "__Type.isOneOf":
			out = append(out, FeatureIsOneOf)
		case "__InputValue.isDeprecated", "__InputValue.deprecationReason":
			out = append(out, FeatureInputValueDeprecation)
		case "__Schema.directives":
			out = append(out, FeatureDirectives)
		default:
			if m[1] == "description" {
				out = append(out, FeatureDescriptions)
			}
		}
	}
	return out
}

// Introspection is what IntrospectSchema read.
type Introspection struct {
	// Schema is the target's schema rebuilt from the answer.
	Schema *ast.Schema
	// Without lists the features the accepted form left out, newest
	// first (none: the full form was accepted).
	Without []string
	// Refusal is the last refusal's first message when every form was
	// refused ("" otherwise).
	Refusal string
}

// maxIntrospectionTries bounds the forms tried: each try drops at least
// one feature.
const maxIntrospectionTries = 10

// IntrospectSchema reads the target's schema with the newest
// introspection form the target accepts. A form refused with GraphQL
// errors is followed by one without the features the errors name (else
// the next step of the ladder); only the accepted exchange is kept. When
// every form is refused, Schema is nil and Refusal says why; a 5xx, or an
// answer that is no GraphQL response, stops the step as a violation.
func IntrospectSchema(t *T, creds Credentials) Introspection {
	without := map[string]bool{}
	ladder := introspectionLadder()
	first := t.ExchangeCount()
	var refusal string
	for try := 0; try < maxIntrospectionTries; try++ {
		body, _ := json.Marshal(map[string]any{"query": IntrospectionQuery(without)})
		resp := t.Do(Request{Method: http.MethodPost, Path: t.api.GraphQLPath(), Credentials: creds, Body: JSON(body)})
		var r GQLResult
		if err := json.Unmarshal(resp.Body, &r); err != nil || resp.Status >= 500 {
			if resp.Status >= 500 {
				t.Fatalf(Status(), "introspection answered HTTP %d, a server error", resp.Status)
			}
			t.Fatalf(Body(""), "HTTP %d: the introspection answer is not a GraphQL JSON response: %v", resp.Status, err)
		}
		if r.HasData() && len(r.Errors) == 0 {
			schema, err := introspect.LoadSchema(mustMarshal(map[string]json.RawMessage{"data": r.Data}))
			if err != nil {
				t.Fatalf(GQLPath("data.__schema"), "the introspection result does not load as a schema: %v", err)
			}
			t.exchanges = append(t.exchanges[:first], t.exchanges[len(t.exchanges)-1]) // the refused forms are no failure's business
			return Introspection{Schema: schema, Without: featuresIn(without)}
		}
		refusal = fmt.Sprintf("HTTP %d", resp.Status)
		if len(r.Errors) > 0 && r.Errors[0].Message != nil {
			refusal += ": " + *r.Errors[0].Message
		}
		dropped := false
		for _, e := range r.Errors {
			if e.Message == nil {
				continue
			}
			for _, f := range refusedFeatures(*e.Message) {
				if !without[f] {
					without[f], dropped = true, true
				}
			}
		}
		if !dropped {
			for len(ladder) > 0 && !dropped {
				for _, f := range ladder[0] {
					if !without[f] {
						without[f], dropped = true, true
					}
				}
				ladder = ladder[1:]
			}
		}
		if !dropped {
			break
		}
	}
	return Introspection{Refusal: refusal}
}

func featuresIn(without map[string]bool) []string {
	var out []string
	for _, f := range introspectionFeatures() {
		if without[f] {
			out = append(out, f)
		}
	}
	return out
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
