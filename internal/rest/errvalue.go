package rest

// The values the mock writes into an error in the document's shape (its
// message, code and status) are held to the schemas of the fields they go
// in. ShipEngine's error_code is {allOf: [{type: string, enum: [...]}]}:
// "NOT_FOUND" does not fit it, nor a 404 a status field bounded to 1000
// and more. A value refused gives way to the enum value that says what
// the problem is, else to the value the template had there, which the
// schema accepts.

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// admits reports whether a field's schema can hold values of type t: each
// of it and its allOf parts that declares types declares t (an integer:
// or number). A nil schema admits nothing.
func admits(p *openapi3.Schema, t string) bool {
	if p == nil {
		return false
	}
	for _, n := range contractapi.AllOfParts(p) {
		if n.Type == nil || n.Type.IsEmpty() {
			continue
		}
		if !n.Type.Includes(t) && (t != openapi3.TypeInteger || !n.Type.Includes(openapi3.TypeNumber)) {
			return false
		}
	}
	return true
}

// numeric reports whether a field's schema is a number's: one of it and
// its allOf parts declares integer or number, and all admit integers.
func numeric(p *openapi3.Schema) bool {
	if !admits(p, openapi3.TypeInteger) {
		return false
	}
	for _, n := range contractapi.AllOfParts(p) {
		if n.Type != nil && (n.Type.Includes(openapi3.TypeInteger) || n.Type.Includes(openapi3.TypeNumber)) {
			return true
		}
	}
	return false
}

// checked is a field's schema when a value of the slot's kind may not
// fit it (an enum, a const, a format, a pattern, a bound, parts of its
// own), else nil: a plain string or number takes any value of its type.
func checked(p *openapi3.Schema) *openapi3.Schema {
	if p == nil {
		return nil
	}
	plain := len(p.AllOf) == 0 && len(p.AnyOf) == 0 && len(p.OneOf) == 0 && p.Not == nil &&
		len(p.Enum) == 0 && p.Const == nil && p.Format == "" && p.Pattern == "" &&
		p.MinLength == 0 && p.MaxLength == nil && p.Min == nil && p.Max == nil && p.MultipleOf == nil &&
		!p.ExclusiveMin.IsSet() && !p.ExclusiveMax.IsSet()
	if plain {
		return nil
	}
	return p
}

// fitting is the value answered in slot x for the problem's value val:
// val when the field's schema accepts it (or says nothing), else a
// message cut to the field's maxLength, else the field's enum value that
// says the problem (meaningEnum), else the template's own value there.
func fitting(x errSlot, val any, t *problemText) any {
	if x.field == nil || t.accepts == nil || t.accepts(x.field, val) {
		return val
	}
	if s, ok := val.(string); ok && x.what == "message" {
		if cut, ok := cutTo(s, maxLength(x.field)); ok && t.accepts(x.field, cut) {
			return cut
		}
	}
	if v, ok := meaningEnum(x, t); ok {
		return v
	}
	if x.kept != nil {
		return x.kept
	}
	return val
}

// maxLength is the least maxLength of a schema and its allOf parts (-1:
// none).
func maxLength(s *openapi3.Schema) int {
	least := -1
	for _, n := range contractapi.AllOfParts(s) {
		if n.MaxLength != nil && (least < 0 || int(*n.MaxLength) < least) {
			least = int(*n.MaxLength)
		}
	}
	return least
}

// cutTo is s cut to at most n characters, at the end of a word when one
// ends there, without trailing spaces or punctuation; false when s is not
// longer than n or nothing is left.
func cutTo(s string, n int) (string, bool) {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return "", false
	}
	all := []rune(s)
	cut := string(all[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 && all[n] != ' ' {
		cut = cut[:i]
	}
	out := strings.TrimRight(cut, " .,:;-")
	return out, out != ""
}

// enumValues are the values a field's schema lists (its own enum, else
// its allOf parts'), those the schema accepts, in the document's order.
func enumValues(s *openapi3.Schema, accepts func(*openapi3.Schema, any) bool) []any {
	var out []any
	for _, n := range contractapi.AllOfParts(s) {
		for _, v := range n.Enum {
			if accepts(s, v) {
				out = append(out, v)
			}
		}
		if n.Const != nil && accepts(s, n.Const) {
			out = append(out, n.Const)
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}

// meaningEnum is the value of a field's enum that says the problem: for a
// status, the status itself or the first of its class (4xx); for a
// message or code, the first value that names the problem's code
// ("not_found" for NOT_FOUND), else one of the words of its status
// (statusWords: "invalid" for 400), the earlier word first, then the value
// whose other words are the most generic ("invalid_field_value" before
// "invalid_address"), then the shortest; false when none does.
func meaningEnum(x errSlot, t *problemText) (any, bool) {
	values := enumValues(x.field, t.accepts)
	if len(values) == 0 {
		return nil, false
	}
	if x.what == "status" {
		class := strconv.Itoa(t.status)[:1]
		for _, v := range values {
			if n, ok := asInt(v); ok && strconv.Itoa(n)[:1] == class && len(strconv.Itoa(n)) == 3 {
				return v, true
			}
			if s, ok := v.(string); ok && len(s) == 3 && s[:1] == class {
				return v, true
			}
		}
		return nil, false
	}
	var keys []string
	for _, c := range []string{t.code, t.defaultCode} {
		if n := conventions.Norm(c); n != "" {
			keys = append(keys, n)
		}
	}
	keys = append(keys, statusWords(t.status)...)
	best, bestKey, bestOdd, bestLen := any(nil), len(keys), 0, 0
	for _, v := range values {
		s, ok := v.(string)
		if !ok {
			continue
		}
		norm := conventions.Norm(s)
		for k, key := range keys {
			if k > bestKey {
				break
			}
			if !strings.Contains(norm, key) {
				continue
			}
			odd := oddWords(s, key)
			if k < bestKey || odd < bestOdd || odd == bestOdd && len(norm) < bestLen {
				best, bestKey, bestOdd, bestLen = v, k, odd, len(norm)
			}
			break
		}
	}
	return best, best != nil
}

// asInt is a JSON number that is a whole number, as an int.
func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	}
	return 0, false
}

// statusWords are the words an error code of a status uses, in order of
// preference, written as conventions.Norm writes them.
func statusWords(status int) []string {
	switch status {
	case 400, 422:
		return []string{"badrequest", "validation", "invalid", "unprocessable", "malformed"}
	case 401:
		return []string{"unauthorized", "unauthenticated", "authentication"}
	case 403:
		return []string{"forbidden", "permission", "accessdenied"}
	case 404:
		return []string{"notfound"}
	case 405:
		return []string{"methodnotallowed"}
	case 406:
		return []string{"notacceptable"}
	case 409:
		return []string{"conflict", "alreadyexists", "duplicate"}
	case 413:
		return []string{"toolarge"}
	case 415:
		return []string{"unsupportedmediatype", "mediatype", "contenttype"}
	case 429:
		return []string{"ratelimit", "toomany", "throttl"}
	case 500:
		return []string{"internal", "servererror", "unexpected", "unknown"}
	case 503:
		return []string{"unavailable"}
	case 504:
		return []string{"timeout"}
	}
	return nil
}

// genericWords say nothing of a particular thing in an error code: a
// code made of them and the problem's word says the problem alone.
var genericWords = map[string]bool{
	"error": true, "request": true, "field": true, "fields": true, "value": true, "values": true,
	"input": true, "parameter": true, "parameters": true, "param": true, "params": true,
	"argument": true, "data": true, "body": true, "format": true, "resource": true, "entity": true,
	"object": true, "record": true, "item": true, "exception": true,
}

// oddWords counts the words of an enum value, beside those of key, that
// are not generic.
func oddWords(value, key string) int {
	odd := 0
	for _, w := range conventions.Words(value) {
		if !genericWords[w] && !strings.Contains(key, w) {
			odd++
		}
	}
	return odd
}
