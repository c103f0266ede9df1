package specinfer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
)

// maxDepth bounds nested objects (and recursive schemas) in generated
// records.
const maxDepth = 4

// rules derives fakedata generation rules from a record schema.
type rules struct {
	col  string // the collection's name, a hint for "name" fields
	warn warnFunc
}

func newRules(col string, warn warnFunc) *rules { return &rules{col: col, warn: warn} }

// object returns the rules of an object schema's properties (write-only
// ones left out: they are never answered).
func (g *rules) object(s *openapi3.Schema, _ string, depth int) map[string]any {
	out := map[string]any{}
	props := properties(s)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := props[n]
		if p == nil || p.Value == nil || p.Value.WriteOnly {
			continue
		}
		if r, ok := g.field(n, p.Value, depth+1); ok {
			out[n] = r
		}
	}
	return out
}

// properties merges an object's properties with those of its allOf parts.
func properties(s *openapi3.Schema) openapi3.Schemas { return propertiesAt(s, 0) }

// propertiesAt is properties below depth allOf levels: a cycle of allOf
// is cut at maxDepth.
func propertiesAt(s *openapi3.Schema, depth int) openapi3.Schemas {
	if len(s.AllOf) == 0 || depth > maxDepth {
		return s.Properties
	}
	out := openapi3.Schemas{}
	for _, part := range s.AllOf {
		if part != nil && part.Value != nil {
			for k, v := range propertiesAt(part.Value, depth+1) {
				out[k] = v
			}
		}
	}
	for k, v := range s.Properties {
		out[k] = v
	}
	return out
}

// mainType is the schema's first type other than null ("" when none).
func mainType(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != "null" {
				return t
			}
		}
	}
	if len(s.Properties) > 0 || len(s.AllOf) > 0 {
		return "object"
	}
	if s.Items != nil {
		return "array"
	}
	return ""
}

// field is the rule of one field; false leaves the field out.
func (g *rules) field(name string, s *openapi3.Schema, depth int) (any, bool) {
	if depth > maxDepth {
		return nil, false
	}
	if s.Const != nil {
		return map[string]any{"const": normalize(s.Const)}, true
	}
	if len(s.Enum) > 0 {
		var vals []any
		for _, v := range s.Enum {
			if v != nil {
				vals = append(vals, normalize(v))
			}
		}
		if len(vals) > 0 {
			return map[string]any{"oneOf": vals}, true
		}
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 && alts[0] != nil && alts[0].Value != nil {
			return g.field(name, alts[0].Value, depth)
		}
	}
	switch mainType(s) {
	case "boolean":
		return map[string]any{"bool": map[string]any{"p": 0.5}}, true
	case "integer":
		lo, hi := numberRange(name, s, true)
		return map[string]any{"int": map[string]any{"min": lo, "max": hi}}, true
	case "number":
		lo, hi := numberRange(name, s, false)
		return map[string]any{"float": map[string]any{"min": lo, "max": hi, "decimals": 2}}, true
	case "string":
		return g.str(name, s), true
	case "array":
		if s.Items == nil || s.Items.Value == nil {
			return map[string]any{"const": []any{}}, true
		}
		lo := int(s.MinItems)
		hi := lo + 3
		if lo == 0 {
			hi = 3
		}
		if s.MaxItems != nil && int(*s.MaxItems) < hi {
			hi = int(*s.MaxItems)
		}
		it := s.Items.Value
		if len(it.Enum) > 0 && s.UniqueItems {
			vals := make([]any, 0, len(it.Enum))
			for _, v := range it.Enum {
				vals = append(vals, normalize(v))
			}
			hi = min(hi, len(vals))
			return map[string]any{"someOf": map[string]any{"values": vals, "min": min(lo, hi), "max": hi}}, true
		}
		item, ok := g.field(singular(name), it, depth+1)
		if !ok {
			return map[string]any{"const": []any{}}, lo == 0
		}
		return map[string]any{"list": map[string]any{"min": lo, "max": hi, "item": item}}, true
	case "object":
		sub := &rules{col: plural(strings.ToLower(name)), warn: g.warn}
		props := sub.object(s, name, depth)
		if len(props) == 0 {
			return map[string]any{"const": map[string]any{}}, true
		}
		return map[string]any{"object": props}, true
	}
	if s.Example != nil {
		return map[string]any{"const": normalize(s.Example)}, true
	}
	return nil, false
}

func singular(name string) string {
	if strings.HasSuffix(name, "ies") {
		return strings.TrimSuffix(name, "ies") + "y"
	}
	return strings.TrimSuffix(name, "s")
}

// numberRange picks bounds by field name within the schema's bounds.
func numberRange(name string, s *openapi3.Schema, integer bool) (float64, float64) {
	n := conventions.Norm(name)
	lo, hi := 1.0, 1000.0
	switch {
	case n == "age":
		lo, hi = 1, 90
	case strings.Contains(n, "year"):
		lo, hi = 1990, 2025
	case strings.Contains(n, "rating") || strings.Contains(n, "stars") || strings.Contains(n, "score"):
		lo, hi = 1, 5
	case strings.Contains(n, "percent"):
		lo, hi = 0, 100
	case strings.Contains(n, "count") || strings.Contains(n, "quantity") || n == "qty" || strings.Contains(n, "stock"):
		lo, hi = 0, 100
	case strings.Contains(n, "price") || strings.Contains(n, "amount") || strings.Contains(n, "cost") || strings.Contains(n, "total"):
		lo, hi = 1, 500
	case strings.Contains(n, "lat"):
		lo, hi = -90, 90
	case strings.Contains(n, "lon") || strings.Contains(n, "lng"):
		lo, hi = -180, 180
	}
	min, max := math.Inf(-1), math.Inf(1)
	if s.Min != nil {
		min = *s.Min
		if s.ExclusiveMin.IsTrue() {
			min += step(integer)
		}
	}
	if s.ExclusiveMin.Value != nil {
		min = *s.ExclusiveMin.Value + step(integer)
	}
	if s.Max != nil {
		max = *s.Max
		if s.ExclusiveMax.IsTrue() {
			max -= step(integer)
		}
	}
	if s.ExclusiveMax.Value != nil {
		max = *s.ExclusiveMax.Value - step(integer)
	}
	if integer {
		min, max = math.Ceil(min), math.Floor(max)
	}
	if lo < min || lo > max {
		lo = min
	}
	if hi > max || hi < min {
		hi = max
	}
	if math.IsInf(lo, -1) {
		lo = hi - 1000
	}
	if math.IsInf(hi, 1) {
		hi = lo + 1000
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

func step(integer bool) float64 {
	if integer {
		return 1
	}
	return 0.01
}

// str is the rule of a string field: by format, pattern, then name.
func (g *rules) str(name string, s *openapi3.Schema) any {
	switch s.Format {
	case "date-time":
		return map[string]any{"time": map[string]any{"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02T15:04:05Z"}}
	case "date":
		return map[string]any{"time": map[string]any{"from": "2000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02"}}
	case "time":
		return map[string]any{"regex": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"}
	case "email", "idn-email":
		return fake("email")
	case "uuid":
		return map[string]any{"uuid": map[string]any{}}
	case "uri", "url", "iri", "uri-reference":
		return fake("url")
	case "hostname", "idn-hostname":
		return fake("domain")
	case "ipv4":
		return fake("ipv4")
	case "byte":
		return map[string]any{"regex": "^[A-Za-z0-9]{16}$"}
	}
	if s.Pattern != "" {
		return map[string]any{"regex": s.Pattern}
	}
	kind := g.kindOf(name, s)
	if s.MinLength > 1 || s.MaxLength != nil {
		lo := int(max(s.MinLength, 1))
		hi := lo + 10
		if s.MaxLength != nil && int(*s.MaxLength) < hi {
			hi = int(*s.MaxLength)
		}
		if kind == "countryCode" && hi >= 2 && lo <= 2 {
			return fake(kind)
		}
		if s.MaxLength == nil || *s.MaxLength >= 64 {
			return fake(kind)
		}
		return map[string]any{"regex": fmt.Sprintf("^[a-z]{%d,%d}$", lo, max(hi, lo))}
	}
	return fake(kind)
}

func fake(kind string) any { return map[string]any{"fake": kind} }

// people, firms, pets and goods are collection names that say what a
// "name" field holds.
var nameByCollection = map[string]string{
	"pets": "petName", "animals": "petName", "dogs": "petName", "cats": "petName",
	"companies": "company", "organizations": "company", "organisations": "company", "orgs": "company",
	"accounts": "company", "vendors": "company", "suppliers": "company", "customers": "company",
	"products": "product", "items": "product", "goods": "product",
	"books": "title", "albums": "title", "movies": "title", "songs": "title",
	"cities": "city", "countries": "country", "colors": "color", "languages": "language", "tags": "word",
}

// kindOf picks a fake kind (fakedata.FakeKinds) by field name.
func (g *rules) kindOf(name string, s *openapi3.Schema) string {
	n := conventions.Norm(name)
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(n, p) {
				return true
			}
		}
		return false
	}
	is := func(names ...string) bool {
		for _, p := range names {
			if n == p {
				return true
			}
		}
		return false
	}
	switch {
	case has("email"):
		return "email"
	case is("firstname", "givenname", "forename"):
		return "firstName"
	case is("lastname", "surname", "familyname"):
		return "lastName"
	case is("username", "login", "handle", "nickname", "nick", "userid"):
		return "username"
	case is("fullname", "displayname", "contactname", "ownername", "authorname", "personname", "author", "owner"):
		return "name"
	case is("name"):
		if k, ok := nameByCollection[g.col]; ok {
			return k
		}
		return "name"
	case has("phone", "mobile") || is("tel", "telephone", "fax"):
		return "phone"
	case is("city", "town"):
		return "city"
	case is("countrycode", "country") && s.MaxLength != nil && *s.MaxLength <= 3, is("countrycode"):
		return "countryCode"
	case is("country"):
		return "country"
	case is("state", "province", "region"):
		return "state"
	case is("zip", "zipcode", "postcode", "postalcode"):
		return "zip"
	case is("street", "address", "addressline", "line1", "streetaddress"):
		return "street"
	case has("url", "website", "homepage", "href", "link") || is("uri", "avatar"):
		return "url"
	case has("company", "organization", "organisation", "employer"):
		return "company"
	case is("jobtitle", "job", "occupation", "position"):
		return "jobTitle"
	case is("title", "headline", "subject"):
		return "title"
	case is("description", "summary", "bio", "about", "notes", "note", "comment", "text", "message", "body", "content", "details"):
		return "sentence"
	case is("color", "colour"):
		return "color"
	case is("species", "breed", "animal"):
		return "animal"
	case is("language", "lang"):
		return "language"
	case is("domain", "hostname", "host"):
		return "domain"
	case is("ip", "ipaddress", "ipv4"):
		return "ipv4"
	case is("product", "productname"):
		return "product"
	}
	return "word"
}
