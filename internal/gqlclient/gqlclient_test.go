package gqlclient_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/standin/standin/internal/gqlclient"
	"github.com/standin/standin/internal/gqlclient/admin"
	"github.com/standin/standin/internal/gqlclient/marketplace"
	"github.com/standin/standin/standintest"
)

const (
	idCustomerOne = "7480a312-916e-4739-b53a-7345bf3c6929"
	idMyCompany   = "017eb76e-957f-409e-8be3-fc6fed394137"
	idDormant     = "0438bc88-bd79-40be-bc89-93d27b5773eb"
)

func ptr[T any](v T) *T { return &v }

func clients(t *testing.T) (*standintest.Server, graphql.Client, graphql.Client) {
	srv := standintest.Start(t)
	base := srv.Client().Transport
	return srv, gqlclient.New(srv.URL+"/graphql", standintest.AdminToken, base),
		gqlclient.New(srv.URL+"/api/graphql", standintest.AdminToken, base)
}

// codeOf returns the extensions.code of the first GraphQL error in err.
func codeOf(err error) string {
	var list gqlerror.List
	if errors.As(err, &list) && len(list) > 0 {
		c, _ := list[0].Extensions["code"].(string)
		return c
	}
	return ""
}

func TestAdminAllClients(t *testing.T) {
	srv, adm, _ := clients(t)
	ctx := context.Background()
	resp, err := admin.AllClients(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	conn := resp.Admin.AllClients
	if conn == nil || len(conn.Edges) != conn.TotalCount || conn.TotalCount < 2 {
		t.Fatalf("allClients: %+v", conn)
	}
	n := conn.Edges[0].Node
	if n.Name != "client-name-1" || n.Code != "client-code-1" || n.Group == nil || *n.Group != "client-group-1" {
		t.Fatalf("first client: %+v", n)
	}
	// Walk the pages with first/after.
	var codes []string
	var after *string
	for {
		p, err := admin.AllClientsPage(ctx, adm, ptr(25), after)
		if err != nil {
			t.Fatal(err)
		}
		c := p.Admin.AllClients
		for _, e := range c.Edges {
			codes = append(codes, e.Node.Code)
			if e.Node.ClientData == nil || e.Node.ClientData.CreatedAt == "" {
				t.Fatalf("clientData: %+v", e.Node)
			}
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = c.PageInfo.EndCursor
	}
	if len(codes) != conn.TotalCount || codes[1] != "client-code-2" {
		t.Fatalf("walked %d of %d clients", len(codes), conn.TotalCount)
	}
	// The read-only token lacks ADMIN: a FORBIDDEN error, allClients null.
	ro := gqlclient.New(srv.URL+"/graphql", standintest.ReadonlyToken, srv.Client().Transport)
	resp, err = admin.AllClients(ctx, ro)
	if codeOf(err) != "FORBIDDEN" || resp == nil || resp.Admin == nil || resp.Admin.AllClients != nil {
		t.Fatalf("readonly: %v %+v", err, resp)
	}
}

func TestMarketplaceDocumentedOperations(t *testing.T) {
	_, _, mkt := clients(t)
	ctx := context.Background()

	acc, err := marketplace.Account(ctx, mkt, idCustomerOne)
	if err != nil {
		t.Fatal(err)
	}
	a := acc.Account
	if a == nil || a.Name != "Customer Company One" || *a.ExternalId != "c333333" || a.Status != marketplace.AccountStatusPendingActivation ||
		!slices.Equal(a.AccessTypes, []marketplace.AccountAccessType{marketplace.AccountAccessTypeCustomer}) ||
		a.CountryCode != "US" || a.DefaultRole != marketplace.AccountRoleUser || a.CreatedOn == "" {
		t.Fatalf("account: %+v", a)
	}

	list, err := marketplace.Accounts(ctx, mkt, ptr(100), nil, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if list.Accounts.Nodes[0].Name != "My Company Inc." || list.Accounts.Nodes[1].Id != idCustomerOne {
		t.Fatalf("accounts: %+v", list.Accounts.Nodes[:2])
	}
	total := list.Accounts.TotalCount
	byName, err := marketplace.Accounts(ctx, mkt, nil, nil, nil, nil, &marketplace.AccountFilter{Name: ptr("My Company Inc.")},
		&marketplace.AccountOrder{Field: marketplace.AccountOrderFieldName, Direction: marketplace.OrderDirectionDesc})
	if err != nil || byName.Accounts.TotalCount != 1 || byName.Accounts.Nodes[0].Id != idMyCompany {
		t.Fatalf("filter by name: %v %+v", err, byName)
	}
	ext, err := marketplace.AccountByExternalId(ctx, mkt, "c333333")
	if err != nil || ext.AccountByExternalId.Id != idCustomerOne {
		t.Fatalf("accountByExternalId: %v %+v", err, ext)
	}

	// The page's deletion.
	del, err := marketplace.DeleteAccount(ctx, mkt, idDormant)
	if err != nil || del.DeleteAccount == nil || !del.DeleteAccount.Success {
		t.Fatalf("deleteAccount: %v %+v", err, del)
	}
	// Customer Company One is blocked until its memberships and active
	// subscriptions are gone.
	if _, err := marketplace.DeleteAccount(ctx, mkt, idCustomerOne); codeOf(err) != "ACCOUNT_HAS_MEMBERSHIPS" {
		t.Fatalf("blocked delete: %v", err)
	}
	for _, m := range a.Memberships.Nodes {
		if r, err := marketplace.DeleteAccountMembership(ctx, mkt, m.Id); err != nil || !r.DeleteAccountMembership.Success {
			t.Fatalf("deleteAccountMembership: %v", err)
		}
	}
	if _, err := marketplace.DeleteAccount(ctx, mkt, idCustomerOne); codeOf(err) != "ACCOUNT_HAS_ACTIVE_SUBSCRIPTIONS" {
		t.Fatalf("blocked delete: %v", err)
	}
	for _, s := range a.Subscriptions.Nodes {
		if s.Status == marketplace.SubscriptionStatusCancelled {
			continue
		}
		r, err := marketplace.TerminateSubscription(ctx, mkt, s.Id)
		if err != nil || r.TerminateSubscription.Subscription.Status != marketplace.SubscriptionStatusCancelled || r.TerminateSubscription.Subscription.EndedOn == nil {
			t.Fatalf("terminateSubscription: %v %+v", err, r)
		}
	}
	if del, err := marketplace.DeleteAccount(ctx, mkt, idCustomerOne); err != nil || !del.DeleteAccount.Success {
		t.Fatalf("delete after unblocking: %v", err)
	}
	if _, err := marketplace.Account(ctx, mkt, idCustomerOne); codeOf(err) != "NOT_FOUND" {
		t.Fatalf("account after delete: %v", err)
	}
	list, err = marketplace.Accounts(ctx, mkt, ptr(0), nil, nil, nil, nil, nil)
	if err != nil || list.Accounts.TotalCount != total-2 {
		t.Fatalf("totalCount after two deletes: %v %d, want %d", err, list.Accounts.TotalCount, total-2)
	}
}
