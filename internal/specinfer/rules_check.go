package specinfer

// Checking rules: generated samples validated against the record
// schema, failing rules dropped.

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/specs"
)

// checkRules generates a few records with the rules and checks them
// against the record schema; a rule whose values fail is dropped (an
// optional field) or, for a required field, the collection gets no
// generated records. It returns the rules kept, nil for none.
func checkRules(api string, c *collection, fields map[string]any, seed uint64, warn warnFunc) map[string]any {
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	for attempt := 0; attempt < 4; attempt++ {
		spec := fakedata.Spec{API: api, Collection: c.name, Unique: []string{c.key}, Fields: fields}
		recs, err := fakedata.Generate(spec, fakedata.Env{Seed: seed}, 30)
		if err != nil {
			warn(CodeRules, "collection %s: no generated records: %v", c.name, err)
			return nil
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
				return nil
			}
		}
		if len(bad) == 0 {
			return fields
		}
		for f := range bad {
			if slices.Contains(c.schema.Required, f) || f == c.key {
				warn(CodeRules, "collection %s: generated values of required field %q do not match the schema; no records are generated (add an example)", c.name, f)
				return nil
			}
			warn(CodeRules, "collection %s: field %q is left out of generated records: its generated values do not match the schema", c.name, f)
			delete(fields, f)
		}
	}
	return nil
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
