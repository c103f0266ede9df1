package model

import (
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

func bundled(t *testing.T) map[string]*API {
	t.Helper()
	apis, err := LoadBundled(map[string]bool{"admin": true, "clients-v0": true, "clients-v2": true, "marketplace": true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*API{}
	for _, a := range apis {
		out[a.Name] = a
	}
	if len(out) != 4 {
		t.Fatalf("loaded %d bundled APIs", len(out))
	}
	return out
}

// TestHintsOfTheBundledAPIs: what the bundled manifests tell the model
// that the contracts cannot: the REST and GraphQL reads of one record,
// the guarded delete chain, the field that needs ADMIN, the ways the
// GraphQL endpoints take a token, the rate limit and the error codes.
func TestHintsOfTheBundledAPIs(t *testing.T) {
	apis := bundled(t)
	mp, admin, v0 := apis["marketplace"], apis["admin"], apis["clients-v0"]

	var pairs []string
	for _, p := range mp.RecordPairs() {
		pairs = append(pairs, p.Operation.ID()+"/"+p.Param+"="+p.Lookup+"("+p.Arg+")."+p.Field)
	}
	if want := []string{"getCompany/companyUuid=account(id).id", "getCompanyByExternalId/externalId=accountByExternalId(externalId).externalId"}; !reflect.DeepEqual(pairs, want) {
		t.Errorf("record pairs %v, want %v", pairs, want)
	}

	dels := mp.GuardedDeletes()
	if len(dels) != 1 {
		t.Fatalf("guarded deletes: %+v", dels)
	}
	d := dels[0]
	if d.Mutation != "deleteAccount" || d.Lookup != "account" || d.Connection != "accounts" || d.Type != "Account" || len(d.Reads) != 1 || d.Reads[0].Operation.ID() != "getCompany" {
		t.Errorf("the delete chain: %+v", d)
	}
	var blockers []string
	for _, b := range d.Blockers {
		blockers = append(blockers, b.Code+":"+b.Connection+":"+b.Remover)
	}
	if want := []string{"ACCOUNT_HAS_MEMBERSHIPS:memberships:deleteAccountMembership", "ACCOUNT_HAS_ACTIVE_SUBSCRIPTIONS:subscriptions:terminateSubscription"}; !reflect.DeepEqual(blockers, want) {
		t.Errorf("blockers %v, want %v", blockers, want)
	}

	if got := admin.FieldsRequiring("ADMIN"); len(got) != 1 || got[0].String() != "Admin.allClients" {
		t.Errorf("fields requiring ADMIN: %v", got)
	}
	var how []string
	for _, s := range admin.GraphQLSchemes() {
		how = append(how, s.Describe())
	}
	if want := []string{"Authorization: Bearer", "X-API-Key header"}; !reflect.DeepEqual(how, want) {
		t.Errorf("admin GraphQL schemes %v, want %v", how, want)
	}
	if mp.GraphQLPath() != "/api/graphql" || admin.GraphQLPath() != "/graphql" {
		t.Errorf("GraphQL paths %s, %s", mp.GraphQLPath(), admin.GraphQLPath())
	}
	if got := admin.GraphQLErrorCode(http.StatusUnauthorized); got != "UNAUTHENTICATED" {
		t.Errorf("admin's 401 code %q", got)
	}

	list := v0.Operations()[0]
	if n, w := v0.RateLimit(list); n != 100 || w != 15*time.Minute {
		t.Errorf("clients-v0 rate limit %d per %s", n, w)
	}
}

// TestNoHints: a contract read from its file alone has no hints; the
// model still answers, with the conventions.
func TestNoHints(t *testing.T) {
	sdl, err := LoadFile("admin", filepath.Join("..", "..", "..", "specs", "admin", "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	if sdl.GraphQLPath() != DefaultGraphQLPath || sdl.SchemaFile != "schema.graphql" || sdl.OpenAPI != nil {
		t.Errorf("loaded %+v", sdl)
	}
	if s := sdl.GraphQLSchemes(); len(s) != 1 || !s[0].IsBearer() {
		t.Errorf("schemes without hints: %+v", s)
	}
	if sdl.GraphQLErrorCode(http.StatusUnauthorized) != "UNAUTHENTICATED" || sdl.GraphQLErrorCode(418) != "ERROR" {
		t.Error("conventional error codes")
	}
	if sdl.FieldsRequiring("ADMIN") != nil || sdl.GuardedDeletes() != nil || sdl.RecordPairs() != nil {
		t.Error("hints from nowhere")
	}
	rest, err := LoadFile("books", filepath.Join("..", "..", "rest", "testdata", "books", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Operations()) == 0 || rest.Schema != nil {
		t.Errorf("books: %d operations", len(rest.Operations()))
	}
	if !slices.ContainsFunc(rest.OpenAPISchemes(), Scheme.IsBearer) {
		t.Errorf("books schemes %+v", rest.OpenAPISchemes())
	}
	if _, err := LoadFile("x", "no-such-file.yaml"); err == nil {
		t.Error("a missing file loads")
	}
}
