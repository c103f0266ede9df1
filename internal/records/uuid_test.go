package records_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// TestUUIDKeysWithoutCase: one UUID is one record in the data API,
// whatever the case it is sent in: its upper-case twin is a taken value
// (409), every call by key finds the record by either spelling, and what
// is stored is the lower-case form.
func TestUUIDKeysWithoutCase(t *testing.T) {
	upper := strings.ToUpper(newID)
	acmeUpper := strings.ToUpper(acme)
	tests := []struct {
		name string
		run  func(t *testing.T, svc *records.Service)
	}{
		{"insert stores lower case", func(t *testing.T, svc *records.Service) {
			c := client(upper)
			c["partner"].(map[string]any)["id"] = "B2C3D4E5-F6A7-8901-BCDE-F12345678901"
			recs, err := svc.Insert("clients-v2", "clients", c)
			if err != nil {
				t.Fatal(err)
			}
			if recs[0]["id"] != newID || recs[0]["partner"].(map[string]any)["id"] != "b2c3d4e5-f6a7-8901-bcde-f12345678901" {
				t.Errorf("stored %v", recs[0])
			}
			if c["id"] != upper {
				t.Errorf("the body sent was changed: %v", c["id"])
			}
			if r, err := svc.Get("clients-v2", "clients", newID); err != nil || r["id"] != newID {
				t.Errorf("Get lower: %v %v", r, err)
			}
		}},
		{"upper-case twin of a fixture is 409", func(t *testing.T, svc *records.Service) {
			_, err := svc.Insert("clients-v2", "clients", client(acmeUpper))
			var ce *records.ConflictError
			if !errors.As(err, &ce) || ce.Pointer != "/id" || ce.Value != acme {
				t.Errorf("error %v, want a conflict at /id on %s", err, acme)
			}
		}},
		{"twins inside one insert: none", func(t *testing.T, svc *records.Service) {
			_, err := svc.Insert("clients-v2", "clients", []any{client(newID), client(upper)})
			var ce *records.ConflictError
			if !errors.As(err, &ce) || ce.Pointer != "/1/id" {
				t.Errorf("error %v, want a conflict at /1/id", err)
			}
			if _, err := svc.Get("clients-v2", "clients", newID); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("a refused insert wrote: %v", err)
			}
		}},
		{"get by the upper-case form", func(t *testing.T, svc *records.Service) {
			if r, err := svc.Get("clients-v2", "clients", acmeUpper); err != nil || r["id"] != acme {
				t.Errorf("%v %v", r, err)
			}
		}},
		{"replace by the upper-case form, key in either case", func(t *testing.T, svc *records.Service) {
			c := client(acmeUpper)
			c["name"] = "Acme Upper"
			r, err := svc.Replace("clients-v2", "clients", acmeUpper, c)
			if err != nil || r["id"] != acme {
				t.Fatalf("%v %v", r, err)
			}
			if r, _ := svc.Get("clients-v2", "clients", acme); r["name"] != "Acme Upper" {
				t.Errorf("after replace: %v", r)
			}
		}},
		{"replace may not change the key to another UUID", func(t *testing.T, svc *records.Service) {
			if _, err := svc.Replace("clients-v2", "clients", acmeUpper, client(upper)); err == nil || !strings.Contains(err.Error(), acme) {
				t.Errorf("error %v, want the key to stay %s", err, acme)
			}
		}},
		{"patch by the upper-case form", func(t *testing.T, svc *records.Service) {
			r, err := svc.Patch("clients-v2", "clients", acmeUpper, map[string]any{"name": "Patched", "id": acmeUpper})
			if err != nil || r["id"] != acme || r["name"] != "Patched" {
				t.Errorf("%v %v", r, err)
			}
		}},
		{"delete by the upper-case form", func(t *testing.T, svc *records.Service) {
			if err := svc.Delete("clients-v2", "clients", acmeUpper); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Get("clients-v2", "clients", acme); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("after delete: %v", err)
			}
		}},
		{"list after the upper-case form", func(t *testing.T, svc *records.Service) {
			a, err := svc.List("clients-v2", "clients", 1, acme)
			if err != nil {
				t.Fatal(err)
			}
			b, err := svc.List("clients-v2", "clients", 1, acmeUpper)
			if err != nil || len(a.Records) != 1 || len(b.Records) != 1 || a.Records[0]["id"] != b.Records[0]["id"] {
				t.Errorf("after %s: %v, after %s: %v %v", acme, a.Records, acmeUpper, b.Records, err)
			}
		}},
		{"a key that is not a UUID keeps its case", func(t *testing.T, svc *records.Service) {
			if _, err := svc.Get("admin", "clients", "NOPE"); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("%v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, _ := newService(t)
			tc.run(t, svc)
		})
	}
}

// TestSourceUUIDFields: through a View, the fields a Source declares of
// format uuid are written in lower case (Create, Replace, Update), so the
// upper-case twin of a key is ErrConflict; queries compare them without
// case; and a lookup by key finds a UUID in either case even on a source
// that declares nothing (GraphQL's IDs have no format).
func TestSourceUUIDFields(t *testing.T) {
	const col = "u.things"
	const id, owner = "5d0e9c3a-8f1b-4c2d-9e7f-a1b2c3d4e5f6", "0f8e3c52-6a1d-4b7e-9c3f-2d5a8b1e4f60"
	newStore := func() *store.Store {
		st := store.New()
		if err := st.Define(store.Definition{Name: col, Unique: []string{"id"}, Index: []string{"owner"}}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	t.Run("declared", func(t *testing.T) {
		src := records.NewSource("u", newStore(), nil)
		src.SetUUIDFields(col, []string{"id", "owner"})
		v := viewWith(src, "", nil)
		rec, err := v.Create(col, records.Create{Body: map[string]any{"id": strings.ToUpper(id), "owner": strings.ToUpper(owner), "n": 1.0}, KeyField: "id"})
		if err != nil || rec["id"] != id || rec["owner"] != owner {
			t.Fatalf("Create: %v %v", rec, err)
		}
		if _, err := v.Create(col, records.Create{Body: map[string]any{"id": strings.ToUpper(id)}, KeyField: "id"}); !errors.Is(err, records.ErrConflict) {
			t.Errorf("the upper-case twin: %v, want ErrConflict", err)
		}
		for _, p := range []records.Predicate{
			{Eq: map[string]any{"owner": strings.ToUpper(owner)}},
			{OneOf: map[string][]any{"owner": {"x", strings.ToUpper(owner)}}},
			{Eq: map[string]any{"id": strings.ToUpper(id)}, Index: "id"},
		} {
			l, err := v.List(records.Query{Collection: col, Where: p}, records.Span{Limit: -1})
			if err != nil || len(l.Items) != 1 {
				t.Errorf("List %+v: %d items, %v", p, len(l.Items), err)
			}
			c, err := v.Cut(records.Query{Collection: col, Where: p}, records.Window{First: -1, Last: -1})
			if err != nil || len(c.Items) != 1 {
				t.Errorf("Cut %+v: %d items, %v", p, len(c.Items), err)
			}
		}
		rec, err = v.Replace(col, records.Key{Field: "id", Value: strings.ToUpper(id)}, records.Change{Body: map[string]any{"id": strings.ToUpper(id), "owner": strings.ToUpper(owner), "n": 2.0}})
		if err != nil || rec["id"] != id || rec["owner"] != owner || rec["n"] != 2.0 {
			t.Errorf("Replace: %v %v", rec, err)
		}
		rec, err = v.Update(col, records.Key{Field: "id", Value: strings.ToUpper(id)}, records.Update{Set: map[string]any{"owner": "AAAAAAAA-6A1D-4B7E-9C3F-2D5A8B1E4F60"}})
		if err != nil || rec["owner"] != "aaaaaaaa-6a1d-4b7e-9c3f-2d5a8b1e4f60" {
			t.Errorf("Update: %v %v", rec, err)
		}
		if _, err := v.Delete(col, records.Key{Field: "id", Value: strings.ToUpper(id)}, nil); err != nil {
			t.Errorf("Delete: %v", err)
		}
	})
	t.Run("undeclared", func(t *testing.T) {
		st := newStore()
		if err := st.Insert(col, store.Record{"id": id, "owner": "AAAAAAAA-6A1D-4B7E-9C3F-2D5A8B1E4F60"}); err != nil {
			t.Fatal(err)
		}
		v := viewWith(records.NewSource("u", st, nil), "", nil)
		if it, err := v.Get(col, records.Key{Field: "id", Value: strings.ToUpper(id)}); err != nil || it.Lookup("id") != id {
			t.Errorf("Get by the upper-case form: %v", err)
		}
		// Without a declared format, values keep their case.
		if l, _ := v.List(records.Query{Collection: col, Where: records.Predicate{Eq: map[string]any{"owner": "aaaaaaaa-6a1d-4b7e-9c3f-2d5a8b1e4f60"}}}, records.Span{Limit: -1}); len(l.Items) != 0 {
			t.Errorf("an undeclared field compared without case")
		}
	})
}
