package graphql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// InvalidInput is graphql-invalid-input: generated from the SDL, for every
// argument of every query field reachable from the root (without required
// arguments on the way): a wrong-typed variable, an invalid enum value, an
// unknown input field, a missing required variable, and for first/last -1
// and one past the range the argument's description documents; plus
// malformed request bodies. Each must be answered with errors (one
// carrying extensions.code where the API's errorCodes asks for it: for
// arguments under fields or required, for bodies under required), none
// coded INTERNAL_SERVER_ERROR, no data at the field, and no 5xx.
func (Catalog) InvalidInput() kit.Check {
	return kit.Check{
		Name:  "graphql-invalid-input",
		Proto: kit.GraphQL,
		Phase: kit.PhaseNegative,
		Doc:   "invalid arguments, variables and bodies get a GraphQL error (coded where errorCodes asks) and no data, never 5xx",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			bodyTitle, argWord := "malformed request bodies get a GraphQL error", "a GraphQL error"
			if a.RequestCodesRequired() {
				bodyTitle = "malformed request bodies get a coded GraphQL error"
			}
			if a.FieldCode(http.StatusBadRequest) != "" {
				argWord = "a coded GraphQL error"
			}
			out := []*kit.Case{kit.Single(ch, a, "POST "+a.GraphQLPath(), bodyTitle, func(t *kit.T) {
				for _, b := range []struct{ body, why string }{
					{`{"query":`, "truncated JSON"},
					{`[]`, "a JSON array, not an object"},
					{`{"query": 5}`, "query not a string"},
					{`{"query": "{ __typename }", "variables": "x"}`, "variables not an object"},
					{`{"query": "{ __typename "}`, "a query that does not parse"},
				} {
					resp := t.Do(kit.Request{Method: http.MethodPost, Path: t.API().GraphQLPath(), Credentials: t.API().Credentials(), Body: kit.JSON([]byte(b.body))})
					expectGraphQLRejection(t, b.why, resp, nil, t.API().RequestCodesRequired())
				}
			})}
			fields := a.QueryFields()
			for _, c := range a.NestedConnections() {
				fields = append(fields, model.QueryField{Path: c.Path, Def: c.Field, Nested: &c})
			}
			for _, f := range fields {
				if len(f.Def.Arguments) == 0 {
					continue
				}
				name := strings.Join(f.Path, ".")
				if f.Nested != nil {
					name = f.Nested.Parent.NodeType.Name + "." + f.Def.Name
				}
				title := fmt.Sprintf("%s: invalid arguments get %s and no data", name, argWord)
				out = append(out, kit.Single(ch, a, name, title, func(t *kit.T) {
					var parent any
					if f.Nested != nil {
						keys, _ := kit.Parents(t, *f.Nested, 1)
						if len(keys) == 0 {
							t.Skip("no %s to read %s of", f.Nested.Parent.NodeType.Name, f.Def.Name)
						}
						parent = keys[0]
						t.DropExchanges()
					}
					for _, in := range invalidArgs(a.Schema, f.Def) {
						q, vars := argQuery(f, in)
						if f.Nested != nil {
							vars["parent"] = parent
						}
						resp := t.Do(kit.Request{Method: http.MethodPost, Path: t.API().GraphQLPath(), Credentials: t.API().Credentials(), Body: kit.JSON(gqlBody(q, vars))})
						expectGraphQLRejection(t, in.why, resp, f.Path, t.API().FieldCode(http.StatusBadRequest) != "")
					}
				}))
			}
			return out
		},
	}
}

// invalidArg is one invalid value for one argument of a field.
type invalidArg struct {
	arg     string
	typ     string // the variable's declared type
	value   any
	missing bool
	why     string
}

// invalidArgs generates invalid values for the field's arguments.
func invalidArgs(schema *ast.Schema, f *ast.FieldDefinition) []invalidArg {
	var out []invalidArg
	for _, ad := range f.Arguments {
		typ := ad.Type.String()
		name := ad.Type.Name()
		add := func(v any, why string) {
			out = append(out, invalidArg{arg: ad.Name, typ: typ, value: v, why: fmt.Sprintf("%s: %s", ad.Name, why)})
		}
		if ad.Type.NonNull {
			out = append(out, invalidArg{arg: ad.Name, typ: typ, missing: true, why: fmt.Sprintf("%s: required variable $v of type %s not provided", ad.Name, typ)})
		}
		def := schema.Types[name]
		if def == nil {
			continue
		}
		switch {
		case name == "Int":
			add("abc", `wrong-typed variable "abc" for Int`)
			add(1.5, "wrong-typed variable 1.5 for Int")
			if ad.Name == "first" || ad.Name == "last" {
				add(-1, "-1 is out of range")
				if _, hi, ok := model.ArgRange(f, ad.Name); ok {
					add(hi+1, fmt.Sprintf("%d is out of the documented range %s", hi+1, model.DocumentedRange(ad.Description)))
				}
			}
		case name == "Float":
			add("abc", `wrong-typed variable "abc" for Float`)
		case name == "Boolean":
			add("maybe", `wrong-typed variable "maybe" for Boolean`)
		case name == "ID" || name == "String":
			add(map[string]any{"a": 1}, "wrong-typed variable (an object) for "+name)
		case def.Kind == ast.Enum:
			add("STANDIN_NOT_A_VALUE", "not a value of enum "+name)
		case def.Kind == ast.InputObject:
			add(map[string]any{"standinUnknownField": 1}, "unknown input field standinUnknownField of "+name)
			valid := map[string]any{}
			for _, inf := range def.Fields {
				if inf.Type.NonNull {
					if d := schema.Types[inf.Type.Name()]; d != nil && d.Kind == ast.Enum && len(d.EnumValues) > 0 {
						valid[inf.Name] = d.EnumValues[0].Name
					}
				}
			}
			for _, inf := range def.Fields {
				d := schema.Types[inf.Type.Name()]
				if d == nil {
					continue
				}
				bad := map[string]any{}
				for k, v := range valid {
					bad[k] = v
				}
				switch {
				case d.Kind == ast.Enum:
					bad[inf.Name] = "STANDIN_NOT_A_VALUE"
					add(bad, fmt.Sprintf("%s.%s not a value of enum %s", name, inf.Name, d.Name))
				case d.Name == "Int":
					bad[inf.Name] = "abc"
					add(bad, fmt.Sprintf("%s.%s wrong-typed (\"abc\" for Int)", name, inf.Name))
				case d.Name == "String" || d.Name == "ID":
					bad[inf.Name] = []any{1}
					add(bad, fmt.Sprintf("%s.%s wrong-typed (a list for %s)", name, inf.Name, d.Name))
				}
			}
		}
	}
	return out
}

// argQuery writes the request of one invalid argument: the argument as
// variable $v, other required arguments as variables with valid-looking
// values.
func argQuery(f model.QueryField, in invalidArg) (string, map[string]any) {
	decl := []string{"$v: " + in.typ}
	use := []string{in.arg + ": $v"}
	vars := map[string]any{}
	if !in.missing {
		vars["v"] = in.value
	}
	for _, ad := range f.Def.Arguments {
		if ad.Name == in.arg || !ad.Type.NonNull {
			continue
		}
		decl = append(decl, fmt.Sprintf("$%s: %s", ad.Name, ad.Type.String()))
		use = append(use, fmt.Sprintf("%s: $%s", ad.Name, ad.Name))
		vars[ad.Name] = "00000000-0000-4000-8000-00000000dead"
	}
	q := fmt.Sprintf("%s(%s) { __typename }", f.Path[len(f.Path)-1], strings.Join(use, ", "))
	for i := len(f.Path) - 2; i >= 0; i-- {
		name := f.Path[i]
		if i == 0 && f.Nested != nil {
			lk := f.Nested.Lookup
			decl = append(decl, "$parent: "+lk.Arguments[0].Type.String())
			name = fmt.Sprintf("%s(%s: $parent)", lk.Name, lk.Arguments[0].Name)
		}
		q = name + " { " + q + " }"
	}
	return fmt.Sprintf("query Invalid(%s) { %s }", strings.Join(decl, ", "), q), vars
}

func gqlBody(q string, vars map[string]any) []byte {
	return []byte(kit.Canonical(map[string]any{"query": q, "variables": vars}))
}

// expectGraphQLRejection records violations unless the answer is a
// GraphQL error response: no 5xx, errors (with needCode, one carrying an
// extensions.code), none whose code is INTERNAL_SERVER_ERROR, and no data
// at path (nil: no data at all).
func expectGraphQLRejection(t *kit.T, why string, resp kit.Response, path []string, needCode bool) {
	if resp.Status >= 500 {
		t.Errorf(kit.Status(), "%s: answered HTTP %d, a server error for a client's mistake", why, resp.Status)
		return
	}
	v, err := kit.DecodeJSON(resp.Body)
	m, _ := v.(map[string]any)
	if err != nil || m == nil {
		t.Errorf(kit.Body(""), "%s: HTTP %d, the body is not a GraphQL JSON response", why, resp.Status)
		return
	}
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		t.Errorf(kit.GQLPath("errors"), "%s: HTTP %d without errors: the invalid input was accepted", why, resp.Status)
	} else {
		coded := false
		for _, e := range errs {
			if c, _ := kit.At(e, "extensions", "code").(string); c != "" {
				if c == "INTERNAL_SERVER_ERROR" {
					t.Errorf(kit.GQLPath("errors"), "%s: extensions.code INTERNAL_SERVER_ERROR, a server error for a client's mistake", why)
				}
				coded = true
			}
		}
		if !coded && needCode {
			t.Errorf(kit.GQLPath("errors"), "%s: no error carries extensions.code", why)
		}
	}
	data := m["data"]
	if path != nil && data != nil {
		data = kit.At(data, kit.ToAny(path)...)
	}
	if data != nil {
		t.Errorf(kit.GQLPath("data"), "%s: answered with data %s", why, kit.Excerpt([]byte(kit.Canonical(data))))
	}
}
