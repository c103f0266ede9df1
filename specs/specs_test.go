package specs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"gopkg.in/yaml.v3"

	"github.com/standin/standin/fixtures"
)

// wantOperations lists every REST operation the pages document, by API.
var wantOperations = map[string]map[string]string{
	"clients-v0": {"listClients": "GET /v0/clients"},
	"clients-v2": {"getClient": "GET /v2/clients/{client_id}"},
	"marketplace": {
		"listCompanies":          "GET /api/account/v2/companies",
		"getCompany":             "GET /api/account/v2/companies/{companyUuid}",
		"getCompanyByExternalId": "GET /api/account/v2/companies/externalID:{externalId}",
	},
}

// wantStatuses lists the statuses each operation must document (besides default).
var wantStatuses = map[string][]string{
	"listClients":            {"200", "401", "429"},
	"getClient":              {"200", "401", "403", "404", "500"},
	"listCompanies":          {"200", "400", "401", "403", "500"},
	"getCompany":             {"200", "401", "403", "404", "500"},
	"getCompanyByExternalId": {"200", "401", "403", "404", "500"},
}

func loadDoc(t *testing.T, api string) *openapi3.T {
	t.Helper()
	data, err := fs.ReadFile(FS, api+"/openapi.yaml")
	if err != nil {
		t.Fatalf("%s: %v", api, err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("%s/openapi.yaml: load: %v", api, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s/openapi.yaml: validate: %v", api, err)
	}
	return doc
}

func openAPIDirs(t *testing.T) []string {
	t.Helper()
	matches, err := fs.Glob(FS, "*/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var apis []string
	for _, m := range matches {
		apis = append(apis, path.Dir(m))
	}
	sort.Strings(apis)
	return apis
}

func TestOpenAPIDocumentsValidate(t *testing.T) {
	apis := openAPIDirs(t)
	for api := range wantOperations {
		if !contains(apis, api) {
			t.Errorf("missing %s/openapi.yaml", api)
		}
	}
	seen := map[string]string{}
	for _, api := range apis {
		t.Run(api, func(t *testing.T) {
			doc := loadDoc(t, api)
			if doc.OpenAPI != "3.0.3" {
				t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
			}
			if len(doc.Security) == 0 || doc.Components == nil || doc.Components.SecuritySchemes["bearerAuth"] == nil {
				t.Errorf("no Bearer security applied")
			}
			got := map[string]string{}
			for p, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					if op.OperationID == "" {
						t.Errorf("%s %s: no operationId", method, p)
						continue
					}
					if other, dup := seen[op.OperationID]; dup {
						t.Errorf("operationId %s used twice (%s)", op.OperationID, other)
					}
					seen[op.OperationID] = api
					got[op.OperationID] = method + " " + p
					for _, status := range wantStatuses[op.OperationID] {
						r := op.Responses.Value(status)
						if r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
							t.Errorf("%s: no JSON %s response", op.OperationID, status)
						}
					}
				}
			}
			if want, ok := wantOperations[api]; ok && !reflect.DeepEqual(got, want) {
				t.Errorf("operations = %v, want %v", got, want)
			}
		})
	}
}

// TestOpenAPIExamplesValidate checks every example of every document against
// its schema, with the project's format validators.
func TestOpenAPIExamplesValidate(t *testing.T) {
	for _, api := range openAPIDirs(t) {
		t.Run(api, func(t *testing.T) {
			doc := loadDoc(t, api)
			n := 0
			check := func(where string, schema *openapi3.SchemaRef, value any) {
				t.Helper()
				n++
				if schema == nil || schema.Value == nil {
					t.Errorf("%s: example without schema", where)
					return
				}
				if err := visit(schema.Value, value); err != nil {
					t.Errorf("%s: example does not validate: %v", where, err)
				}
			}
			checkContent := func(where string, content openapi3.Content) {
				for mt, media := range content {
					w := where + " " + mt
					if media.Example != nil {
						check(w+" example", media.Schema, media.Example)
					}
					for name, ex := range media.Examples {
						if ex == nil || ex.Value == nil {
							t.Errorf("%s examples/%s: unresolved", w, name)
							continue
						}
						check(w+" examples/"+name, media.Schema, ex.Value.Value)
					}
				}
			}
			for p, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					where := method + " " + p
					for _, pr := range op.Parameters {
						if pr.Value.Example != nil {
							check(where+" parameter "+pr.Value.Name, pr.Value.Schema, pr.Value.Example)
						}
						for name, ex := range pr.Value.Examples {
							if ex == nil || ex.Value == nil {
								t.Errorf("%s parameter %s examples/%s: unresolved", where, pr.Value.Name, name)
								continue
							}
							check(where+" parameter "+pr.Value.Name+" examples/"+name, pr.Value.Schema, ex.Value.Value)
						}
					}
					for status, rr := range op.Responses.Map() {
						checkContent(where+" "+status, rr.Value.Content)
						for name, h := range rr.Value.Headers {
							if h.Value.Example != nil {
								check(where+" "+status+" header "+name, h.Value.Schema, h.Value.Example)
							}
						}
					}
				}
			}
			for name, h := range doc.Components.Headers {
				if h.Value.Example != nil {
					check("components/headers/"+name, h.Value.Schema, h.Value.Example)
				}
			}
			for name, s := range doc.Components.Schemas {
				walkSchemaExamples("components/schemas/"+name, s, map[*openapi3.Schema]bool{}, check)
			}
			if n == 0 {
				t.Errorf("no examples")
			}
		})
	}
}

func walkSchemaExamples(where string, s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, check func(string, *openapi3.SchemaRef, any)) {
	if s == nil || s.Value == nil || seen[s.Value] {
		return
	}
	seen[s.Value] = true
	if s.Value.Example != nil {
		check(where, s, s.Value.Example)
	}
	for name, p := range s.Value.Properties {
		walkSchemaExamples(where+"/properties/"+name, p, seen, check)
	}
	walkSchemaExamples(where+"/items", s.Value.Items, seen, check)
	for i, sub := range s.Value.AllOf {
		walkSchemaExamples(fmt.Sprintf("%s/allOf/%d", where, i), sub, seen, check)
	}
}

// visit validates a YAML- or JSON-decoded value, normalised through JSON.
func visit(schema *openapi3.Schema, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	return schema.VisitJSON(v, SchemaOptions()...)
}

func TestFormatValidators(t *testing.T) {
	s := func(format string) *openapi3.Schema {
		return &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: format}
	}
	for _, tc := range []struct {
		format, value string
		ok            bool
	}{
		{"uuid", "aa7cf840-9ca9-46a3-9778-9015d6580d50", true},
		{"uuid", "b2c3d4e5-f6a7-8901-bcde-f12345678901", true}, // v8, printed on page 003
		{"uuid", "e1f2a3b4-c5d6-7890-abcd-ef1234567890", true}, // v7, printed on page 003
		{"uuid", "not-a-uuid", false},
		{"uuid", "aa7cf840-9ca9-46a3-9778-9015d6580d5", false},
		{"email", "Og0rB@example.com", true},
		{"email", "no-at-sign", false},
		{"uri", "https://example.com/profile_picture.jpg", true},
		{"uri", "example.com", false},
		{"url", "https://api.shipengine.com/v1/labels/se-28529731", true},
		{"url", "https://[YOUR ENDPOINT ID].x.requestbin.com", false}, // ShipEngine's example
		{"date-time", "2026-01-15T10:00:00.000Z", true},
		{"date-time", "2026-01-15", false},
	} {
		err := s(tc.format).VisitJSON(tc.value, SchemaOptions()...)
		if (err == nil) != tc.ok {
			t.Errorf("%s %q: err = %v, want ok=%v", tc.format, tc.value, err, tc.ok)
		}
		// a refusal says what the value should be, never the pattern
		if err != nil && strings.Contains(err.Error(), "[0-9a-") {
			t.Errorf("%s %q: the message quotes a pattern: %v", tc.format, tc.value, err)
		}
	}
}

func loadSDL(t *testing.T, api string) *ast.Schema {
	t.Helper()
	name := api + "/schema.graphql"
	data, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "specs/" + name, Input: string(data)})
	if gerr != nil {
		t.Fatalf("%s: %v", name, gerr)
	}
	return schema
}

func TestGraphQLSchemasLoad(t *testing.T) {
	matches, err := fs.Glob(FS, "*/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"admin/schema.graphql", "marketplace/schema.graphql"} {
		if !contains(matches, want) {
			t.Errorf("missing %s", want)
		}
	}
	for _, m := range matches {
		api := path.Dir(m)
		t.Run(api, func(t *testing.T) {
			schema := loadSDL(t, api)
			// Every type and field of the API's own types is described.
			for name, def := range schema.Types {
				if def.BuiltIn || strings.HasPrefix(name, "__") {
					continue
				}
				if strings.TrimSpace(def.Description) == "" {
					t.Errorf("type %s: no description", name)
				}
				for _, f := range def.Fields {
					if strings.HasPrefix(f.Name, "__") {
						continue
					}
					if strings.TrimSpace(f.Description) == "" {
						t.Errorf("%s.%s: no description", name, f.Name)
					}
					for _, a := range f.Arguments {
						if strings.TrimSpace(a.Description) == "" {
							t.Errorf("%s.%s(%s): no description", name, f.Name, a.Name)
						}
					}
				}
				for _, v := range def.EnumValues {
					if strings.TrimSpace(v.Description) == "" {
						t.Errorf("%s.%s: no description", name, v.Name)
					}
				}
			}
		})
	}

	admin := loadSDL(t, "admin")
	if f := admin.Types["Admin"].Fields.ForName("allClients"); f == nil || f.Type.NonNull {
		t.Errorf("Admin.allClients must exist and be nullable")
	}
	mp := loadSDL(t, "marketplace")
	if mp.Subscription != nil {
		t.Errorf("marketplace: type Subscription must not be the subscription root")
	}
	for _, q := range []string{"accounts", "account", "accountByExternalId"} {
		if mp.Query.Fields.ForName(q) == nil {
			t.Errorf("marketplace: no Query.%s", q)
		}
	}
	for _, m := range []string{"deleteAccount", "deleteAccountMembership", "terminateSubscription"} {
		f := mp.Mutation.Fields.ForName(m)
		if f == nil || f.Type.NonNull {
			t.Errorf("marketplace: Mutation.%s must exist with a nullable payload", m)
		}
	}
}

// --- fixtures ---------------------------------------------------------------

func readRecords(t *testing.T, name string) []map[string]any {
	t.Helper()
	data, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no records", name)
	}
	return recs
}

func responseSchema(t *testing.T, doc *openapi3.T, opID, status string) *openapi3.Schema {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == opID {
				return op.Responses.Value(status).Value.Content.Get("application/json").Schema.Value
			}
		}
	}
	t.Fatalf("no operation %s", opID)
	return nil
}

func exampleValue(t *testing.T, doc *openapi3.T, opID, status, name string) any {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == opID {
				media := op.Responses.Value(status).Value.Content.Get("application/json")
				var v any
				if name == "" {
					v = media.Example
				} else {
					v = media.Examples[name].Value.Value
				}
				b, _ := json.Marshal(v)
				var out any
				_ = json.Unmarshal(b, &out)
				return out
			}
		}
	}
	t.Fatalf("no operation %s", opID)
	return nil
}

func uniqueIDs(t *testing.T, name, key string, recs []map[string]any) map[string]map[string]any {
	t.Helper()
	byID := map[string]map[string]any{}
	for i, r := range recs {
		id, _ := r[key].(string)
		if id == "" {
			if f, ok := r[key].(float64); ok {
				id = fmt.Sprint(f)
			}
		}
		if id == "" {
			t.Errorf("%s[%d]: no %s", name, i, key)
			continue
		}
		if _, dup := byID[id]; dup {
			t.Errorf("%s: duplicate %s %s", name, key, id)
		}
		byID[id] = r
	}
	return byID
}

func TestFixturesClientsV2(t *testing.T) {
	doc := loadDoc(t, "clients-v2")
	schema := responseSchema(t, doc, "getClient", "200")
	recs := readRecords(t, "clients-v2/clients.json")
	for i, r := range recs {
		if err := visit(schema, r); err != nil {
			t.Errorf("clients-v2/clients.json[%d]: %v", i, err)
		}
	}
	byID := uniqueIDs(t, "clients-v2", "id", recs)
	acme := exampleValue(t, doc, "getClient", "200", "acme")
	if !reflect.DeepEqual(any(byID["aa7cf840-9ca9-46a3-9778-9015d6580d50"]), acme) {
		t.Errorf("Acme Corporation record differs from the page example")
	}
	noToken := exampleValue(t, doc, "getClient", "200", "noEnrollmentToken").(map[string]any)
	noToken["id"] = "aa7cf840-9ca9-46a3-9778-9015d6580d51"
	if !reflect.DeepEqual(any(byID["aa7cf840-9ca9-46a3-9778-9015d6580d51"]), any(noToken)) {
		t.Errorf("no-token record differs from the page's second example (except id)")
	}
	partners := map[string]int{}
	for _, r := range recs {
		partners[r["partner"].(map[string]any)["name"].(string)]++
	}
	if partners["TechPartner Inc."] < 2 || len(partners) < 2 {
		t.Errorf("want clients of TechPartner Inc. and of another partner, got %v", partners)
	}
}

func TestFixturesClientsV0(t *testing.T) {
	doc := loadDoc(t, "clients-v0")
	schema := responseSchema(t, doc, "listClients", "200")
	recs := readRecords(t, "clients-v0/clients.json")
	uniqueIDs(t, "clients-v0", "client_id", recs)
	body := map[string]any{"success": true, "client": recs}
	if err := visit(schema, body); err != nil {
		t.Errorf("clients-v0/clients.json: %v", err)
	}
	page := exampleValue(t, doc, "listClients", "200", "page").(map[string]any)
	want := page["client"].([]any)[0]
	if !reflect.DeepEqual(any(recs[0]), want) {
		t.Errorf("client 1 differs from the page example")
	}
}

func TestFixturesMarketplace(t *testing.T) {
	doc := loadDoc(t, "marketplace")
	company := responseSchema(t, doc, "getCompany", "200")
	sdl := loadSDL(t, "marketplace")
	accounts := readRecords(t, "marketplace/accounts.json")
	for i, r := range accounts {
		if err := visit(company, r); err != nil {
			t.Errorf("marketplace/accounts.json[%d]: %v", i, err)
		}
		checkGraphQLRecord(t, sdl, "Account", fmt.Sprintf("accounts[%d]", i), r, nil)
	}
	byID := uniqueIDs(t, "accounts", "id", accounts)
	page := map[string]map[string]any{
		"017eb76e-957f-409e-8be3-fc6fed394137": {"name": "My Company Inc.", "externalId": "a111111", "countryCode": "US",
			"accessTypes": []any{"CUSTOMER", "CHANNEL_ADMIN", "VENDOR"}, "defaultRole": "USER", "status": "PENDING_ACTIVATION"},
		"7480a312-916e-4739-b53a-7345bf3c6929": {"name": "Customer Company One", "externalId": "c333333", "countryCode": "US",
			"accessTypes": []any{"CUSTOMER"}, "defaultRole": "USER", "status": "PENDING_ACTIVATION"},
	}
	for id, want := range page {
		for k, v := range want {
			if !reflect.DeepEqual(byID[id][k], v) {
				t.Errorf("account %s %s = %v, want %v (page 001)", id, k, byID[id][k], v)
			}
		}
	}
	if accounts[0]["id"] != "017eb76e-957f-409e-8be3-fc6fed394137" || accounts[1]["id"] != "7480a312-916e-4739-b53a-7345bf3c6929" {
		t.Errorf("the page's two accounts must come first, in the page's order")
	}
	externals := map[string]bool{}
	for _, a := range accounts {
		if e, ok := a["externalId"].(string); ok {
			if externals[e] {
				t.Errorf("duplicate externalId %s", e)
			}
			externals[e] = true
		}
	}

	memberships := readRecords(t, "marketplace/memberships.json")
	uniqueIDs(t, "memberships", "id", memberships)
	subs := readRecords(t, "marketplace/subscriptions.json")
	uniqueIDs(t, "subscriptions", "id", subs)
	blockers := map[string]int{}
	for i, m := range memberships {
		checkGraphQLRecord(t, sdl, "AccountMembership", fmt.Sprintf("memberships[%d]", i), m, nil)
		if byID[m["accountId"].(string)] == nil {
			t.Errorf("memberships[%d]: unknown accountId", i)
		}
		blockers[m["accountId"].(string)]++
	}
	for i, s := range subs {
		checkGraphQLRecord(t, sdl, "Subscription", fmt.Sprintf("subscriptions[%d]", i), s, nil)
		if byID[s["accountId"].(string)] == nil {
			t.Errorf("subscriptions[%d]: unknown accountId", i)
		}
		if (s["status"] == "CANCELLED") != (s["endedOn"] != nil) {
			t.Errorf("subscriptions[%d]: endedOn must be set exactly when CANCELLED", i)
		}
		if s["status"] != "CANCELLED" {
			blockers[s["accountId"].(string)]++
		}
	}
	if blockers["0438bc88-bd79-40be-bc89-93d27b5773eb"] != 0 {
		t.Errorf("the page's deleteAccount example must succeed: account 0438bc88-... has memberships or active subscriptions")
	}
	if blockers["7480a312-916e-4739-b53a-7345bf3c6929"] == 0 || blockers["017eb76e-957f-409e-8be3-fc6fed394137"] == 0 {
		t.Errorf("the page's accounts need memberships and active subscriptions")
	}
}

func TestFixturesAdmin(t *testing.T) {
	sdl := loadSDL(t, "admin")
	recs := readRecords(t, "admin/clients.json")
	uniqueIDs(t, "admin clients", "code", recs)
	for i, r := range recs {
		checkGraphQLRecord(t, sdl, "Client", fmt.Sprintf("admin/clients.json[%d]", i), r, nil)
	}
	for i, n := range []string{"1", "2"} {
		for _, f := range []string{"name", "code", "group"} {
			if want := "client-" + f + "-" + n; recs[i][f] != want {
				t.Errorf("admin client %d: %s = %v, want %s (page 000)", i, f, recs[i][f], want)
			}
		}
	}
}

func TestCredentials(t *testing.T) {
	data, err := fs.ReadFile(fixtures.FS, "credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var creds struct {
		Tokens []struct {
			Token       string                    `yaml:"token"`
			Permissions []string                  `yaml:"permissions"`
			Scopes      map[string]map[string]any `yaml:"scopes"`
		} `yaml:"tokens"`
	}
	if err := yaml.Unmarshal(data, &creds); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, tok := range creds.Tokens {
		got[tok.Token] = tok.Permissions
	}
	want := map[string][]string{
		"standin-admin":    {"ADMIN", "READ", "WRITE"},
		"standin-readonly": {"READ"},
		"standin-partner":  {"READ"},
		"standin-noaccess": {},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens = %v, want %v", got, want)
	}
}

// checkGraphQLRecord checks a stored record against a GraphQL object type:
// every key is a field (or listed in storeOnly), every non-null field without
// arguments is present and non-null, scalars and enums have valid values.
// Fields with arguments and object-typed fields missing from the record are
// resolved by the executor (connections, back references) and skipped.
func checkGraphQLRecord(t *testing.T, schema *ast.Schema, typeName, where string, rec map[string]any, storeOnly map[string]bool) {
	t.Helper()
	def := schema.Types[typeName]
	if def == nil {
		t.Fatalf("no type %s", typeName)
	}
	for k := range rec {
		if def.Fields.ForName(k) == nil && !storeOnly[k] {
			t.Errorf("%s: key %q is not a field of %s", where, k, typeName)
		}
	}
	for _, f := range def.Fields {
		v, present := rec[f.Name]
		fieldType := schema.Types[f.Type.Name()]
		if !present {
			if len(f.Arguments) > 0 || fieldType.Kind == ast.Object {
				continue
			}
			if f.Type.NonNull {
				t.Errorf("%s: missing non-null field %s.%s", where, typeName, f.Name)
			}
			continue
		}
		if err := checkGraphQLValue(t, schema, f.Type, v, where+"."+f.Name); err != nil {
			t.Errorf("%v", err)
		}
	}
}

var dateTimeRE = regexp.MustCompile(openapi3.FormatOfStringDateTime)

func checkGraphQLValue(t *testing.T, schema *ast.Schema, typ *ast.Type, v any, where string) error {
	t.Helper()
	if v == nil {
		if typ.NonNull {
			return fmt.Errorf("%s: null for non-null %s", where, typ.String())
		}
		return nil
	}
	if typ.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want a list for %s", where, typ.String())
		}
		var errs []error
		for i, e := range list {
			if err := checkGraphQLValue(t, schema, typ.Elem, e, fmt.Sprintf("%s[%d]", where, i)); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	def := schema.Types[typ.NamedType]
	switch def.Kind {
	case ast.Enum:
		s, _ := v.(string)
		if def.EnumValues.ForName(s) == nil {
			return fmt.Errorf("%s: %v is not a %s", where, v, def.Name)
		}
	case ast.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object for %s", where, def.Name)
		}
		checkGraphQLRecord(t, schema, def.Name, where, m, nil)
	case ast.Scalar:
		var ok bool
		switch def.Name {
		case "String", "ID":
			_, ok = v.(string)
		case "Boolean":
			_, ok = v.(bool)
		case "Int":
			f, isNum := v.(float64)
			ok = isNum && f == float64(int64(f))
		case "Float":
			_, ok = v.(float64)
		case "DateTime":
			s, isStr := v.(string)
			if ok = isStr && dateTimeRE.MatchString(s); ok {
				_, err := time.Parse(time.RFC3339Nano, s)
				ok = err == nil
			}
		default:
			ok = true
		}
		if !ok {
			return fmt.Errorf("%s: %v is not a valid %s", where, v, def.Name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
