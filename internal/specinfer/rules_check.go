package specinfer

// Checking rules: generated samples validated against the record
// schema, failing rules dropped.

import (
	"slices"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/schemagen"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// checkRules generates a few records with the rules and checks them
// against the record schema. A rule whose values fail is replaced by a
// constant value the schema accepts (schemagen), else dropped (an
// optional field) or, for a required field or the key, the collection
// gets no generated records. It returns the rules kept, nil for none, and
// records they made.
func checkRules(api string, c *collection, fields map[string]any, seed uint64, v31 bool, warn warnFunc) (map[string]any, []store.Record) {
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	if v31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	gen := schemagen.New(schemagen.Options{Seed: seed, Optional: true, Validate: opts})
	props := properties(c.schema)
	replaced := map[string]bool{}
	for attempt := 0; attempt < 6; attempt++ {
		spec := fakedata.Spec{API: api, Collection: c.name, Unique: []string{c.key}, Fields: fields}
		recs, err := fakedata.Generate(spec, fakedata.Env{Seed: seed}, 30)
		if err != nil {
			warn(CodeRules, "collection %s: no generated records: %v", c.name, err)
			return nil, nil
		}
		bad := map[string]bool{}
		for _, r := range recs {
			err := c.schema.VisitJSON(map[string]any(r), opts...)
			if err == nil {
				continue
			}
			for _, f := range failingFields(err) {
				bad[f] = true
			}
			if len(bad) == 0 {
				warn(CodeRules, "collection %s: generated records do not match the record schema (%s); none are generated", c.name, oneLine(err))
				return nil, nil
			}
		}
		if len(bad) == 0 {
			return fields, recs
		}
		names := make([]string, 0, len(bad))
		for f := range bad {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			p := props[f]
			if f != c.key && p != nil && p.Value != nil && !replaced[f] {
				// a value the schema accepts, the same in every record
				if v := gen.Value(p, f); p.Value.VisitJSON(v, opts...) == nil {
					replaced[f] = true
					fields[fakedata.FieldKey(f)] = constOf(v)
					continue
				}
			}
			if slices.Contains(c.schema.Required, f) || requiredOf(c.schema)[f] || f == c.key {
				warn(CodeRules, "collection %s: generated values of required field %q do not match the schema; no records are generated (add an example)", c.name, f)
				return nil, nil
			}
			warn(CodeRules, "collection %s: field %q is left out of generated records: its generated values do not match the schema", c.name, f)
			delete(fields, fakedata.FieldKey(f))
		}
	}
	return nil, nil
}

// failingFields lists the top-level fields a validation error points at
// (the contract layer's flattener).
func failingFields(err error) []string {
	var out []string
	for _, v := range contractapi.Flatten(err, contractapi.FlattenOptions{}) {
		if ptr := jsonptr.Split(v.Pointer); len(ptr) > 0 {
			out = append(out, ptr[0])
		}
	}
	return out
}
