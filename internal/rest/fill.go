package rest

// Filling a write's record (manifest Operation.Fill): a create takes what
// its body leaves out from the collection's generate rules, a replace or a
// patch keeps the stored values of the required and read-only fields it
// leaves out, and a field the record schema refuses takes the stored or a
// generated value; writeOnly fields are never stored. A body valid against
// the operation's request schema so makes a record valid against the
// collection's schema, which the answers are made from.

import (
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/schemagen"
	"github.com/standin/standin/internal/store"
)

// filler completes the records of one write binding.
type filler struct {
	schema    *openapi3.Schema // the record schema (nil: unchecked)
	opts      []openapi3.SchemaValidationOption
	keyField  string
	writeOnly map[string]bool
	readOnly  map[string]bool
	required  map[string]bool
	props     openapi3.Schemas // the record schema's properties, allOf merged
	closed    bool             // additionalProperties: false

	mu    sync.Mutex // guards what follows
	maker *fakedata.Maker
	gen   *fakedata.Generator
	env   fakedata.Env
	made  int // records made by maker
	into  []store.Record
	// values makes a field's value when no rule does (schemagen)
	values *schemagen.Generator
}

// firstFilled is the number of the first record a filler makes: far from
// the start-up records' numbers, so a created record is not their twin.
const firstFilled = 1 << 20

// newFiller compiles the filler of a write on collection col; schema is
// the record schema (nil when the collection names none).
func newFiller(api *manifest.API, col *manifest.Collection, schema *openapi3.Schema, keyField string, seed uint64, opts []openapi3.SchemaValidationOption) *filler {
	f := &filler{schema: schema, opts: opts, keyField: keyField, writeOnly: map[string]bool{}, readOnly: map[string]bool{}, required: map[string]bool{},
		values: schemagen.New(schemagen.Options{Seed: seed, Optional: true, Validate: opts}), env: fakedata.Env{Seed: seed}}
	if schema != nil {
		f.props = mergedProperties(schema)
		for name, p := range f.props {
			if p != nil && p.Value != nil {
				f.writeOnly[name] = p.Value.WriteOnly
				f.readOnly[name] = p.Value.ReadOnly
			}
		}
		for _, part := range openapi.AllOfParts(schema) {
			for _, r := range part.Required {
				f.required[r] = true
			}
			if part.AdditionalProperties.Has != nil && !*part.AdditionalProperties.Has {
				f.closed = true
			}
		}
	}
	spec := fakedata.SpecIn(api, col)
	spec.Unique = nil // the key is drawn again while taken, below
	if len(spec.Fields) == 0 {
		return f
	}
	g, err := fakedata.Compile(spec)
	if err != nil || len(g.Needs()) > 0 {
		return f // rules that read other collections: fields from the schema only
	}
	if ch, err := g.NewChunks(f.env); err == nil {
		f.maker = ch.Maker()
		f.into = make([]store.Record, 1)
	} else {
		f.gen = g
	}
	return f
}

// mergedProperties are a schema's properties with its allOf parts'.
func mergedProperties(s *openapi3.Schema) openapi3.Schemas {
	out := openapi3.Schemas{}
	parts := openapi.AllOfParts(s)
	for i := len(parts) - 1; i >= 0; i-- {
		for k, v := range parts[i].Properties {
			if _, ok := out[k]; !ok || i == 0 {
				out[k] = v
			}
		}
	}
	return out
}

// generated is a new record of the collection's rules (nil: none).
func (f *filler) generated() store.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.maker != nil:
		n := firstFilled + f.made
		f.made++
		if _, err := f.maker.Make(n, f.into); err != nil {
			return nil
		}
		rec := f.into[0]
		f.into[0] = nil
		return rec
	case f.gen != nil:
		var out store.Record
		if err := f.gen.Run(f.env, 1, func(_ int, r store.Record) error { out = r; return nil }); err != nil {
			return nil
		}
		return out
	}
	return nil
}

// value is a value of a field's schema (nil, false: none).
func (f *filler) value(field string) (any, bool) {
	p := f.props[field]
	if p == nil || p.Value == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.values.Value(p, field), true
}

// create completes a create's record: what the body leaves out of the
// required, read-only and key fields comes from the collection's rules.
func (f *filler) create(rec store.Record, taken func(field string, value any) bool) store.Record {
	gen := f.generated()
	_, keyGiven := rec[f.keyField]
	for k, v := range gen {
		// the fields the schema requires and the server's own (read-only,
		// the key); an optional field the client left out stays out, as
		// it would on a real server
		if _, ok := rec[k]; !ok && (f.required[k] || f.readOnly[k] || k == f.keyField) {
			rec[k] = v
		}
	}
	if !keyGiven && f.keyField != "" && rec[f.keyField] != nil {
		// a key of the rules: drawn again while taken
		for try := 0; try < 32 && taken(f.keyField, rec[f.keyField]); try++ {
			next := f.generated()
			if next == nil || next[f.keyField] == nil {
				break
			}
			rec[f.keyField] = next[f.keyField]
		}
	}
	return f.repair(rec, gen)
}

// change completes a replace's or a patch's record from the stored one.
func (f *filler) change(stored, next store.Record) store.Record {
	for k, v := range stored {
		if _, ok := next[k]; !ok && (f.required[k] || f.readOnly[k]) {
			next[k] = v
		}
	}
	return f.repair(next, stored)
}

// repair drops writeOnly fields (and, for a closed schema, undeclared
// ones), then gives each field the record schema refuses the base's value
// (the generated or stored record), else one of its schema, else (an
// optional field) none; the key is never changed.
func (f *filler) repair(rec, base store.Record) store.Record {
	for k := range rec {
		_, declared := f.props[k]
		if f.writeOnly[k] || f.closed && !declared && f.schema != nil {
			delete(rec, k)
		}
	}
	if f.schema == nil {
		return rec
	}
	tried := map[string]int{}
	for round := 0; round < 3; round++ {
		bad := f.failing(rec)
		if len(bad) == 0 {
			break
		}
		for _, field := range bad {
			if field == f.keyField {
				continue
			}
			tried[field]++
			if v, ok := base[field]; ok && tried[field] == 1 && !records.Equal(v, rec[field]) {
				rec[field] = v
				continue
			}
			if v, ok := f.value(field); ok && tried[field] <= 2 {
				rec[field] = v
				continue
			}
			if !f.required[field] {
				delete(rec, field)
			}
		}
	}
	return rec
}

// failing lists the top-level fields the record schema refuses, sorted.
func (f *filler) failing(rec store.Record) []string {
	err := f.schema.VisitJSON(map[string]any(rec), f.opts...)
	if err == nil {
		return nil
	}
	set := map[string]bool{}
	for _, v := range openapi.Flatten(err, openapi.FlattenOptions{}) {
		if ptr := jsonptr.Split(v.Pointer); len(ptr) > 0 {
			set[ptr[0]] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
