package specs

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// CanonicalUUID returns the canonical (lower-case) form of s when s is
// written as a UUID (8-4-4-4-12 hexadecimal digits, either case), and
// whether it is: UUIDs compare as 128-bit values, and RFC 9562 (section 4)
// writes them in lower case. The version is not checked.
func CanonicalUUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return "", false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			upper = true
		default:
			return "", false
		}
	}
	if !upper {
		return s, true
	}
	return strings.ToLower(s), true
}

// UUIDPaths lists the dotted paths ("id", "partner.id") of the properties
// of an object schema that are strings of format uuid, through nested
// object properties and allOf parts (not through arrays, oneOf or anyOf),
// sorted. A schema that refers back to itself (a tree's parent) is entered
// twice on a path at most, and a path is at most eight properties deep, so
// a hostile schema cannot make the list explode.
func UUIDPaths(s *openapi3.Schema) []string {
	set := map[string]bool{}
	uuidPaths(s, "", 0, map[*openapi3.Schema]int{}, set)
	return slices.Sorted(maps.Keys(set))
}

// maxUUIDDepth bounds how deep UUIDPaths follows nested objects.
const maxUUIDDepth = 8

func uuidPaths(s *openapi3.Schema, prefix string, depth int, onPath map[*openapi3.Schema]int, set map[string]bool) {
	if s == nil || depth > maxUUIDDepth || onPath[s] >= 2 {
		return
	}
	onPath[s]++
	defer func() { onPath[s]-- }()
	for _, part := range s.AllOf {
		if part != nil {
			uuidPaths(part.Value, prefix, depth+1, onPath, set)
		}
	}
	for name, ref := range s.Properties {
		if ref == nil || ref.Value == nil {
			continue
		}
		p := ref.Value
		path := prefix + name
		if p.Format == "uuid" && (p.Type.IsEmpty() || p.Type.Includes(openapi3.TypeString)) {
			set[path] = true
			continue
		}
		if len(p.Properties) > 0 || len(p.AllOf) > 0 {
			uuidPaths(p, path+".", depth+1, onPath, set)
		}
	}
}

// CanonicalUUIDs returns rec with the UUID strings at the dotted paths in
// their canonical form (CanonicalUUID). rec is not changed: the objects on
// the way to a changed value are copied, and rec itself is returned when
// nothing changes.
func CanonicalUUIDs(rec map[string]any, paths []string) map[string]any {
	for _, p := range paths {
		rec, _ = canonicalAt(rec, p)
	}
	return rec
}

// canonicalAt returns m with the value at path canonical, a copy when it
// changed (and whether it did).
func canonicalAt(m map[string]any, path string) (map[string]any, bool) {
	head, rest, nested := strings.Cut(path, ".")
	var next any
	switch v := m[head].(type) {
	case string:
		low, isUUID := CanonicalUUID(v)
		if nested || !isUUID || low == v {
			return m, false
		}
		next = low
	case map[string]any:
		inner, changed := canonicalAt(v, rest)
		if !nested || !changed {
			return m, false
		}
		next = inner
	default:
		return m, false
	}
	out := maps.Clone(m)
	out[head] = next
	return out, true
}
