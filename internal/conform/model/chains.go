package model

import (
	"maps"
	"slices"
)

// GuardedDelete is a stateful chain the contract implies: a delete
// mutation refused while blocker records point at its target, each kind
// of blocker removed by a mutation of its own, then the delete succeeding
// and the record gone from every read (e.g. deleteAccount, refused with
// ACCOUNT_HAS_MEMBERSHIPS until deleteAccountMembership removed them). It
// is known from the hints' field bindings.
type GuardedDelete struct {
	// Mutation deletes the record selected by its argument Arg (a dotted
	// path such as input.accountId).
	Mutation, Arg string
	// Collection and Field are the deleted records' collection and the
	// field Arg selects by.
	Collection, Field string
	// Lookup is the query field reading one record by Field (account);
	// Connection the root connection listing the collection (accounts);
	// Type the record's GraphQL type (Account).
	Lookup, Connection, Type string
	Blockers                 []ChainBlocker
	// Reads are the REST operations reading the record by Field.
	Reads []ChainRead
}

// ChainBlocker is one kind of blocker of a guarded delete.
type ChainBlocker struct {
	Code, Collection string
	Where            map[string][]any
	// Connection is the field of the record's type listing the blockers
	// (Account.memberships).
	Connection string
	// Remover is the mutation that removes one blocker ("" when none
	// does), selecting it by its argument RemoverArg.
	Remover, RemoverArg string
}

// ChainRead is a REST operation reading the record of a chain with its
// path parameter Param, the record's field Field.
type ChainRead struct {
	Operation Operation
	Param     string
	Field     string
}

// GuardedDeletes lists the API's delete mutations that have blockers, by
// name.
func (a *API) GuardedDeletes() []GuardedDelete {
	if a.Schema == nil || a.Schema.Mutation == nil || a.Hints.Fields == nil {
		return nil
	}
	muts := a.Hints.Fields[a.Schema.Mutation.Name]
	queries := a.Hints.Fields[a.Schema.Query.Name]
	var out []GuardedDelete
	for _, name := range slices.Sorted(maps.Keys(muts)) {
		b := muts[name]
		if b.Kind != KindDelete || len(b.Blockers) == 0 {
			continue
		}
		d := GuardedDelete{Mutation: name, Arg: b.Arg, Collection: b.Collection, Field: b.Field}
		for _, f := range slices.Sorted(maps.Keys(queries)) {
			fb := queries[f]
			if fb.Collection == b.Collection && fb.Kind == KindGet && fb.Field == b.Field && d.Lookup == "" {
				d.Lookup = f
			}
			if fb.Collection == b.Collection && fb.Kind == KindConnection {
				d.Connection = f
			}
		}
		lookup := a.Schema.Query.Fields.ForName(d.Lookup)
		if lookup == nil {
			continue // no query reads the record back: no chain
		}
		d.Type = lookup.Type.Name()
		for _, blk := range b.Blockers {
			cb := ChainBlocker{Code: blk.Code, Collection: blk.Collection, Where: blk.Where}
			typeFields := a.Hints.Fields[d.Type]
			for _, f := range slices.Sorted(maps.Keys(typeFields)) {
				if fb := typeFields[f]; fb.Kind == KindConnection && fb.Collection == blk.Collection {
					cb.Connection = f
				}
			}
			for _, m := range slices.Sorted(maps.Keys(muts)) {
				if mb := muts[m]; mb.Collection == blk.Collection && (mb.Kind == KindDelete || mb.Kind == KindUpdate) {
					cb.Remover, cb.RemoverArg = m, mb.Arg
				}
			}
			d.Blockers = append(d.Blockers, cb)
		}
		for _, o := range a.Operations() {
			r, ok := a.Hints.Reads[o.ID()]
			if ok && r.Field == b.Field && r.Collection == b.Collection {
				d.Reads = append(d.Reads, ChainRead{Operation: o, Param: r.Param, Field: r.Field})
			}
		}
		out = append(out, d)
	}
	return out
}
