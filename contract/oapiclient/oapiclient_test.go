package oapiclient_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"

	"github.com/standin/standin/contract/oapiclient"
	"github.com/standin/standin/contract/oapiclient/clientsv0"
	"github.com/standin/standin/contract/oapiclient/clientsv2"
	"github.com/standin/standin/contract/oapiclient/marketplace"
	"github.com/standin/standin/standintest"
)

const (
	idAcme        = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	idAcmeNoToken = "aa7cf840-9ca9-46a3-9778-9015d6580d51"
	idGlobex      = "3f6d2c1e-8b4a-4c7e-9d2f-1a5b6c7d8e90"
	idCustomerOne = "7480a312-916e-4739-b53a-7345bf3c6929"
	idMyCompany   = "017eb76e-957f-409e-8be3-fc6fed394137"
	idUnknown     = "00000000-0000-4000-8000-000000000000"
)

func ptr[T any](v T) *T { return &v }

func TestClientsV0(t *testing.T) {
	srv := standintest.Start(t)
	ctx := context.Background()
	c, err := clientsv0.NewClientWithResponses(srv.URL,
		clientsv0.WithHTTPClient(srv.Client()),
		clientsv0.WithRequestEditorFn(oapiclient.Bearer(standintest.AdminToken)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.ListClientsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil {
		t.Fatalf("listClients: %d %s", r.StatusCode(), r.Body)
	}
	if r.JSON200.Success != clientsv0.ClientListSuccessTrue || len(r.JSON200.Client) < 2 {
		t.Fatalf("listClients: success %v, %d clients", r.JSON200.Success, len(r.JSON200.Client))
	}
	first := r.JSON200.Client[0]
	if first.ClientId != 1 || first.LastName != "Иванов" || first.FirstName != "Иван" || first.Patronymic != "Иванович" {
		t.Errorf("client 1: %+v", first)
	}
	// Optional in the contract (the page names no rate-limit header); the
	// mock sends them.
	if h := r.Headers200; h == nil || h.RateLimitLimit == nil || *h.RateLimitLimit != 100 ||
		h.RateLimitRemaining == nil || *h.RateLimitRemaining != 99 || h.RateLimitReset == nil || *h.RateLimitReset <= 0 {
		t.Errorf("rate-limit headers: %+v", r.Headers200)
	}

	// Without a token: the page's 401 body.
	anon, err := clientsv0.NewClientWithResponses(srv.URL, clientsv0.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	r, err = anon.ListClientsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusUnauthorized || r.JSON401 == nil || r.JSON401.Success != clientsv0.ErrorSuccessFalse || r.JSON401.Error != "Unauthorized" {
		t.Errorf("listClients without a token: %d %s", r.StatusCode(), r.Body)
	}
}

func TestClientsV2(t *testing.T) {
	srv := standintest.Start(t)
	ctx := context.Background()
	client := func(token string) *clientsv2.ClientWithResponses {
		c, err := clientsv2.NewClientWithResponses(srv.URL,
			clientsv2.WithHTTPClient(srv.Client()),
			clientsv2.WithRequestEditorFn(oapiclient.Bearer(token)))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	admin, partner := client(standintest.AdminToken), client(standintest.PartnerToken)

	r, err := admin.GetClientWithResponse(ctx, idAcme)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil {
		t.Fatalf("getClient acme: %d %s", r.StatusCode(), r.Body)
	}
	acme := r.JSON200
	if acme.Id.String() != idAcme || acme.Name != "Acme Corporation" || acme.Status != clientsv2.ClientStatusActive || acme.Partner.Name != "TechPartner Inc." {
		t.Errorf("acme: %+v", acme)
	}
	tok := acme.EnrollmentToken
	if tok == nil || tok.Value != "enroll_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6" || tok.Status != clientsv2.EnrollmentTokenStatusActive ||
		tok.Description == nil || *tok.Description != "Default enrollment token" || tok.SiteId != nil || tok.MaxUses != nil || tok.ExpiresAt != nil {
		t.Errorf("acme enrollment_token: %+v", tok)
	}

	r, err = admin.GetClientWithResponse(ctx, idAcmeNoToken)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.EnrollmentToken != nil || r.JSON200.Name != "Acme Corporation" {
		t.Errorf("getClient without token: %d %s", r.StatusCode(), r.Body)
	}

	for _, tc := range []struct {
		name   string
		c      *clientsv2.ClientWithResponses
		id     string
		status int
		code   clientsv2.ErrorResponseErrorCode
	}{
		{"unknown id", admin, idUnknown, http.StatusNotFound, clientsv2.ErrorCodeNotFound},
		{"not a uuid", admin, "nope", http.StatusNotFound, clientsv2.ErrorCodeNotFound},
		{"other partner's client", partner, idGlobex, http.StatusForbidden, clientsv2.ErrorCodeForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.c.GetClientWithResponse(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			var body *clientsv2.ErrorResponse
			switch tc.status {
			case http.StatusNotFound:
				body = r.JSON404
			case http.StatusForbidden:
				body = r.JSON403
			}
			if r.StatusCode() != tc.status || body == nil || body.Error.Code != tc.code || !body.Error.Code.Valid() {
				t.Errorf("%d %s, want %d %s", r.StatusCode(), r.Body, tc.status, tc.code)
			}
		})
	}
}

func TestMarketplace(t *testing.T) {
	srv := standintest.Start(t)
	ctx := context.Background()
	c, err := marketplace.NewClientWithResponses(srv.URL,
		marketplace.WithHTTPClient(srv.Client()),
		marketplace.WithRequestEditorFn(oapiclient.Bearer(standintest.AdminToken)))
	if err != nil {
		t.Fatal(err)
	}

	list, err := c.ListCompaniesWithResponse(ctx, &marketplace.ListCompaniesParams{Page: ptr(0), Size: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	if list.StatusCode() != http.StatusOK || list.JSON200 == nil {
		t.Fatalf("listCompanies: %d %s", list.StatusCode(), list.Body)
	}
	p := list.JSON200
	if len(p.Content) != 2 || p.Content[0].Id.String() != idMyCompany || p.Content[1].Id.String() != idCustomerOne ||
		p.Page.Size != 2 || p.Page.Number != 0 || p.Page.TotalElements < 3 || len(p.Links) == 0 || p.Links[0].Rel != marketplace.LinkRelSelf {
		t.Errorf("listCompanies page 0: %s", list.Body)
	}

	byName, err := c.ListCompaniesWithResponse(ctx, &marketplace.ListCompaniesParams{Name: ptr("Customer Company One")})
	if err != nil {
		t.Fatal(err)
	}
	if byName.JSON200 == nil || len(byName.JSON200.Content) != 1 || byName.JSON200.Content[0].Id.String() != idCustomerOne {
		t.Errorf("listCompanies by name: %d %s", byName.StatusCode(), byName.Body)
	}

	one, err := c.GetCompanyWithResponse(ctx, idCustomerOne)
	if err != nil {
		t.Fatal(err)
	}
	if one.JSON200 == nil || one.JSON200.Name != "Customer Company One" || one.JSON200.ExternalId == nil || *one.JSON200.ExternalId != "c333333" ||
		one.JSON200.Status != marketplace.StatusPendingActivation || one.JSON200.DefaultRole != marketplace.RoleUser ||
		len(one.JSON200.AccessTypes) != 1 || one.JSON200.AccessTypes[0] != marketplace.AccessTypeCustomer || one.JSON200.Website != nil {
		t.Errorf("getCompany: %d %s", one.StatusCode(), one.Body)
	}

	ext, err := c.GetCompanyByExternalIdWithResponse(ctx, "a111111")
	if err != nil {
		t.Fatal(err)
	}
	if ext.JSON200 == nil || ext.JSON200.Id.String() != idMyCompany || ext.JSON200.Name != "My Company Inc." {
		t.Errorf("getCompanyByExternalId: %d %s", ext.StatusCode(), ext.Body)
	}

	missing, err := c.GetCompanyWithResponse(ctx, idUnknown)
	if err != nil {
		t.Fatal(err)
	}
	if missing.StatusCode() != http.StatusNotFound || missing.JSON404 == nil || missing.JSON404.Code != marketplace.ErrorCodeNotFound {
		t.Errorf("getCompany unknown: %d %s", missing.StatusCode(), missing.Body)
	}
	missingExt, err := c.GetCompanyByExternalIdWithResponse(ctx, "z999999")
	if err != nil {
		t.Fatal(err)
	}
	if missingExt.StatusCode() != http.StatusNotFound || missingExt.JSON404 == nil || missingExt.JSON404.Code != marketplace.ErrorCodeNotFound {
		t.Errorf("getCompanyByExternalId unknown: %d %s", missingExt.StatusCode(), missingExt.Body)
	}
	bad, err := c.ListCompaniesWithResponse(ctx, &marketplace.ListCompaniesParams{Size: ptr(500)})
	if err != nil {
		t.Fatal(err)
	}
	if bad.StatusCode() != http.StatusBadRequest || bad.JSON400 == nil || bad.JSON400.Code != marketplace.ErrorCodeBadRequest {
		t.Errorf("listCompanies size=500: %d %s", bad.StatusCode(), bad.Body)
	}
}

// TestGeneratedCodeIsCurrent regenerates each client in-process with the
// options `oapi-codegen -generate types,client -package <pkg>` uses (the
// //go:generate line of each package) and compares it with the committed
// generated.go: a spec changed without `go generate ./contract/oapiclient/...`
// fails here.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	// The version the module requires, which `go tool oapi-codegen` runs.
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/oapi-codegen/oapi-codegen/v2 (v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/oapi-codegen/oapi-codegen/v2")
	}
	version := string(m[1])
	for _, tc := range []struct{ pkg, spec string }{
		{"clientsv0", "clients-v0"},
		{"clientsv2", "clients-v2"},
		{"marketplace", "marketplace"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			swagger, err := util.LoadSwagger(filepath.Join("..", "..", "specs", tc.spec, "openapi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			cfg := codegen.Configuration{
				PackageName: tc.pkg,
				Generate:    codegen.GenerateOptions{Models: true, Client: true},
			}.UpdateDefaults()
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			code, err := codegen.Generate(swagger, cfg)
			if err != nil {
				t.Fatal(err)
			}
			committed, err := os.ReadFile(filepath.Join(tc.pkg, "generated.go"))
			if err != nil {
				t.Fatal(err)
			}
			// The library names the running program's module in its header; the
			// command names itself.
			lines := strings.SplitN(code, "\n", 4)
			if len(lines) < 4 || !strings.HasPrefix(lines[2], "// Code generated by ") {
				t.Fatalf("unexpected header: %q", lines)
			}
			lines[2] = "// Code generated by github.com/oapi-codegen/oapi-codegen/v2 version " + version + " DO NOT EDIT."
			code = strings.Join(lines, "\n")
			if code != string(committed) {
				t.Errorf("%s/generated.go is not what oapi-codegen generates from specs/%s/openapi.yaml; run go generate ./contract/oapiclient/...", tc.pkg, tc.spec)
			}
		})
	}
}
