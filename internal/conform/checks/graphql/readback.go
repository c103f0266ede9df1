package graphql

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Reading a record back through every read of its collection: the shared
// part of the write checks (graphql-write-readback, graphql-role-writes,
// graphql-delete-account).

// sighting is what one read says of a record: found (its fields) or not,
// and the size of the list that was searched.
type sighting struct {
	read  string
	rec   map[string]any // nil: the read does not find the record
	total int            // the list's total (-1: not a list, or none said)
	codes []string       // a lookup's error codes
	found bool
}

// readBack reads records of one collection through every read of it.
type readBack struct {
	a     *kit.API
	reads model.CollectionReads
	key   string // the field that identifies a record
}

func newReadBack(a *kit.API, w model.Write) readBack {
	return readBack{a: a, reads: a.CollectionReads(w.Collection), key: w.Field}
}

// leaves selects the record's scalar and enum fields.
func (rb readBack) leaves(w model.Write) string {
	return "{ " + strings.Join(model.LeafFields(rb.a.Schema, w.Node), " ") + " }"
}

// look reads rec (by its fields) through every read.
func (rb readBack) look(t *kit.T, w model.Write, rec map[string]any) []sighting {
	a, sel := rb.a, rb.leaves(w)
	id := rec[rb.key]
	max := t.Env().Config.MaxRecords
	var out []sighting
	for _, l := range rb.reads.Lookups {
		v := rec[l.Field]
		if v == nil {
			continue
		}
		ad := l.Def.Arguments.ForName(l.Arg)
		r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($v: %s) { %s(%s: $v) %s }", ad.Type, l.Def.Name, l.Arg, sel), map[string]any{"v": v})
		s := sighting{read: fmt.Sprintf("%s(%s: %s)", l.Def.Name, l.Arg, kit.Canonical(v)), total: -1}
		s.rec, _ = kit.At(r.Decoded(), l.Def.Name).(map[string]any)
		s.found = s.rec != nil
		for _, e := range r.Errors {
			s.codes = append(s.codes, e.Code())
		}
		out = append(out, s)
	}
	for _, c := range rb.reads.REST {
		v := rec[c.Field]
		if v == nil {
			continue
		}
		o := c.Operation
		path := o.Fill(map[string]string{c.Param: kit.QueryValue(v)})
		resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.Credentials()})
		s := sighting{read: o.Method + " " + path, total: -1}
		if resp.Status >= 200 && resp.Status < 300 {
			body, _ := kit.DecodeJSON(resp.Body)
			s.rec, _ = body.(map[string]any)
			s.found = true
		} else if resp.Status != http.StatusNotFound {
			t.Errorf(kit.Status(), "%s: want %d or 404, got %d", s.read, o.SuccessStatus(), resp.Status)
		}
		out = append(out, s)
	}
	for _, c := range rb.reads.Connections {
		nodes, pages := kit.WalkForward(t, c, nil, sel, c.MaxPageSize(), max, nil)
		out = append(out, find(c.Name(), nodes, pages, rb.key, id))
	}
	for _, n := range rb.reads.Nested {
		parent := rec[n.ChildField]
		if parent == nil {
			continue
		}
		args := map[string]any{model.ParentArg: parent}
		nodes, pages := kit.WalkForward(t, n.Conn, args, sel, n.Conn.MaxPageSize(), max, nil)
		out = append(out, find(n.Conn.Label(args), nodes, pages, rb.key, id))
	}
	for _, l := range rb.reads.Lists {
		pages, recs := kit.WalkList(t, l, l.BigSize(), max, nil, false)
		s := sighting{read: "GET " + l.Op.Path, total: -1}
		if len(pages) > 0 {
			if n, ok := kit.IntField(pages[0].Body, model.TotalNames()...); ok {
				s.total = n
			}
		}
		for _, r := range recs {
			if kit.Canonical(r.Rec[rb.key]) == kit.Canonical(id) {
				s.rec, s.found = r.Rec, true
			}
		}
		out = append(out, s)
	}
	return out
}

func find(read string, nodes []map[string]any, pages []kit.ConnPage, key string, id any) sighting {
	s := sighting{read: read, total: -1}
	if len(pages) > 0 {
		s.total = pages[0].TotalCount
	}
	for _, n := range nodes {
		if kit.Canonical(n[key]) == kit.Canonical(id) {
			s.rec, s.found = n, true
		}
	}
	return s
}

// diffFields lists the fields two readings of a record disagree on,
// among the fields both have (skip: fields left out).
func diffFields(want, got map[string]any, skip map[string]bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		if !ok || skip[k] {
			continue
		}
		if kit.Canonical(want[k]) != kit.Canonical(g) {
			out = append(out, fmt.Sprintf("%s (was %s, now %s)", k, kit.Canonical(want[k]), kit.Canonical(g)))
		}
	}
	return out
}

// expectFound records a violation for every read that does not find the
// record before a write: the write's read-back would mean nothing.
func expectFound(t *kit.T, when string, ss []sighting, id any) {
	for _, s := range ss {
		if !s.found {
			t.Errorf(kit.InTheRun("read back"), "%s, %s does not find the record %s", when, s.read, kit.Canonical(id))
		}
	}
}

// expectUnchanged records a violation for every read whose record or
// list size differs between before and after.
func expectUnchanged(t *kit.T, what string, before, after []sighting) {
	for i, b := range before {
		if i >= len(after) {
			break
		}
		a := after[i]
		switch {
		case b.found && !a.found:
			t.Errorf(kit.InTheRun("read back"), "%s: %s no longer finds the record", what, a.read)
		case b.found:
			if d := diffFields(b.rec, a.rec, nil); len(d) > 0 {
				t.Errorf(kit.InTheRun("read back"), "%s: %s reads the record changed: %s", what, a.read, strings.Join(d, ", "))
			}
		}
		if b.total >= 0 && a.total >= 0 && a.total != b.total {
			t.Errorf(kit.InTheRun("read back"), "%s: %s counts %d records, %d before", what, a.read, a.total, b.total)
		}
	}
}

// expectGone records a violation for every read that still finds a
// deleted record, a lookup that answers no documented not-found code, and
// a list whose total did not drop by one.
func expectGone(t *kit.T, what string, before, after []sighting, lookups []model.LookupRead) {
	notFound := map[string]string{}
	for _, l := range lookups {
		notFound[l.Def.Name] = l.NotFound
	}
	for i, a := range after {
		if a.found {
			t.Errorf(kit.InTheRun("read back"), "%s: %s still finds the record", what, a.read)
		}
		if name, _, ok := strings.Cut(a.read, "("); ok && notFound[name] != "" && !a.found && !slices.Contains(a.codes, notFound[name]) {
			t.Errorf(kit.InTheRun("read back"), "%s: %s answers null without the documented %s error (codes %v)", what, a.read, notFound[name], a.codes)
		}
		if i < len(before) && before[i].total >= 0 && a.total >= 0 && a.total != before[i].total-1 {
			t.Errorf(kit.InTheRun("read back"), "%s: %s counts %d records, want %d (one less than before)", what, a.read, a.total, before[i].total-1)
		}
	}
}

// mutationText writes the mutation of w on the record selected by $id,
// selecting the payload's leaves and the record it holds.
func mutationText(a *kit.API, w model.Write) string {
	payload := a.Schema.Types[w.Mutation.Type.Name()]
	var sel []string
	if payload != nil {
		sel = model.LeafFields(a.Schema, payload)
		if w.RecordField != "" {
			sel = append(sel, w.RecordField+" { "+strings.Join(model.LeafFields(a.Schema, w.Node), " ")+" }")
		}
	}
	body := ""
	if len(sel) > 0 {
		body = " { " + strings.Join(sel, " ") + " }"
	}
	return fmt.Sprintf("mutation($id: %s) { %s(%s)%s }", w.ArgType, w.Mutation.Name, argLiteral(w.Arg), body)
}

// succeeded reports whether a mutation's answer says it was done: a
// payload without errors, whose success field (when it has one) is true.
func succeeded(r kit.GQLResult, field string) bool {
	p, _ := kit.At(r.Decoded(), field).(map[string]any)
	if p == nil || len(r.Errors) > 0 {
		return false
	}
	if s, ok := p["success"]; ok {
		return s == true
	}
	return true
}

// namedCodes lists the error codes a mutation's description names
// (ACCOUNT_HAS_MEMBERSHIPS, NOT_FOUND, BAD_USER_INPUT).
func namedCodes(w model.Write) []string {
	var out []string
	for _, f := range strings.FieldsFunc(w.Mutation.Description, func(r rune) bool {
		return !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) {
		if strings.Contains(f, "_") && strings.Trim(f, "_") == f && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// pickTarget finds a record w may change: ids.<argument> when configured,
// else the first record of a connection of the collection that an update
// does not refuse and a guarded delete finds no blocker on. It returns the
// record's leaf fields; a collection without one skips the step.
func pickTarget(t *kit.T, a *kit.API, w model.Write) map[string]any {
	reads := a.CollectionReads(w.Collection)
	sel := "{ " + strings.Join(model.LeafFields(a.Schema, w.Node), " ") + " }"
	max := t.Env().Config.MaxRecords
	argName := w.Arg[strings.LastIndexByte(w.Arg, '.')+1:]
	want := a.ID(argName)
	var candidates []map[string]any
	for _, c := range reads.Connections {
		nodes, _ := kit.WalkForward(t, c, nil, sel, c.MaxPageSize(), max, nil)
		candidates = append(candidates, nodes...)
	}
	if len(candidates) == 0 {
		for _, n := range reads.Nested {
			keys, counts := kit.Parents(t, n.Conn, max)
			for i, k := range keys {
				if counts[i] == 0 {
					continue
				}
				nodes, _ := kit.WalkForward(t, n.Conn, map[string]any{model.ParentArg: k}, sel, n.Conn.MaxPageSize(), max, nil)
				candidates = append(candidates, nodes...)
				if want == "" && len(candidates) >= 20 {
					break
				}
			}
		}
	}
	t.DropExchanges()
	var guard *model.GuardedDelete
	for _, d := range a.GuardedDeletes() {
		if d.Mutation == w.Mutation.Name {
			guard = &d
		}
	}
	for i, rec := range candidates {
		if want != "" && kit.QueryValue(rec[w.Field]) != want {
			continue
		}
		if refused(w, rec) || (guard != nil && (i >= 100 || blocked(t, a, *guard, rec[w.Field]))) {
			continue
		}
		t.DropExchanges()
		return rec
	}
	if want != "" {
		t.Skip("ids.%s %s is not a record %s may change (not listed, refused, or blocked)", argName, want, w.Mutation.Name)
	}
	t.Skip("no record of %s that %s may change was found (set ids.%s in conform.yaml)", w.Collection, w.Mutation.Name, argName)
	return nil
}

// refused reports whether an update refuses the record (RefuseWhen).
func refused(w model.Write, rec map[string]any) bool {
	for f, vals := range w.RefuseWhen {
		for _, v := range vals {
			if kit.Canonical(v) == kit.Canonical(rec[f]) {
				return true
			}
		}
	}
	return false
}

// blocked reports whether a guarded delete finds a blocker on the record.
func blocked(t *kit.T, a *kit.API, d model.GuardedDelete, id any) bool {
	var parts []string
	for _, b := range d.Blockers {
		if b.Connection == "" {
			return true // blockers the suite cannot read: assume some
		}
		extra := strings.Join(slices.Sorted(maps.Keys(b.Where)), " ")
		parts = append(parts, fmt.Sprintf("%s(first: 100) { totalCount nodes { id %s } }", b.Connection, extra))
	}
	lookup := a.Schema.Query.Fields.ForName(d.Lookup)
	r := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($id: %s) { %s(%s: $id) { %s } }", lookup.Arguments[0].Type, d.Lookup, lookup.Arguments[0].Name, strings.Join(parts, " ")), map[string]any{"id": id})
	rec, _ := kit.At(r.Decoded(), d.Lookup).(map[string]any)
	if rec == nil {
		return true
	}
	for _, b := range d.Blockers {
		nodes, _ := kit.At(rec, b.Connection, "nodes").([]any)
		n, _ := kit.At(rec, b.Connection, "totalCount").(json.Number)
		if total, _ := n.Int64(); int(total) > len(nodes) {
			return true
		}
		for _, nd := range nodes {
			if matchesWhere(nd, b.Where) {
				return true
			}
		}
	}
	return false
}
