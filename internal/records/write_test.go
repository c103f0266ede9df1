package records_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

const refs = "t.refs"

// writeStore is thingsStore(4) plus refs pointing at things: r0 and r1 at
// t0 (r1 done), r2 at t1 (done).
func writeStore(t *testing.T) *store.Store {
	t.Helper()
	st := thingsStore(t, 4)
	if err := st.Define(store.Definition{Name: refs, Unique: []string{"id"}, Index: []string{"thing"}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.Record{{"id": "r0", "thing": "t0", "state": "open"}, {"id": "r1", "thing": "t0", "state": "done"}, {"id": "r2", "thing": "t1", "state": "done"}} {
		if err := st.Insert(refs, r); err != nil {
			t.Fatal(err)
		}
	}
	st.Freeze()
	return st
}

var openRefs = []records.Blocker{{Collection: refs, Name: "refs", Field: "thing", Where: map[string][]any{"state": {"open"}}, Code: "HAS_REFS"}}

func TestDeleteIsGuarded(t *testing.T) {
	st := writeStore(t)
	src := records.NewSource("t", st, nil)
	for _, tc := range []struct {
		name     string
		view     records.View
		key      records.Key
		blockers []records.Blocker
		wantErr  error
		blocked  *records.BlockedError
	}{
		{"blocked by an open ref", viewWith(src, "", nil), records.Key{Field: "id", Value: "t0"}, openRefs, nil,
			&records.BlockedError{Key: "t0", Blocks: []records.Block{{Code: "HAS_REFS", Collection: "refs", Message: "1 blocking refs", IDs: []any{"r0"}}}}},
		{"every ref blocks without where", viewWith(src, "", nil), records.Key{Field: "id", Value: "t0"},
			[]records.Blocker{{Collection: refs, Name: "refs", Field: "thing", Message: "it has refs"}}, nil,
			&records.BlockedError{Key: "t0", Blocks: []records.Block{{Collection: "refs", Message: "it has refs", IDs: []any{"r0", "r1"}}}}},
		{"a done ref does not block", viewWith(src, "", nil), records.Key{Field: "id", Value: "t1"}, openRefs, nil, nil},
		{"not found", viewWith(src, "", nil), records.Key{Field: "id", Value: "nope"}, nil, records.ErrNotFound, nil},
		{"out of scope", viewWith(src, "", ownerA), records.Key{Field: "id", Value: "t3", Scoped: true}, nil, records.ErrOutOfScope, nil},
		{"in scope", viewWith(src, "", ownerA), records.Key{Field: "id", Value: "t2", Scoped: true}, nil, nil, nil},
		{"empty data set", viewWith(src, "empty", nil), records.Key{Field: "id", Value: "t3"}, nil, records.ErrNotFound, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer st.Reset()
			rec, err := tc.view.Delete(things, tc.key, tc.blockers)
			var be *records.BlockedError
			switch {
			case tc.blocked != nil:
				if !errors.As(err, &be) || !reflect.DeepEqual(be, tc.blocked) {
					t.Fatalf("err %#v, want %#v", err, tc.blocked)
				}
			case !errors.Is(err, tc.wantErr):
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			n, _ := st.Len(things)
			if deleted := err == nil; deleted != (n == 3) || deleted && rec["id"] != tc.key.Value {
				t.Fatalf("deleted %v (%v), %d things left", rec, err, n)
			}
		})
	}
}

func TestUpdateIsGuarded(t *testing.T) {
	st := writeStore(t)
	src := records.NewSource("t", st, nil)
	v := viewWith(src, "", nil)
	now := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }
	u := records.Update{RefuseWhen: map[string][]any{"color": {"blue"}}, Set: map[string]any{"color": "gray", "at": "{{now}}"}, Now: now}
	rec, err := v.Update(things, records.Key{Field: "id", Value: "t0"}, u)
	if err != nil || rec["color"] != "gray" || rec["at"] != "2025-01-02T03:04:05Z" || rec["owner"] != "a" {
		t.Fatalf("update: %v, %v", rec, err)
	}
	_, err = v.Update(things, records.Key{Field: "id", Value: "t2"}, u)
	var re *records.RefusedError
	if !errors.As(err, &re) || !errors.Is(err, records.ErrRefused) || re.Field != "color" || re.Value != "blue" {
		t.Fatalf("refused update: %v", err)
	}
	if _, err := viewWith(src, "", ownerA).Update(things, records.Key{Field: "id", Value: "t1", Scoped: true}, u); !errors.Is(err, records.ErrOutOfScope) {
		t.Fatalf("update out of scope: %v", err)
	}
	if it, _ := v.Get(things, records.Key{Field: "id", Value: "t1"}); it.Lookup("color") != "green" {
		t.Fatalf("refused updates changed t1: %v", it.Record())
	}
}

func TestCreateAndReplace(t *testing.T) {
	st := writeStore(t)
	src := records.NewSource("t", st, nil)
	v := viewWith(src, "", nil)
	noRed := func(r store.Record) []string {
		if r["color"] == "red" {
			return []string{"record at /color: no red"}
		}
		return nil
	}
	for _, tc := range []struct {
		name    string
		view    records.View
		run     func(v records.View) (store.Record, error)
		want    store.Record
		wantErr error
		reason  string
	}{
		{"create assigns what the body leaves out", v, func(v records.View) (store.Record, error) {
			return v.Create(things, records.Create{Body: map[string]any{"id": "t9", "rank": 2.0}, Assign: map[string]any{"rank": "{{seq}}", "owner": "a", "n": "{{seq}}"}, KeyField: "id"})
		}, store.Record{"id": "t9", "rank": 2.0, "owner": "a", "n": 1.0}, nil, ""},
		{"create: invalid", v, func(v records.View) (store.Record, error) {
			return v.Create(things, records.Create{Body: map[string]any{"id": "t9", "color": "red"}, Check: noRed})
		}, nil, records.ErrBadRequest, "record at /color: no red"},
		{"create: a taken key", v, func(v records.View) (store.Record, error) {
			return v.Create(things, records.Create{Body: map[string]any{"id": "t1"}})
		}, nil, records.ErrConflict, ""},
		{"create: outside the scope", viewWith(src, "", ownerA), func(v records.View) (store.Record, error) {
			return v.Create(things, records.Create{Body: map[string]any{"id": "t9", "owner": "b"}, KeyField: "id", Scoped: true})
		}, nil, records.ErrOutOfScope, "the record would be outside the token's scope"},
		{"replace keeps the key", v, func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "t1"}, records.Change{Body: map[string]any{"color": "gray"}})
		}, store.Record{"id": "t1", "color": "gray"}, nil, ""},
		{"replace may not change the key", v, func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "t1"}, records.Change{Body: map[string]any{"id": "t7"}, KeyName: "the path's id"})
		}, nil, records.ErrBadRequest, `request body at /id: must equal the path's id "t1" (a record's key does not change)`},
		{"patch merges", v, func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "t1"}, records.Change{Body: map[string]any{"color": nil, "x": 1.0}, Patch: true})
		}, store.Record{"id": "t1", "rank": 3.0, "owner": "b", "x": 1.0}, nil, ""},
		{"patch: invalid after the change", v, func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "t1"}, records.Change{Body: map[string]any{"color": "red"}, Patch: true, Check: noRed})
		}, nil, records.ErrBadRequest, "record at /color: no red"},
		{"replace: not found", v, func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "nope"}, records.Change{})
		}, nil, records.ErrNotFound, ""},
		{"replace: leaving the scope", viewWith(src, "", ownerA), func(v records.View) (store.Record, error) {
			return v.Replace(things, records.Key{Field: "id", Value: "t0", Scoped: true}, records.Change{Body: map[string]any{"owner": "b"}, Patch: true})
		}, nil, records.ErrOutOfScope, "the record would leave the token's scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer st.Reset()
			before := fmt.Sprint(mustAll(t, st))
			rec, err := tc.run(tc.view)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if tc.reason != "" && err.Error() != tc.reason {
				t.Errorf("reason %q, want %q", err.Error(), tc.reason)
			}
			if err != nil {
				if after := fmt.Sprint(mustAll(t, st)); after != before {
					t.Fatalf("a refused write changed the store:\n%s\n%s", before, after)
				}
				return
			}
			if !reflect.DeepEqual(rec, tc.want) {
				t.Fatalf("record %v, want %v", rec, tc.want)
			}
		})
	}
}

func mustAll(t *testing.T, st *store.Store) []store.Record {
	t.Helper()
	var out []store.Record
	if err := st.Update(func(tx *store.Tx) error {
		return tx.Scan(things, func(it store.Item) bool { out = append(out, it.Record()); return true })
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
