package fakedata

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/store"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite golden files")

// y decodes a YAML expression the way a manifest does.
func y(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("yaml %q: %v", s, err)
	}
	return v
}

func gen(t testing.TB, fields map[string]string, order []string, n int) []store.Record {
	t.Helper()
	spec := Spec{API: "test", Collection: "c", Fields: map[string]any{}, Order: order}
	for k, v := range fields {
		spec.Fields[k] = y(t, v)
	}
	recs, err := Generate(spec, Env{Seed: 42}, n)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestExpressions(t *testing.T) {
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	tests := []struct {
		name  string
		expr  string
		check func(i int, v any) bool
	}{
		{"const scalar", `active`, func(_ int, v any) bool { return v == "active" }},
		{"const", `{const: {a: 1}}`, func(_ int, v any) bool { return v.(map[string]any)["a"] == 1.0 }},
		{"seq", `{seq: {start: 2}}`, func(i int, v any) bool { return v == float64(i+2) }},
		{"seq step", `{seq: {start: 10, step: 5}}`, func(i int, v any) bool { return v == float64(10+5*i) }},
		{"uuid", `{uuid: {}}`, func(_ int, v any) bool { return uuidRE.MatchString(v.(string)) }},
		{"int", `{int: {min: 3, max: 5}}`, func(_ int, v any) bool { f := v.(float64); return f >= 3 && f <= 5 && f == float64(int(f)) }},
		{"float", `{float: {min: 1, max: 2, decimals: 1}}`, func(_ int, v any) bool { f := v.(float64); return f >= 1 && f <= 2 }},
		{"bool", `{bool: {p: 1}}`, func(_ int, v any) bool { return v == true }},
		{"oneOf", `{oneOf: [a, b]}`, func(_ int, v any) bool { return v == "a" || v == "b" }},
		{"weighted", `{weighted: {x: 1, y: 0}}`, func(_ int, v any) bool { return v == "x" }},
		{"someOf", `{someOf: {values: [A, B, C], min: 1, max: 2}}`, func(_ int, v any) bool {
			l := v.([]any)
			return len(l) >= 1 && len(l) <= 2 && (len(l) == 1 || l[0].(string) < l[1].(string))
		}},
		{"nullable always", `{nullable: {p: 1, value: x}}`, func(_ int, v any) bool { return v == nil }},
		{"nullable never", `{nullable: {p: 0, value: x}}`, func(_ int, v any) bool { return v == "x" }},
		{"time", `{time: {from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", format: "2006-01-02T15:04:05.000Z"}}`, func(_ int, v any) bool {
			return strings.HasPrefix(v.(string), "2024-01-0") && strings.HasSuffix(v.(string), ".000Z")
		}},
		{"template", `{template: "enroll_{{alnum 32}}"}`, func(_ int, v any) bool { return regexp.MustCompile(`^enroll_[a-z0-9]{32}$`).MatchString(v.(string)) }},
		{"template n", `{template: "c-{{n}}-{{digits 3}}-{{hex 2}}-{{oneOf a|b}}"}`, func(i int, v any) bool {
			return regexp.MustCompile(`^c-` + itoa(i+1) + `-[0-9]{3}-[0-9a-f]{2}-[ab]$`).MatchString(v.(string))
		}},
		{"join", `{join: {sep: "-", parts: [svc, {oneOf: [billing]}, {seq: {}}]}}`, func(i int, v any) bool { return v == "svc-billing-"+itoa(i+1) }},
		{"country", `{country: {}}`, func(_ int, v any) bool { return IsCountry(v.(string)) }},
		{"country among", `{country: {among: [RU]}}`, func(_ int, v any) bool { return v == "RU" }},
		{"company", `{company: {}}`, func(_ int, v any) bool { return v.(string) != "" }},
		{"pick values", `{pick: {values: [{id: p1, name: P}], field: id}}`, func(_ int, v any) bool { return v == "p1" }},
		{"pick weights", `{pick: {values: [a, b], weights: [0, 1]}}`, func(_ int, v any) bool { return v == "b" }},
		{"object", `{object: {a: {const: 1}, b: {ref: f.a}}}`, func(_ int, v any) bool { m := v.(map[string]any); return m["a"] == 1.0 && m["b"] == 1.0 }},
		{"list", `{list: {min: 2, max: 2, item: x}}`, func(_ int, v any) bool { return len(v.([]any)) == 2 }},
		{"switch", `{switch: {field: f, cases: {x: 1}, default: 2}}`, func(_ int, v any) bool { return v == 2.0 }},
		{"fake email", `{fake: email}`, func(_ int, v any) bool { return strings.Contains(v.(string), "@") }},
		{"fake petName", `{fake: petName}`, func(_ int, v any) bool { return v.(string) != "" }},
		{"regex", `{regex: "^[A-Z]{3}-[0-9]{2}$"}`, func(_ int, v any) bool { return regexp.MustCompile(`^[A-Z]{3}-[0-9]{2}$`).MatchString(v.(string)) }},
		// regression: ShipEngine's ids (unbounded repeats, at most 25
		// characters) were drawn longer than their maxLength
		{"regex maxLength", `{regex: {pattern: "^se(-[a-z0-9]+)+$", maxLength: 25}}`, func(_ int, v any) bool {
			return regexp.MustCompile(`^se(-[a-z0-9]+)+$`).MatchString(v.(string)) && len(v.(string)) <= 25
		}},
		{"regex minLength", `{regex: {pattern: "^(ab|abcdef)$", minLength: 4}}`, func(_ int, v any) bool { return v == "abcdef" }},
		{"regex shortest", `{regex: {pattern: "^x[0-9]{2,40}$", maxLength: 3}}`, func(_ int, v any) bool { return regexp.MustCompile(`^x[0-9]{2}$`).MatchString(v.(string)) }},
		{"ruPhone", `{ruPhone: {}}`, func(_ int, v any) bool { return regexp.MustCompile(`^79[0-9]{9}$`).MatchString(v.(string)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := gen(t, map[string]string{"f": tt.expr}, nil, 200)
			for i, r := range recs {
				if !tt.check(i, r["f"]) {
					t.Fatalf("record %d: unexpected %#v", i, r["f"])
				}
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestBadExpressions(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`{nope: {}}`, `unknown generator "nope"`},
		{`{seq: {start: x}}`, "start must be a number"},
		{`{seq: {begin: 1}}`, `unknown parameter "begin"`},
		{`{int: {min: 5, max: 1}}`, "below min"},
		{`{a: 1, b: 2}`, "exactly one generator key"},
		{`{template: "{{alnum}}"}`, "takes one argument"},
		{`{template: "{{bogus 1}}"}`, `unknown action "bogus"`},
		{`{country: {among: [XX]}}`, `"XX" is not an ISO 3166-1`},
		{`{time: {from: yesterday}}`, "not an RFC 3339 time"},
		{`{nullable: {p: 2, value: x}}`, "between 0 and 1"},
		{`{person: nose}`, `unknown part "nose"`},
		{`{oneOf: []}`, "non-empty list"},
		{`{weighted: {a: -1}}`, "non-negative"},
		{`{pick: {}}`, "either a non-empty values list or a collection"},
		{`{fake: shoeSize}`, "fake: shoeSize is not one of animal"},
		{`{fake: {}}`, "is not one of"},
		{`{regex: "[a-"}`, "regex: error parsing"},
		{`{regex: 3}`, "non-empty pattern"},
		{`{regex: {pattern: "^a+$", minLength: 3, maxLength: 2}}`, "minLength <= maxLength"},
		{`{regex: {pattern: "^a+$", max: 2}}`, `unknown parameter "max"`},
		{`{regex: {maxLength: 2}}`, "non-empty pattern"},
	}
	for _, tt := range tests {
		_, err := Compile(Spec{API: "api", Collection: "col", Fields: map[string]any{"fld": y(t, tt.expr)}})
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("%s: got %v, want ExprError", tt.expr, err)
			continue
		}
		if ee.Collection != "col" || ee.Field != "fld" || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "api.col") {
			t.Errorf("%s: error %q, want it to name api.col, fld and contain %q", tt.expr, err, tt.want)
		}
	}
	if _, err := Compile(Spec{Fields: map[string]any{"a": 1}, Order: []string{"b"}}); err == nil {
		t.Error("order naming an unknown field accepted")
	}
	if _, err := Compile(Spec{Fields: map[string]any{"a": 1, "a.b": 2}}); err == nil {
		t.Error("conflicting paths accepted")
	}
}

var personFields = map[string]string{
	"_person":    `{ruPerson: {}}`,
	"first_name": `{person: first}`,
	"last_name":  `{person: last}`,
	"patronymic": `{person: patronymic}`,
	"gender":     `{person: gender}`,
	"email":      `{email: {from: _person, domain: example.com}}`,
	"created_at": `{time: {from: "2023-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z", format: "2006-01-02T15:04:05Z"}}`,
	"updated_at": `{timeAfter: {field: created_at, max: "8760h", format: "2006-01-02T15:04:05.000Z"}}`,
}

func TestRussianPeople(t *testing.T) {
	recs := gen(t, personFields, []string{"_person", "created_at"}, 2000)
	female := map[string]bool{}
	for _, n := range ruFemaleFirst {
		female[n] = true
	}
	emails := map[string]bool{}
	for i, r := range recs {
		if _, ok := r["_person"]; ok {
			t.Fatal("hidden field in record")
		}
		first, last, pat := r["first_name"].(string), r["last_name"].(string), r["patronymic"].(string)
		isF := r["gender"] == "female"
		if female[first] != isF {
			t.Fatalf("record %d: first name %s does not agree with gender %v", i, first, r["gender"])
		}
		if isF {
			if !strings.HasSuffix(pat, "вна") && !strings.HasSuffix(pat, "ична") {
				t.Fatalf("record %d: female patronymic %s", i, pat)
			}
			if !strings.HasSuffix(last, "а") && !strings.HasSuffix(last, "ая") && last != "Шевченко" && last != "Бондаренко" && last != "Черных" && last != "Седых" {
				t.Fatalf("record %d: female last name %s", i, last)
			}
		} else {
			if !strings.HasSuffix(pat, "вич") && !strings.HasSuffix(pat, "ич") || strings.HasSuffix(last, "ая") || strings.HasSuffix(last, "ова") {
				t.Fatalf("record %d: male %s %s", i, last, pat)
			}
		}
		e := r["email"].(string)
		want := strings.ToLower(Translit(first) + "." + Translit(last))
		if !strings.HasPrefix(e, want) || !strings.HasSuffix(e, "@example.com") || !regexp.MustCompile(`^[a-z.]+[0-9]*@`).MatchString(e) {
			t.Fatalf("record %d: email %s not from %s %s", i, e, first, last)
		}
		if emails[e] {
			t.Fatalf("duplicate email %s", e)
		}
		emails[e] = true
		c, _ := time.Parse(time.RFC3339, r["created_at"].(string))
		u, _ := time.Parse(time.RFC3339, r["updated_at"].(string))
		if u.Before(c) {
			t.Fatalf("record %d: updated_at %v before created_at %v", i, u, c)
		}
	}
}

func TestPatronymicsAndFeminine(t *testing.T) {
	pats := map[string][2]string{
		"Иван": {"Иванович", "Ивановна"}, "Сергей": {"Сергеевич", "Сергеевна"},
		"Николай": {"Николаевич", "Николаевна"}, "Дмитрий": {"Дмитриевич", "Дмитриевна"},
		"Юрий": {"Юрьевич", "Юрьевна"}, "Василий": {"Васильевич", "Васильевна"},
		"Евгений": {"Евгеньевич", "Евгеньевна"}, "Георгий": {"Георгиевич", "Георгиевна"},
		"Игорь": {"Игоревич", "Игоревна"}, "Павел": {"Павлович", "Павловна"},
		"Илья": {"Ильич", "Ильинична"}, "Никита": {"Никитич", "Никитична"},
		"Михаил": {"Михайлович", "Михайловна"}, "Лев": {"Львович", "Львовна"},
		"Пётр": {"Петрович", "Петровна"}, "Фёдор": {"Фёдорович", "Фёдоровна"},
		"Аркадий": {"Аркадьевич", "Аркадьевна"}, "Григорий": {"Григорьевич", "Григорьевна"},
	}
	for n, want := range pats {
		if m, f := ruPatronymic(n); m != want[0] || f != want[1] {
			t.Errorf("%s: got %s/%s, want %s/%s", n, m, f, want[0], want[1])
		}
	}
	fem := map[string]string{"Иванов": "Иванова", "Ильин": "Ильина", "Соловьёв": "Соловьёва",
		"Высоцкий": "Высоцкая", "Островский": "Островская", "Толстой": "Толстая", "Шевченко": "Шевченко", "Черных": "Черных"}
	for m, want := range fem {
		if got := ruFeminine(m); got != want {
			t.Errorf("feminine %s: got %s want %s", m, got, want)
		}
	}
	tr := map[string]string{"Юлия": "Iuliia", "Щербаков": "Shcherbakov", "Андрей": "Andrei", "Соловьёв": "Solovev", "Кудрявцев": "Kudriavtsev", "Объедков": "Obieedkov"}
	for c, want := range tr {
		if got := Translit(c); got != want {
			t.Errorf("translit %s: got %s want %s", c, got, want)
		}
	}
}

func TestCountriesValid(t *testing.T) {
	if len(isoCountries) != 249 {
		t.Fatalf("%d codes", len(isoCountries))
	}
	for _, c := range isoCountries {
		r, err := language.ParseRegion(c)
		if err != nil || r.String() != c || !r.IsCountry() {
			t.Errorf("%s: not an ISO 3166-1 country per x/text (%v)", c, err)
		}
	}
}

func TestDeterminism(t *testing.T) {
	fields := map[string]any{
		"id": y(t, `{uuid: {}}`), "_person": y(t, `{ruPerson: {}}`), "name": y(t, `{person: first}`),
		"n": y(t, `{int: {}}`), "code": y(t, `{template: "{{alnum 8}}"}`),
	}
	run := func(seed uint64, col string) string {
		recs, err := Generate(Spec{API: "a", Collection: col, Fields: fields}, Env{Seed: seed}, 50)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(recs)
		return string(b)
	}
	if a, b := run(1, "x"), run(1, "x"); a != b {
		t.Error("same seed, different records")
	}
	if run(1, "x") == run(2, "x") {
		t.Error("different seeds, same records")
	}
	if run(1, "x") == run(1, "y") {
		t.Error("different collections share records")
	}
	if a, b := run(0, "x"), run(0, "x"); a != b {
		t.Error("seed 0 is not deterministic")
	}
}

func TestUnique(t *testing.T) {
	spec := Spec{API: "a", Collection: "c", Unique: []string{"id", "code"}, Fields: map[string]any{
		"id": y(t, `{seq: {start: 1}}`), "code": y(t, `{oneOf: [x, y]}`),
	}}
	existing := []store.Record{{"id": 1.0, "code": "z"}, {"id": 3.0, "code": "q"}}
	recs, err := Generate(spec, Env{Seed: 7, Existing: existing}, 20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[any]bool{1.0: true, 3.0: true, "z": true, "q": true}
	for _, r := range recs {
		if seen[r["id"]] || seen[r["code"]] {
			t.Fatalf("duplicate in %v", r)
		}
		seen[r["id"]], seen[r["code"]] = true, true
	}
	if recs[0]["id"] != 2.0 || recs[1]["id"] != 4.0 {
		t.Errorf("seq did not skip taken ids: %v %v", recs[0]["id"], recs[1]["id"])
	}
}

func TestPickCollection(t *testing.T) {
	spec := Spec{API: "a", Collection: "m", Fields: map[string]any{
		"_acc": y(t, `{pick: {collection: accounts}}`), "accountId": y(t, `{ref: _acc.id}`),
		"other": y(t, `{pick: {collection: accounts, field: name}}`),
	}}
	g, err := Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	if n := g.Needs(); len(n) != 1 || n[0] != "accounts" {
		t.Fatalf("needs %v", n)
	}
	accs := []store.Item{store.NewItem(1, store.Record{"id": "a1", "name": "A"}), store.NewItem(2, store.Record{"id": "a2", "name": "B"})}
	recs, err := Generate(spec, Env{Seed: 1, Records: func(string, bool) ([]store.Item, error) { return accs, nil }}, 30)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r["accountId"] != "a1" && r["accountId"] != "a2" || r["other"] != "A" && r["other"] != "B" {
			t.Fatalf("bad pick %v", r)
		}
	}
}

func TestGolden(t *testing.T) {
	fields := map[string]any{}
	for k, v := range personFields {
		fields[k] = y(t, v)
	}
	fields["client_id"] = y(t, `{seq: {start: 2}}`)
	fields["partner"] = y(t, `{pick: {values: [{id: b2c3d4e5-f6a7-8901-bcde-f12345678901, name: TechPartner Inc.}, {id: p2, name: Northwind MSP}]}}`)
	fields["token"] = y(t, `{nullable: {p: 0.33, value: {object: {id: {uuid: {}}, value: {template: "enroll_{{alnum 32}}"}}}}}`)
	fields["countryCode"] = y(t, `{country: {}}`)
	recs, err := Generate(Spec{API: "golden", Collection: "people", Fields: fields, Order: []string{"_person", "created_at"}}, Env{Seed: 1}, 5)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(recs, "", "  ")
	file := filepath.Join("testdata", "people.golden.json")
	if *update {
		if err := os.WriteFile(file, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal(want, &b)
	ga, _ := json.Marshal(a)
	gb, _ := json.Marshal(b)
	if !bytes.Equal(ga, gb) {
		t.Errorf("generated records differ from %s (run with -update if intended):\n%s", file, got)
	}
}

// FuzzExpression compiles arbitrary YAML as a generation rule and runs what
// compiles: neither step may panic.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{`{seq: {start: 2}}`, `{template: "a{{alnum 3}}"}`, `{nullable: {p: 0.5, value: {object: {a: {uuid: {}}}}}}`,
		`{someOf: {values: [a, b], min: 0, max: 2}}`, `{timeAfter: {field: x, max: "1h"}}`, `{pick: {values: [{a: 1}], field: a}}`,
		`{list: {min: 0, max: 3, item: {ruPerson: {}}}}`, `{email: {from: _p}}`, `[1, 2]`, `~`,
		`{regex: {pattern: "^se(-[a-z0-9]+)+$", minLength: 1, maxLength: 25}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if yaml.Unmarshal([]byte(s), &v) != nil {
			return
		}
		spec := Spec{API: "f", Collection: "z", Fields: map[string]any{"_p": map[string]any{"ruPerson": nil}, "x": "2024-01-01T00:00:00Z", "y": v}, Order: []string{"_p", "x"}}
		g, err := Compile(spec)
		if err != nil {
			return
		}
		_ = g.Run(Env{Seed: 3, Records: func(string, bool) ([]store.Item, error) {
			return []store.Item{store.NewItem(1, store.Record{"id": "1"})}, nil
		}}, 3, func(int, store.Record) error { return nil })
	})
}

func BenchmarkGenerate(b *testing.B) {
	spec := Spec{API: "bench", Collection: "c", Unique: []string{"id"}, Fields: map[string]any{
		"id": y(b, `{seq: {}}`), "name": y(b, `{company: {}}`), "status": y(b, `{weighted: {active: 8, suspended: 1}}`),
		"created_at": y(b, `{time: {}}`), "countryCode": y(b, `{country: {}}`),
	}}
	g, err := Compile(spec)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		_ = g.Run(Env{Seed: 1}, 10000, func(int, store.Record) error { n++; return nil })
	}
}

// TestMillion measures generating and storing 1,000,000 records (go test
// -run Million -v with STANDIN_MILLION=1).
func TestMillion(t *testing.T) {
	if os.Getenv("STANDIN_MILLION") == "" {
		t.Skip("set STANDIN_MILLION=1")
	}
	spec := Spec{API: "bench", Collection: "c", Unique: []string{"id"}, Fields: map[string]any{
		"id": y(t, `{seq: {}}`), "name": y(t, `{company: {}}`), "status": y(t, `{weighted: {active: 8, suspended: 1}}`),
		"created_at": y(t, `{time: {}}`), "countryCode": y(t, `{country: {}}`),
	}}
	g, err := Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	s := store.New()
	_ = s.Define(store.Definition{Name: "bench.c", Unique: []string{"id"}})
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	const n = 1_000_000
	err = g.Run(Env{Seed: 1, Taken: func(f, k string) bool { _, ok, _ := s.Get("bench.c", f, k); return ok }}, n,
		func(_ int, r store.Record) error { return s.Insert("bench.c", r) })
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	t.Logf("%d records in %v (%.0f records/s), heap %.1f MB, %.0f bytes/record", n, el, n/el.Seconds(),
		float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, float64(m1.HeapAlloc-m0.HeapAlloc)/n)
	runtime.KeepAlive(s)
}

// RunReusing builds every record in one map when the caller hands it back;
// the records are the same as Run's.
func TestRunReusing(t *testing.T) {
	spec := Spec{API: "t", Collection: "c", Unique: []string{"id"}, Fields: map[string]any{
		"id": y(t, `{seq: {}}`), "name": y(t, `{company: {}}`),
		"token": y(t, `{nullable: {p: 0.5, value: {object: {v: {uuid: {}}}}}}`),
		"email": y(t, `{email: {from: name, domain: [example.com]}}`),
	}, Order: []string{"id", "name"}}
	want, err := Generate(spec, Env{Seed: 7}, 40)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	var got []store.Record
	var first store.Record
	err = g.RunReusing(Env{Seed: 7}, 40, func(i int, r store.Record) (bool, error) {
		if i == 0 {
			first = r
		} else if reflect.ValueOf(r).UnsafePointer() != reflect.ValueOf(first).UnsafePointer() {
			t.Fatalf("record %d is a new map", i)
		}
		got = append(got, maps.Clone(r))
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("RunReusing records differ from Run's:\n%v\n%v", got[:2], want[:2])
	}
}

// Regression: a record field whose name begins with "_" (GitHub's
// required _links) could not be generated: every such key names a hidden
// helper. Written \_links (FieldKey), it is the record's field _links;
// _helper stays hidden and readable by later fields, _links too.
func TestEscapedUnderscoreField(t *testing.T) {
	if got := FieldKey("_links"); got != `\_links` {
		t.Errorf(`FieldKey("_links") = %q, want \_links`, got)
	}
	if got := FieldKey("links"); got != "links" {
		t.Errorf(`FieldKey("links") = %q`, got)
	}
	recs := gen(t, map[string]string{
		"_helper":          `{const: h}`,
		FieldKey("_links"): `{object: {self: {ref: _helper}}}`,
		"copy":             `{ref: _links.self}`,
	}, []string{"_helper", FieldKey("_links")}, 3)
	for i, r := range recs {
		links, _ := r["_links"].(map[string]any)
		if links["self"] != "h" || r["copy"] != "h" {
			t.Errorf("record %d = %v, want _links.self and copy from the hidden helper", i, r)
		}
		if _, ok := r["_helper"]; ok {
			t.Errorf("record %d holds the hidden field _helper", i)
		}
		if _, ok := r[`\_links`]; ok {
			t.Errorf("record %d holds the escaped key itself", i)
		}
	}
}
