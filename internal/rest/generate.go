package rest

import (
	"math"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Deterministic values for operations without a binding.

// maxDepth bounds recursion through nested and recursive schemas.
const maxDepth = 8

// hardMaxDepth is where generation stops whatever the schema requires (a
// cycle through required properties has no finite value).
const hardMaxDepth = 4 * maxDepth

// generator makes a value that satisfies a schema, the same value every
// time for the same schema.
type generator struct {
	stack map[*openapi3.Schema]int
}

func newGenerator() *generator { return &generator{stack: map[*openapi3.Schema]int{}} }

// value generates for ref; variant distinguishes array items (uniqueItems).
func (g *generator) value(ref *openapi3.SchemaRef, depth, variant int) any {
	if ref == nil || ref.Value == nil {
		return map[string]any{}
	}
	s := ref.Value
	if depth > hardMaxDepth {
		return nil // a cycle of required properties: cut, never a stack overflow
	}
	if s.Example != nil {
		return s.Example
	}
	if s.Default != nil {
		return s.Default
	}
	if len(s.Enum) > 0 {
		return s.Enum[variant%len(s.Enum)]
	}
	if g.stack[s] > 0 && depth > 2 || depth > maxDepth {
		// recursion: the smallest value the schema allows
		if s.Nullable || s.Type.IncludesNull() {
			return nil
		}
		depth = max(depth, maxDepth+1)
	}
	g.stack[s]++
	defer func() { g.stack[s]-- }()

	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		var other any
		for _, sub := range s.AllOf {
			v := g.value(sub, depth+1, variant)
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					merged[k] = x
				}
			} else if other == nil {
				other = v
			}
		}
		if len(s.Properties) > 0 || s.Type.Is("object") {
			for k, x := range g.object(s, depth, variant) {
				if _, ok := merged[k]; !ok {
					merged[k] = x
				}
			}
		}
		if len(merged) > 0 || other == nil {
			return merged
		}
		return other
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			// the first alternative the whole schema accepts
			first := g.value(alts[0], depth+1, variant)
			if depth > maxDepth {
				return first // deep in a cycle: no trials, their cost multiplies per level
			}
			for _, alt := range alts {
				v := g.value(alt, depth+1, variant)
				if s.VisitJSON(v) == nil {
					return v
				}
			}
			return first
		}
	}
	typ := ""
	for _, t := range s.Type.Slice() {
		if t != "null" {
			typ = t
			break
		}
	}
	if typ == "" {
		switch {
		case len(s.Properties) > 0:
			typ = "object"
		case s.Items != nil:
			typ = "array"
		case s.Nullable || s.Type.IncludesNull():
			return nil
		default:
			return map[string]any{}
		}
	}
	switch typ {
	case "object":
		return g.object(s, depth, variant)
	case "array":
		n := int(s.MinItems)
		if n == 0 && depth <= maxDepth {
			n = 1
		}
		if s.MaxItems != nil && uint64(n) > *s.MaxItems {
			n = int(*s.MaxItems)
		}
		out := make([]any, n)
		for i := range out {
			out[i] = g.value(s.Items, depth+1, variant+i)
		}
		return out
	case "string":
		return genString(s, variant)
	case "integer":
		return genNumber(s, variant, true)
	case "number":
		return genNumber(s, variant, false)
	case "boolean":
		return variant%2 == 0
	}
	return nil
}

func (g *generator) object(s *openapi3.Schema, depth, variant int) map[string]any {
	out := map[string]any{}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := s.Properties[name]
		if !required[name] && (depth >= 4 || p.Value != nil && p.Value.WriteOnly) {
			continue
		}
		out[name] = g.value(p, depth+1, variant)
	}
	for _, r := range s.Required {
		if _, ok := out[r]; !ok {
			out[r] = "string"
		}
	}
	return out
}

func genString(s *openapi3.Schema, variant int) string {
	var v string
	switch s.Format {
	case "date-time":
		v = "2024-01-01T00:00:00Z"
	case "date":
		v = "2024-01-01"
	case "time":
		v = "12:00:00"
	case "uuid":
		v = "00000000-0000-4000-8000-" + leftPad(strconv.Itoa(variant), 12, '0')
	case "email":
		v = "user" + strconv.Itoa(variant) + "@example.com"
	case "uri", "url":
		v = "https://example.com/" + strconv.Itoa(variant)
	case "hostname":
		v = "example.com"
	case "ipv4":
		v = "192.0.2." + strconv.Itoa(1+variant%250)
	case "ipv6":
		v = "2001:db8::" + strconv.Itoa(1+variant%9000)
	case "byte":
		v = "c3RyaW5n"
	default:
		v = "string"
		if variant > 0 {
			v += strconv.Itoa(variant)
		}
	}
	if s.Pattern != "" {
		if p, ok := fromPattern(s.Pattern, variant); ok {
			v = p
		}
	}
	if n := utf8Len(v); uint64(n) < s.MinLength {
		pad := "x"
		if s.Pattern != "" {
			pad = ""
		}
		if pad != "" {
			v += strings.Repeat(pad, int(s.MinLength)-n)
		}
	}
	if s.MaxLength != nil && uint64(utf8Len(v)) > *s.MaxLength {
		r := []rune(v)
		v = string(r[:*s.MaxLength])
	}
	return v
}

func utf8Len(s string) int { return len([]rune(s)) }

func leftPad(s string, n int, c byte) string {
	if len(s) >= n {
		return s[len(s)-n:]
	}
	return strings.Repeat(string(c), n-len(s)) + s
}

func genNumber(s *openapi3.Schema, variant int, integer bool) any {
	v := float64(1 + variant)
	lo, hi := math.Inf(-1), math.Inf(1)
	if s.Min != nil {
		lo = *s.Min
		if s.ExclusiveMin.IsTrue() {
			if integer {
				lo = math.Floor(lo) + 1
			} else {
				lo += 0.5
			}
		}
	}
	if s.ExclusiveMin.Value != nil {
		lo = math.Max(lo, *s.ExclusiveMin.Value+1)
	}
	if s.Max != nil {
		hi = *s.Max
		if s.ExclusiveMax.IsTrue() {
			if integer {
				hi = math.Ceil(hi) - 1
			} else {
				hi -= 0.5
			}
		}
	}
	if s.ExclusiveMax.Value != nil {
		hi = math.Min(hi, *s.ExclusiveMax.Value-1)
	}
	if v < lo {
		v = lo + float64(variant)
	}
	if v > hi {
		v = hi
	}
	if integer {
		v = math.Ceil(v)
		if v > hi {
			v = math.Floor(hi)
		}
	}
	if m := s.MultipleOf; m != nil && *m > 0 {
		v = math.Ceil(v / *m) * *m
	}
	return v
}

// fromPattern builds a short string matching a regular expression: the
// first alternative, the minimum repetition, the first character of a
// class (preferring a letter or digit).
func fromPattern(pattern string, variant int) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !genRegexp(&b, re.Simplify(), variant, 0) {
		return "", false
	}
	return b.String(), true
}

func genRegexp(b *strings.Builder, re *syntax.Regexp, variant, depth int) bool {
	if depth > 50 {
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) < 2 {
			return false
		}
		b.WriteRune(pickRune(re.Rune, variant))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		return genRegexp(b, re.Sub[0], variant, depth+1)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !genRegexp(b, sub, variant, depth+1) {
				return false
			}
		}
	case syntax.OpAlternate:
		return genRegexp(b, re.Sub[0], variant, depth+1)
	case syntax.OpPlus:
		return genRegexp(b, re.Sub[0], variant, depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			if !genRegexp(b, re.Sub[0], variant, depth+1) {
				return false
			}
		}
	case syntax.OpStar, syntax.OpQuest, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
	default:
		return false
	}
	return true
}

// pickRune chooses from a class's ranges: a letter or digit when there is
// one, varied by variant.
func pickRune(ranges []rune, variant int) rune {
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for r := lo; r <= hi && r < lo+128; r++ {
			if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				span := int(min(hi, 127) - r + 1)
				return r + rune(variant%max(span, 1))
			}
		}
	}
	return ranges[0]
}
