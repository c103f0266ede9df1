package records

import (
	"maps"

	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// UUIDs are one value whatever the case of their hex digits (RFC 9562), so
// the record layer, the one place REST, GraphQL and the data API read and
// write through, keeps them canonical:
//
//   - writes (Create, Replace, Update here; the data API's Insert,
//     Replace, Patch) store the fields of format uuid (Source.SetUUIDFields,
//     fixtures.Checker.UUIDFields) in lower case, so a unique index holds
//     one spelling of each UUID, and an upper-case twin of a stored UUID is
//     a taken value (409);
//   - a lookup by key (Get, the targets of writes, the data API's keys)
//     whose value is written as a UUID with upper-case digits, and finds
//     nothing as sent, is tried in lower case: GraphQL's lookups by ID know
//     no formats, and a record stored before it was canonical is still
//     found by the spelling it has;
//   - a query's equalities and one-of values on fields of format uuid are
//     compared in lower case.

// getKey reads the record whose field equals value, and when there is
// none and value is a UUID with upper-case digits, the record with its
// lower-case form. (A method of source, not a function taking one, so that
// the calls stay static and value does not escape to the heap.)
func (s source) getKey(col, field string, value any) (store.Item, bool, error) {
	it, ok, err := s.get(col, field, value)
	if err != nil || ok {
		return it, ok, err
	}
	if low, changed := lowerUUID(value); changed {
		return s.get(col, field, low)
	}
	return it, ok, err
}

// lowerUUID returns the lower-case form of a value that is a UUID with
// upper-case digits, and whether it is one.
func lowerUUID(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	low, isUUID := specs.CanonicalUUID(s)
	return low, isUUID && low != s
}

// uuidFields returns the fields of format uuid of a collection (store
// name).
func (s *Source) uuidFields(col string) []string { return s.uuid[col] }

// canonical returns rec with its fields of format uuid in lower case (rec
// itself when none changes).
func (s *Source) canonical(col string, rec store.Record) store.Record {
	paths := s.uuidFields(col)
	if len(paths) == 0 || rec == nil {
		return rec
	}
	return specs.CanonicalUUIDs(rec, paths)
}

// canonicalWhere returns p with the values it compares fields of format
// uuid with in lower case (p itself when none changes).
func (s *Source) canonicalWhere(col string, p Predicate) Predicate {
	paths := s.uuidFields(col)
	if len(paths) == 0 || p.IsZero() || !upperIn(p, paths) {
		return p
	}
	eq, oneOf := maps.Clone(p.Eq), maps.Clone(p.OneOf)
	for _, f := range paths {
		if low, changed := lowerUUID(eq[f]); changed {
			eq[f] = low
		}
		if vals, ok := oneOf[f]; ok {
			out := make([]any, len(vals))
			for i, val := range vals {
				out[i] = val
				if low, changed := lowerUUID(val); changed {
					out[i] = low
				}
			}
			oneOf[f] = out
		}
	}
	p.Eq, p.OneOf = eq, oneOf
	return p
}

// upperIn reports whether p compares a field of paths with a UUID that
// has upper-case digits.
func upperIn(p Predicate, paths []string) bool {
	for _, f := range paths {
		if _, changed := lowerUUID(p.Eq[f]); changed {
			return true
		}
		for _, v := range p.OneOf[f] {
			if _, changed := lowerUUID(v); changed {
				return true
			}
		}
	}
	return false
}
