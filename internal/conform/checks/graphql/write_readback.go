package graphql

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// racers is how many identical writes the race case sends at once.
const racers = 8

// nowValue is what a manifest's Set writes for "the time of the write".
const nowValue = "{{now}}"

// WriteReadback is graphql-write-readback: every mutation bound to records
// (model.Writes: deleteAccount, deleteAccountMembership,
// terminateSubscription) on a record it may change, read back before and
// after through every read of the record's collection (lookups, root and
// nested connections, REST reads and lists): a delete leaves no read
// finding the record, lookups answer their documented not-found code, and
// every list counts one less; an update shows the fields it sets in every
// read (and in its payload), nothing else changed, and a list filtered by
// a field it set holds the record under the new value, not the old. The
// write repeated is not done again: no success, nothing changed, and a
// coded error where the contract promises one (repeatCodes). A second case sends 8
// identical writes at once: exactly one succeeds.
func (Catalog) WriteReadback() kit.Check {
	return kit.Check{
		Name:        "graphql-write-readback",
		Proto:       kit.GraphQL,
		Phase:       kit.PhaseBehaviour,
		Class:       kit.ClassWrites,
		Destructive: true,
		Doc:         "every mutation read back through every read of its records, repeated (refused, nothing changed) and raced (one of 8 succeeds)",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, w := range a.Writes() {
				reads := a.CollectionReads(w.Collection)
				if reads.Empty() {
					continue
				}
				n := len(reads.Lookups) + len(reads.Connections) + len(reads.Nested) + len(reads.REST) + len(reads.Lists)
				title := fmt.Sprintf("%s: the record read back through every read of %s (%d) after the write; the write repeated is refused and changes nothing", w.Mutation.Name, w.Collection, n)
				out = append(out, kit.Single(ch, a, w.Mutation.Name, title, func(t *kit.T) { writeAndRead(t, a, w) }))
				if w.Kind == model.KindDelete || refused(w, applySet(w, map[string]any{})) {
					title = fmt.Sprintf("%d concurrent %s of one record: exactly one succeeds", racers, w.Mutation.Name)
					out = append(out, kit.Single(ch, a, w.Mutation.Name, title, func(t *kit.T) { writeRace(t, a, w) }))
				}
			}
			return out
		},
	}
}

// applySet is rec after an update's Set ("{{now}}" kept as is).
func applySet(w model.Write, rec map[string]any) map[string]any {
	out := maps.Clone(rec)
	if out == nil {
		out = map[string]any{}
	}
	for f, v := range w.Set {
		out[f] = v
	}
	return out
}

func writeAndRead(t *kit.T, a *kit.API, w model.Write) {
	mut := w.Mutation.Name
	rec := pickTarget(t, a, w)
	id := rec[w.Field]
	rb := newReadBack(a, w)
	before := rb.look(t, w, rec)
	expectFound(t, "before "+mut, before, id)
	if t.Failed() {
		t.FailNow()
	}
	t.DropExchanges()
	q := mutationText(a, w)
	r := kit.GQL(t, a.Credentials(), q, map[string]any{"id": id})
	if !kit.RequireOK(t, r) || !succeeded(r, mut) {
		t.Fatalf(kit.GQLPath("data."+mut), "%s of %s %s did not succeed: %s", mut, w.Field, kit.Canonical(id), kit.Excerpt(r.Data))
	}
	t.DropExchanges()
	after := rb.look(t, w, rec)
	what := fmt.Sprintf("after %s of %s", mut, kit.Canonical(id))
	if w.Kind == model.KindDelete {
		expectGone(t, what, before, after, rb.reads.Lookups)
	} else {
		payload, _ := kit.At(r.Decoded(), mut, w.RecordField).(map[string]any)
		expectUpdated(t, w, what, rec, payload, before, after)
		expectFiltered(t, a, w, rec)
	}
	t.DropExchanges()

	// The same write again.
	r2 := kit.GQL(t, a.Credentials(), q, map[string]any{"id": id})
	what = fmt.Sprintf("%s of %s repeated", mut, kit.Canonical(id))
	again := w.Kind == model.KindDelete || refused(w, applySet(w, rec))
	if again {
		if succeeded(r2, mut) {
			t.Errorf(kit.GQLPath("data."+mut), "%s answered success: it was already done, and a repeat must be refused (%s)", what, kit.Excerpt(r2.Data))
		}
		if codes, why := repeatCodes(a, w); len(codes) > 0 && !hasCode(r2, codes...) {
			t.Errorf(kit.GQLPath("errors"), "%s: want an error coded %s (%s), got %s", what, strings.Join(codes, " or "), why, errorCodes(r2))
		}
	}
	after2 := rb.look(t, w, rec)
	if w.Kind == model.KindDelete {
		expectGone(t, what, before, after2, rb.reads.Lookups)
	} else {
		expectUnchanged(t, what, after, after2)
	}
	if !t.Failed() {
		t.DropExchanges()
	}
}

// expectUpdated checks every read after an update: the record found,
// the fields Set writes with their new values, no other field changed,
// the payload's record equal to what the reads say.
func expectUpdated(t *kit.T, w model.Write, what string, rec, payload map[string]any, before, after []sighting) {
	set := map[string]bool{}
	for f := range w.Set {
		set[f] = true
	}
	for i, s := range after {
		if !s.found {
			t.Errorf(kit.InTheRun("read back"), "%s: %s no longer finds the record", what, s.read)
			continue
		}
		for _, f := range slices.Sorted(maps.Keys(w.Set)) {
			got, ok := s.rec[f]
			if !ok {
				continue
			}
			want := w.Set[f]
			switch {
			case want == nowValue && got == nil:
				t.Errorf(kit.InTheRun("read back"), "%s: %s reads %s null; %s sets it to the time of the write", what, s.read, f, w.Mutation.Name)
			case want != nowValue && kit.Canonical(got) != kit.Canonical(want):
				t.Errorf(kit.InTheRun("read back"), "%s: %s reads %s %s; %s sets it to %s", what, s.read, f, kit.Canonical(got), w.Mutation.Name, kit.Canonical(want))
			}
		}
		if i < len(before) && before[i].found {
			if d := diffFields(before[i].rec, s.rec, set); len(d) > 0 {
				t.Errorf(kit.InTheRun("read back"), "%s: %s reads fields %s does not set changed: %s", what, s.read, w.Mutation.Name, strings.Join(d, ", "))
			}
			if before[i].total >= 0 && s.total >= 0 && before[i].total != s.total {
				t.Errorf(kit.InTheRun("read back"), "%s: %s counts %d records, %d before", what, s.read, s.total, before[i].total)
			}
		}
		if payload != nil {
			if d := diffFields(payload, s.rec, nil); len(d) > 0 {
				t.Errorf(kit.GQLPath("data."+w.Mutation.Name+"."+w.RecordField), "%s: the payload's record and %s disagree: %s", what, s.read, strings.Join(d, ", "))
			}
		}
	}
}

// expectFiltered reads the record through every connection filtered by
// an argument named like a field the update sets: under the new value it
// is there, under the old one it is not.
func expectFiltered(t *kit.T, a *kit.API, w model.Write, rec map[string]any) {
	reads := a.CollectionReads(w.Collection)
	sel := "{ " + strings.Join(model.LeafFields(a.Schema, w.Node), " ") + " }"
	max := t.Env().Config.MaxRecords
	type conn struct {
		c    model.Connection
		args map[string]any
	}
	var conns []conn
	for _, c := range reads.Connections {
		conns = append(conns, conn{c, nil})
	}
	for _, n := range reads.Nested {
		if p := rec[n.ChildField]; p != nil {
			conns = append(conns, conn{n.Conn, map[string]any{model.ParentArg: p}})
		}
	}
	for _, cn := range conns {
		for _, f := range slices.Sorted(maps.Keys(w.Set)) {
			newV, oldV := w.Set[f], rec[f]
			if cn.c.Field.Arguments.ForName(f) == nil || newV == nowValue || oldV == nil || kit.Canonical(oldV) == kit.Canonical(newV) {
				continue
			}
			for _, tc := range []struct {
				v    any
				want bool
			}{{newV, true}, {oldV, false}} {
				args := maps.Clone(cn.args)
				if args == nil {
					args = map[string]any{}
				}
				args[f] = tc.v
				nodes, _ := kit.WalkForward(t, cn.c, args, sel, cn.c.MaxPageSize(), max, nil)
				s := find(cn.c.Label(args), nodes, nil, w.Field, rec[w.Field])
				switch {
				case tc.want && !s.found:
					t.Errorf(kit.InTheRun("read back"), "after %s, %s(%s: %s) does not hold the record, which now has %s %s", w.Mutation.Name, s.read, f, kit.Canonical(tc.v), f, kit.Canonical(tc.v))
				case !tc.want && s.found:
					t.Errorf(kit.InTheRun("read back"), "after %s, %s(%s: %s) still holds the record, which now has %s %s", w.Mutation.Name, s.read, f, kit.Canonical(tc.v), f, kit.Canonical(newV))
				}
			}
		}
	}
}

// repeatCodes are the codes a repeated write's error must carry, and
// why: a delete's the API's not-found code, where the mutation's
// description names it or the SDL says every error is coded; an update's
// one of the codes its description names.
func repeatCodes(a *kit.API, w model.Write) ([]string, string) {
	named := namedCodes(w)
	if w.Kind == model.KindDelete {
		nf := a.GraphQLErrorCode(http.StatusNotFound)
		switch {
		case slices.Contains(named, nf):
			return []string{nf}, fmt.Sprintf("%s's description names %s for a record that does not exist", w.Mutation.Name, nf)
		case a.ErrorsCarryCodes():
			return []string{nf}, fmt.Sprintf("every error is coded, and %s is the API's for a record that does not exist", nf)
		}
		return nil, ""
	}
	return named, fmt.Sprintf("the codes %s's description names", w.Mutation.Name)
}

// hasCode reports whether an error of r carries one of codes.
func hasCode(r kit.GQLResult, codes ...string) bool {
	for _, e := range r.Errors {
		if slices.Contains(codes, e.Code()) {
			return true
		}
	}
	return false
}

// errorCodes renders a result's error codes for messages.
func errorCodes(r kit.GQLResult) string {
	if len(r.Errors) == 0 {
		return "no error"
	}
	var codes []string
	for _, e := range r.Errors {
		codes = append(codes, fmt.Sprintf("%q", e.Code()))
	}
	return "codes " + strings.Join(codes, ", ")
}

// writeRace sends racers identical writes of one record at once.
func writeRace(t *kit.T, a *kit.API, w model.Write) {
	mut := w.Mutation.Name
	rec := pickTarget(t, a, w)
	id := rec[w.Field]
	rb := newReadBack(a, w)
	before := rb.look(t, w, rec)
	t.DropExchanges()
	q := mutationText(a, w)
	ok := make([]bool, racers)
	t.Concurrently(racers, func(i int, c *kit.T) {
		ok[i] = succeeded(kit.GQL(c, a.Credentials(), q, map[string]any{"id": id}), mut)
	})
	n := 0
	for _, s := range ok {
		if s {
			n++
		}
	}
	if n != 1 {
		t.Errorf(kit.GQLPath("data."+mut), "%d concurrent %s of %s %s: %d succeeded, want exactly one (the others find it already done)", racers, mut, w.Field, kit.Canonical(id), n)
	}
	after := rb.look(t, w, rec)
	what := fmt.Sprintf("after %d concurrent %s of %s", racers, mut, kit.Canonical(id))
	if w.Kind == model.KindDelete {
		expectGone(t, what, before, after, rb.reads.Lookups)
	} else {
		expectUpdated(t, w, what, rec, nil, before, after)
	}
	if !t.Failed() {
		t.DropExchanges()
	}
}
