package records_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/standin/standin/fixtures"
	ifixtures "github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// newService builds the bundled store (few generated records) and a
// Service over it.
func newService(t testing.TB) (*records.Service, *store.Store) {
	t.Helper()
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, a := range apis {
		for _, c := range a.Collections {
			if c.Generate != nil {
				counts[manifest.StoreName(a.Name, c.Name)] = 3
			}
		}
	}
	st, err := ifixtures.Load(ifixtures.Options{APIs: apis, Specs: specs.FS, Fixtures: fixtures.FS, Seed: 1, Counts: counts})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := records.New(st, apis, specs.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

// client returns a valid clients-v2 client with the given id.
func client(id string) map[string]any {
	return map[string]any{
		"id": id, "name": "Initech", "status": "active",
		"partner":          map[string]any{"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "name": "TechPartner Inc."},
		"enrollment_token": nil,
		"created_at":       "2026-03-01T00:00:00.000Z", "updated_at": "2026-03-01T00:00:00.000Z",
	}
}

const (
	newID  = "11111111-2222-4333-8444-555555555555"
	newID2 = "11111111-2222-4333-8444-555555555556"
	acme   = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
)

// pointers returns the pointers of a *ValidationError, or fails.
func pointers(t *testing.T, err error) []string {
	t.Helper()
	var ve *records.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	var out []string
	for _, v := range ve.Violations {
		out = append(out, v.Pointer)
	}
	return out
}

func TestInsert(t *testing.T) {
	bad := client(newID2)
	bad["status"] = "gone"
	delete(bad, "name")
	// Dates a calendar does not have, at the top and nested.
	feb30 := client(newID)
	feb30["created_at"] = "2023-02-30T00:00:00.000Z"
	nov31 := client(newID2)
	nov31["enrollment_token"] = map[string]any{"id": newID, "value": "enroll_x", "description": nil, "site_id": nil, "status": "active",
		"max_uses": 5.0, "remaining_uses": 5.0, "expires_at": "2023-11-31T00:00:00.000Z", "created_at": "2023-02-29T10:00:00.000Z"}
	leap := client(newID)
	leap["created_at"], leap["updated_at"] = "2024-02-29T23:59:59.999Z", "2016-12-31T23:59:60Z"
	tests := []struct {
		name     string
		body     any
		added    int
		pointers []string // of the *ValidationError
		conflict string   // pointer of the *ConflictError
	}{
		{name: "one", body: client(newID), added: 1},
		{name: "array", body: []any{client(newID), client(newID2)}, added: 2},
		{name: "invalid", body: bad, pointers: []string{"/name", "/status"}},
		{name: "array, second invalid: none", body: []any{client(newID), bad}, pointers: []string{"/1/name", "/1/status"}},
		{name: "not an object", body: []any{client(newID), "x"}, pointers: []string{"/1"}},
		{name: "scalar", body: 3.0, pointers: []string{""}},
		{name: "empty array", body: []any{}, pointers: []string{""}},
		{name: "duplicate of a fixture", body: client(acme), conflict: "/id"},
		{name: "duplicate inside the array: none", body: []any{client(newID), client(newID)}, conflict: "/1/id"},
		{name: "February 30", body: feb30, pointers: []string{"/created_at"}},
		{name: "impossible nested dates", body: []any{client(newID), nov31}, pointers: []string{"/1/enrollment_token/created_at", "/1/enrollment_token/expires_at"}},
		{name: "leap day and leap second", body: leap, added: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newService(t)
			before, _ := st.Len("clients-v2.clients")
			_, err := svc.Insert("clients-v2", "clients", tc.body)
			switch {
			case tc.pointers != nil:
				got := pointers(t, err)
				if !reflect.DeepEqual(sorted(got), tc.pointers) {
					t.Errorf("pointers %q, want %q (%v)", got, tc.pointers, err)
				}
			case tc.conflict != "":
				var ce *records.ConflictError
				if !errors.As(err, &ce) || ce.Pointer != tc.conflict || ce.Field != "id" {
					t.Errorf("error %v, want a conflict at %s", err, tc.conflict)
				}
			case err != nil:
				t.Fatal(err)
			}
			after, _ := st.Len("clients-v2.clients")
			if after-before != tc.added {
				t.Errorf("added %d records, want %d", after-before, tc.added)
			}
			if tc.added > 0 {
				r, err := svc.Get("clients-v2", "clients", newID)
				if err != nil || r["name"] != "Initech" {
					t.Errorf("Get after insert: %v %v", r, err)
				}
			}
		})
	}
}

// TestInsertNamesJSONTypes: the data API's errors name what was sent in
// JSON's words (an array, not a list).
func TestInsertNamesJSONTypes(t *testing.T) {
	tests := []struct {
		name string
		body any
		want string
	}{
		{"array in an array", []any{client(newID), []any{}}, "a record must be a JSON object, got an array"},
		{"string in an array", []any{"x"}, "a record must be a JSON object, got a string"},
		{"scalar", 3.0, "send a record (a JSON object) or an array of records, got a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, _ := newService(t)
			_, err := svc.Insert("clients-v2", "clients", tc.body)
			var ve *records.ValidationError
			if !errors.As(err, &ve) || len(ve.Violations) != 1 {
				t.Fatalf("error %v, want one violation", err)
			}
			if got := ve.Violations[0].Reason; got != tc.want {
				t.Errorf("reason %q, want %q", got, tc.want)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestReplacePatchDelete(t *testing.T) {
	tests := []struct {
		name     string
		run      func(svc *records.Service) (map[string]any, error)
		wantName string // of the record afterwards
		pointers []string
		notFound bool
	}{
		{"replace", func(svc *records.Service) (map[string]any, error) {
			c := client(acme)
			c["name"] = "Acme Two"
			return svc.Replace("clients-v2", "clients", acme, c)
		}, "Acme Two", nil, false},
		{"replace without the key keeps it", func(svc *records.Service) (map[string]any, error) {
			c := client(acme)
			delete(c, "id")
			c["name"] = "Keyless"
			return svc.Replace("clients-v2", "clients", acme, c)
		}, "Keyless", nil, false},
		{"replace may not change the key", func(svc *records.Service) (map[string]any, error) {
			return svc.Replace("clients-v2", "clients", acme, client(newID))
		}, "Acme Corporation", []string{"/id"}, false},
		{"replace invalid", func(svc *records.Service) (map[string]any, error) {
			c := client(acme)
			c["created_at"] = "yesterday"
			return svc.Replace("clients-v2", "clients", acme, c)
		}, "Acme Corporation", []string{"/created_at"}, false},
		{"patch", func(svc *records.Service) (map[string]any, error) {
			return svc.Patch("clients-v2", "clients", acme, map[string]any{"name": "Patched", "partner": map[string]any{"name": "Renamed"}})
		}, "Patched", nil, false},
		// an undeclared property is pointed at, not at the record holding it
		{"patch invalid", func(svc *records.Service) (map[string]any, error) {
			return svc.Patch("clients-v2", "clients", acme, map[string]any{"status": "gone", "extra": 1.0})
		}, "Acme Corporation", []string{"/extra", "/status"}, false},
		{"patch removing a required field", func(svc *records.Service) (map[string]any, error) {
			return svc.Patch("clients-v2", "clients", acme, map[string]any{"name": nil})
		}, "Acme Corporation", []string{"/name"}, false},
		{"patch unknown", func(svc *records.Service) (map[string]any, error) {
			return svc.Patch("clients-v2", "clients", newID, map[string]any{"name": "x"})
		}, "Acme Corporation", nil, true},
		{"delete", func(svc *records.Service) (map[string]any, error) {
			return nil, svc.Delete("clients-v2", "clients", acme)
		}, "", nil, false},
		{"delete unknown", func(svc *records.Service) (map[string]any, error) {
			return nil, svc.Delete("clients-v2", "clients", newID)
		}, "Acme Corporation", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newService(t)
			_, err := tc.run(svc)
			switch {
			case tc.pointers != nil:
				if got := sorted(pointers(t, err)); !reflect.DeepEqual(got, tc.pointers) {
					t.Errorf("pointers %q, want %q (%v)", got, tc.pointers, err)
				}
			case tc.notFound:
				if !errors.Is(err, records.ErrNotFound) {
					t.Errorf("error %v, want ErrNotFound", err)
				}
			case err != nil:
				t.Fatal(err)
			}
			r, err := svc.Get("clients-v2", "clients", acme)
			if tc.wantName == "" {
				if !errors.Is(err, records.ErrNotFound) {
					t.Errorf("after delete: %v %v", r, err)
				}
				return
			}
			if err != nil || r["name"] != tc.wantName || r["id"] != acme {
				t.Errorf("afterwards %v %v, want name %q", r, err, tc.wantName)
			}
			if tc.name == "patch" {
				p := r["partner"].(map[string]any)
				if p["name"] != "Renamed" || p["id"] != "b2c3d4e5-f6a7-8901-bcde-f12345678901" {
					t.Errorf("merged partner %v", p)
				}
			}
			// Reset undoes every change.
			st.Reset()
			if r, _ := svc.Get("clients-v2", "clients", acme); r["name"] != "Acme Corporation" {
				t.Errorf("after Reset: %v", r)
			}
		})
	}
}

func TestListAndKeys(t *testing.T) {
	svc, _ := newService(t)
	cols, err := svc.Collections("clients-v0")
	if err != nil || len(cols) != 1 || cols[0].Key != "client_id" || cols[0].Count == 0 {
		t.Fatalf("Collections: %+v %v", cols, err)
	}
	// A numeric key is given as text.
	if r, err := svc.Get("clients-v0", "clients", "1"); err != nil || r["client_id"] != 1.0 {
		t.Fatalf("Get 1: %v %v", r, err)
	}
	var seen []string
	after := ""
	for range 100 {
		p, err := svc.List("clients-v0", "clients", 2, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Records {
			k, _ := store.KeyOf(r["client_id"])
			seen = append(seen, k)
		}
		if p.Total != cols[0].Count {
			t.Errorf("total %d, want %d", p.Total, cols[0].Count)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(seen) != cols[0].Count || seen[0] != "1" {
		t.Errorf("paged through %d records starting %v, want %d starting 1", len(seen), seen[:min(3, len(seen))], cols[0].Count)
	}
	errTests := []struct {
		name string
		err  error
		do   func() error
	}{
		{"unknown API", records.ErrUnknownAPI, func() error { _, err := svc.Collections("nope"); return err }},
		{"unknown collection", records.ErrUnknownCollection, func() error { _, err := svc.List("admin", "nope", 0, ""); return err }},
		{"bad limit", records.ErrBadRequest, func() error { _, err := svc.List("admin", "clients", -1, ""); return err }},
		{"too large a limit", records.ErrBadRequest, func() error { _, err := svc.List("admin", "clients", records.MaxLimit+1, ""); return err }},
		{"unknown after", records.ErrBadRequest, func() error { _, err := svc.List("admin", "clients", 1, "nope"); return err }},
		{"unknown key", records.ErrNotFound, func() error { _, err := svc.Get("admin", "clients", "nope"); return err }},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
		})
	}
}

// The examples of RFC 7396, appendix A.
func TestMergePatch(t *testing.T) {
	tests := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
	}
	for _, tc := range tests {
		var target, patch, want any
		for _, p := range []struct {
			s string
			v *any
		}{{tc.target, &target}, {tc.patch, &patch}, {tc.want, &want}} {
			if err := json.Unmarshal([]byte(p.s), p.v); err != nil {
				t.Fatal(err)
			}
		}
		orig, _ := json.Marshal(target)
		got := records.MergePatch(target, patch)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("MergePatch(%s, %s) = %v, want %s", tc.target, tc.patch, got, tc.want)
		}
		if after, _ := json.Marshal(target); string(after) != string(orig) {
			t.Errorf("MergePatch changed its target: %s → %s", orig, after)
		}
	}
}

// Any JSON body either is refused with a typed error and changes nothing,
// or adds exactly the records it holds, each then found by its key.
func FuzzInsert(f *testing.F) {
	svc, st := newService(f)
	valid, _ := json.Marshal(client(newID))
	targets := [][2]string{{"clients-v2", "clients"}, {"clients-v0", "clients"}, {"admin", "clients"}, {"marketplace", "memberships"}, {"marketplace", "accounts"}}
	f.Add(uint8(0), string(valid))
	f.Add(uint8(0), "["+string(valid)+","+string(valid)+"]")
	f.Add(uint8(1), `{"client_id": 9999, "first_name": "Иван"}`)
	f.Add(uint8(2), `[{"code": "c-1", "name": "n"}, 3]`)
	f.Add(uint8(3), `{"id": "m-1"}`)
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		api, col := targets[int(which)%len(targets)][0], targets[int(which)%len(targets)][1]
		var v any
		if json.Unmarshal([]byte(body), &v) != nil {
			return
		}
		defer st.Reset()
		name := manifest.StoreName(api, col)
		before, _ := st.Len(name)
		recs, err := svc.Insert(api, col, v)
		after, _ := st.Len(name)
		if err != nil {
			var ve *records.ValidationError
			var ce *records.ConflictError
			if !errors.As(err, &ve) && !errors.As(err, &ce) {
				t.Fatalf("untyped error %v", err)
			}
			if after != before {
				t.Fatalf("refused insert changed the collection: %d → %d", before, after)
			}
			return
		}
		if after-before != len(recs) {
			t.Fatalf("inserted %d records, collection grew by %d", len(recs), after-before)
		}
		for _, r := range recs {
			key, ok := svc.KeyOf(api, col, r)
			if !ok {
				t.Fatalf("inserted record without a key: %v", r)
			}
			if _, err := svc.Get(api, col, key); err != nil {
				t.Fatalf("inserted record %s not found: %v", key, err)
			}
		}
	})
}
