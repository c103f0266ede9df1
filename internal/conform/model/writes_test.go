package model

import (
	"fmt"
	"strings"
	"testing"
)

// TestWrites: the marketplace mutations bound to records, with every read
// of their collections.
func TestWrites(t *testing.T) {
	apis, err := LoadBundled(map[string]bool{"marketplace": true})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	var got []string
	for _, w := range a.Writes() {
		r := a.CollectionReads(w.Collection)
		var reads []string
		for _, l := range r.Lookups {
			reads = append(reads, l.Def.Name+"("+l.Arg+")")
		}
		for _, c := range r.Connections {
			reads = append(reads, c.Name())
		}
		for _, n := range r.Nested {
			reads = append(reads, fmt.Sprintf("%s.%s[%s=%s]", n.Conn.Parent.NodeType.Name, n.Conn.Field.Name, n.ChildField, n.ParentField))
		}
		for _, c := range r.REST {
			reads = append(reads, c.Operation.ID())
		}
		for _, l := range r.Lists {
			reads = append(reads, l.Op.ID())
		}
		got = append(got, fmt.Sprintf("%s %s %s(%s %s) guarded=%v record=%s reads=%s", w.Mutation.Name, w.Kind, w.Collection, w.Arg, w.ArgType, w.Guarded, w.RecordField, strings.Join(reads, ",")))
	}
	want := []string{
		"deleteAccount delete accounts(input.accountId ID!) guarded=true record= reads=account(id),accountByExternalId(externalId),accounts,getCompany,getCompanyByExternalId,listCompanies",
		"deleteAccountMembership delete memberships(input.membershipId ID!) guarded=false record= reads=Account.memberships[accountId=id]",
		"terminateSubscription update subscriptions(input.subscriptionId ID!) guarded=false record=subscription reads=Account.subscriptions[accountId=id]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
