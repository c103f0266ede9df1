package fakedata

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/standin/standin/internal/store"
)

func compileFields(t *testing.T, fields map[string]string, unique ...string) *Generator {
	t.Helper()
	spec := Spec{API: "test", Collection: "c", Fields: map[string]any{}, Unique: unique}
	for k, v := range fields {
		spec.Fields[k] = y(t, v)
	}
	g, err := Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestChunkable(t *testing.T) {
	cases := []struct {
		name   string
		fields map[string]string
		unique []string
		want   bool
	}{
		{"values", map[string]string{"id": "{uuid: {}}", "n": "{int: {}}", "s": `{template: "x{{n}}"}`}, []string{"id"}, true},
		{"seq once per record", map[string]string{"n": "{seq: {}}", "o": "{object: {a: {seq: {start: 5}}}}", "j": "{join: {parts: [{seq: {}}]}}"}, nil, true},
		{"e-mail", map[string]string{"_person": "{ruPerson: {}}", "e": "{email: {}}"}, nil, false},
		{"seq in nullable", map[string]string{"n": "{nullable: {value: {seq: {}}}}"}, nil, false},
		{"seq in list", map[string]string{"n": "{list: {item: {seq: {}}}}"}, nil, false},
		{"seq in switch", map[string]string{"s": "{oneOf: [a, b]}", "n": "{switch: {field: s, cases: {a: {seq: {}}}}}"}, nil, false},
		{"unique seq", map[string]string{"n": "{seq: {}}"}, []string{"n"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := compileFields(t, c.fields, c.unique...)
			if g.Chunkable() != c.want {
				t.Fatalf("Chunkable() = %v, want %v", g.Chunkable(), c.want)
			}
			if _, err := g.NewChunks(Env{Seed: 1}); (err == nil) != c.want || (err != nil && !errors.Is(err, ErrNotChunkable)) {
				t.Fatalf("NewChunks: %v", err)
			}
		})
	}
}

func records(t *testing.T, recs []store.Record) string {
	t.Helper()
	b, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestChunksDependOnlyOnTheirNumbers: a chunk's records are the same made
// alone, after another chunk, by another Maker, or in reused maps; a seq
// gives the record's number as Run does.
func TestChunksDependOnlyOnTheirNumbers(t *testing.T) {
	g := compileFields(t, map[string]string{"id": "{uuid: {}}", "n": "{seq: {start: 10, step: 2}}", "k": `{template: "{{n}}-{{alnum 6}}"}`,
		"x": "{nullable: {value: {int: {}}}}"}, "id")
	ch, err := g.NewChunks(Env{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	alone := make([]store.Record, 50)
	if _, err := ch.Maker().Make(1000, alone); err != nil {
		t.Fatal(err)
	}
	m := ch.Maker()
	other := make([]store.Record, 50)
	if _, err := m.Make(0, other); err != nil {
		t.Fatal(err)
	}
	again := other // the same maps, reused
	if _, err := m.Make(1000, again); err != nil {
		t.Fatal(err)
	}
	if records(t, alone) != records(t, again) {
		t.Fatalf("chunk 1000 alone:\n%s\nafter chunk 0:\n%s", records(t, alone), records(t, again))
	}
	if n := alone[3]["n"]; n != 10+2*1003.0 {
		t.Errorf("seq of record 1003: %v", n)
	}
	if k := alone[3]["k"].(string); !strings.HasPrefix(k, "1004-") {
		t.Errorf("{{n}} of record 1003: %q", k)
	}
	first := make([]store.Record, 50)
	if _, err := m.Make(1050, first); err != nil {
		t.Fatal(err)
	}
	if records(t, first[:1]) == records(t, alone[:1]) {
		t.Error("two chunks begin with the same record")
	}
}

// TestUniqueDrawsAgainByNumber: a taken value is drawn again from a source
// of the record's number, the same for every Maker; a string still taken
// after 100 draws is numbered; a number is an error.
func TestUniqueDrawsAgainByNumber(t *testing.T) {
	g := compileFields(t, map[string]string{"name": "{oneOf: [a, b]}", "tag": `{template: "{{ref name}}!"}`}, "name")
	ch, err := g.NewChunks(Env{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]store.Record, 1)
	if _, err := ch.Maker().Make(7, recs); err != nil {
		t.Fatal(err)
	}
	taken := map[string]bool{}
	isTaken := func(_, k string) bool { return taken[k] }
	r, err := ch.Maker().Unique(7, recs[0], isTaken)
	if err != nil || r["name"] != recs[0]["name"] {
		t.Fatalf("free value: %v %v", r, err)
	}
	taken[recs[0]["name"].(string)] = true
	a, err := ch.Maker().Unique(7, recs[0], isTaken)
	if err != nil || a["name"] == recs[0]["name"] {
		t.Fatalf("taken value: %v %v", a, err)
	}
	b, _ := ch.Maker().Unique(7, recs[0], isTaken)
	if records(t, []store.Record{a}) != records(t, []store.Record{b}) {
		t.Fatalf("two Makers drew %v and %v", a, b)
	}
	taken["a"], taken["b"], taken["a-2"], taken["b-2"] = true, true, true, true
	c, err := ch.Maker().Unique(7, recs[0], isTaken)
	if err != nil {
		t.Fatal(err)
	}
	if name := c["name"].(string); (name != "a-3" && name != "b-3") || c["tag"] != name+"!" {
		t.Fatalf("numbered: %v", c)
	}

	num := compileFields(t, map[string]string{"n": "{int: {min: 1, max: 1}}"}, "n")
	nch, _ := num.NewChunks(Env{Seed: 2})
	if _, err := nch.Maker().Unique(0, store.Record{"n": 1.0}, func(string, string) bool { return true }); err == nil ||
		!strings.Contains(err.Error(), "cannot find a free unique value") {
		t.Fatalf("taken number: %v", err)
	}
}

// TestRunRestartsSeqsInSwitch: a seq inside a switch case starts again on
// every Run, as one anywhere else does (it kept counting).
func TestRunRestartsSeqsInSwitch(t *testing.T) {
	g := compileFields(t, map[string]string{"k": "a", "n": "{switch: {field: k, cases: {a: {seq: {start: 1}}}}}"})
	run := func() string {
		var out []store.Record
		if err := g.Run(Env{Seed: 1}, 3, func(_ int, r store.Record) error { out = append(out, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return records(t, out)
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("first run %s, second %s", a, b)
	}
}
