package kit

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/model"
)

// Unknown ids are typed by the parameter's schema, so that the probe for
// a missing record is a valid request about no record (an integer where
// the contract takes an integer) and not an invalid one answered 400.

// UnknownID is a value of the path parameter param of o that no record
// has, valid against the parameter's schema: a large integer within the
// parameter's bounds (and within int32 or int64, and JavaScript's exact
// integers) for an integer, a fresh uuid for a uuid (or for a plain
// string when the known ids are uuids), a string matching the pattern
// and length bounds, else a random slug. Values are derived from the
// run's seed, the operation and the parameter: the same run sends the
// same ones. ok is false when the schema admits no value known to be
// unknown (an enum), or none the generator can make (a pattern it
// cannot match).
func UnknownID(t *T, o model.Operation, param string) (string, bool) {
	s := o.ParamSchema("path", param)
	h := unknownHash(t.env.Config.Seed, o.Path, param)
	return UnknownFor(s, t.api.ID(param), h)
}

// UnknownFor is UnknownID for a schema (nil: none), the sample of a
// known id (its shape when the schema says little) and a hash choosing
// among the unknown values.
func UnknownFor(s *openapi3.Schema, sample string, h uint64) (string, bool) {
	if s == nil {
		if looksLikeUUID(sample) || sample == "" {
			return freshUUID(h), true
		}
		return slug(h, 0, 0), true
	}
	if len(s.Enum) > 0 {
		return "", false
	}
	switch {
	case s.Type.Is("integer"), s.Type.Is("number"):
		return unknownInt(s, h)
	case s.Format == "uuid" || (s.Format == "" && s.Pattern == "" && looksLikeUUID(sample)):
		return freshUUID(h), true
	case s.Format == "email":
		return fmt.Sprintf("standin-unknown-%08x@example.invalid", uint32(h)), true
	case s.Format == "date":
		return fmt.Sprintf("19%02d-01-01", h%50), true
	case s.Format == "date-time":
		return fmt.Sprintf("19%02d-01-01T00:00:00Z", h%50), true
	case s.Pattern != "":
		// a value off the pattern would be refused as malformed, not
		// missing: none when the generator finds no match
		return matching(s, h)
	}
	if s.MinLength > maxGenLen {
		return "", false
	}
	return slug(h, s.MinLength, maxLen(s)), true
}

// fewIDs is the number of integers a parameter's bounds must leave for
// one near their top to be taken as naming no record: the petstore's
// orderId is 1 to 10, and a server may well hold all ten.
const fewIDs = 1000

// unknownInt is a large integer the schema admits: near its maximum, or
// near 2^53 (int64 and unbounded: exact in JavaScript, within int64) or
// 2^31 (int32), above its minimum; none (ok false) when the bounds leave
// fewer than fewIDs integers.
func unknownInt(s *openapi3.Schema, h uint64) (string, bool) {
	hi := int64(1<<53 - 1)
	if s.Format == "int32" {
		hi = math.MaxInt32
	}
	if s.Max != nil && *s.Max < float64(hi) {
		hi = int64(math.Floor(*s.Max))
		if s.ExclusiveMax.IsTrue() {
			hi--
		}
	}
	if v := s.ExclusiveMax.Value; v != nil && *v-1 < float64(hi) {
		hi = int64(math.Ceil(*v)) - 1
	}
	lo := int64(0)
	if s.Min != nil {
		lo = int64(math.Ceil(*s.Min))
	}
	if hi-lo+1 < fewIDs {
		return "", false
	}
	span := (hi - lo) / 1000
	if span <= 0 {
		return strconv.FormatInt(hi, 10), true
	}
	return strconv.FormatInt(hi-int64(h%uint64(span)), 10), true
}

// freshUUID is a version-4 uuid made of the hash (never a fixture's).
func freshUUID(h uint64) string {
	sum := sha256.Sum256(binary.BigEndian.AppendUint64(nil, h))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// slug is "standin-unknown-<hex>", cut or padded to the length bounds
// (max 0: none).
func slug(h uint64, min uint64, max uint64) string {
	s := fmt.Sprintf("standin-unknown-%016x", h)
	if max > 0 && uint64(len(s)) > max {
		s = s[len(s)-int(max):]
	}
	for uint64(len(s)) < min && len(s) < maxGenLen {
		s += "x"
	}
	return s
}

func maxLen(s *openapi3.Schema) uint64 {
	if s.MaxLength != nil {
		return *s.MaxLength
	}
	return 0
}

// matching draws a string matching the schema's pattern within its
// length bounds (rapid's regexp generator, seeded by the hash).
func matching(s *openapi3.Schema, h uint64) (string, bool) {
	re, err := regexp.Compile(s.Pattern)
	if err != nil {
		return "", false
	}
	gen := rapid.StringMatching(s.Pattern)
	for i := range 20 {
		v, ok := exampleOf(gen, int(h%math.MaxInt32)+i)
		if ok && re.MatchString(v) && len(v) <= maxGenLen && uint64(len(v)) >= s.MinLength && (s.MaxLength == nil || uint64(len(v)) <= *s.MaxLength) {
			return v, true
		}
	}
	return "", false
}

// exampleOf is gen's value for a seed; a generator that cannot make one
// (rapid panics) gives none.
func exampleOf[V any](gen *rapid.Generator[V], seed int) (v V, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return gen.Example(seed), true
}

// unknownHash mixes the run's seed and what the value is for.
func unknownHash(seed uint64, parts ...string) uint64 {
	sum := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + "\x00" + strings.Join(parts, "\x00")))
	return binary.BigEndian.Uint64(sum[:8])
}
