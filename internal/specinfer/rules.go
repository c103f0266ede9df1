package specinfer

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/schemagen"

	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// maxDepth bounds nested objects in generated records (of SDLs).
const maxDepth = 4

// maxRecordDepth bounds nested objects in records generated for an
// OpenAPI document: deeper, a required field takes the shallowest value
// its schema allows (schemagen), an optional one is left out. A schema
// met again below itself (a recursive schema) stops the same way, one
// level down (schemagen.RecursionBound).
const maxRecordDepth = 8

// rules derives fakedata generation rules from a record schema.
type rules struct {
	col  string // the collection's name, a hint for "name" fields
	warn warnFunc
	// gen makes the shallowest valid values where rules stop (shared by
	// an API's collections; nil until needed).
	gen *schemagen.Generator
	// stack counts the schemas being made on the current path.
	stack map[*openapi3.Schema]int
}

func newRules(col string, warn warnFunc) *rules { return &rules{col: col, warn: warn} }

// sub is the rules of a nested object named name.
func (g *rules) sub(name string) *rules {
	return &rules{col: plural(strings.ToLower(name)), warn: g.warn, gen: g.generator(), stack: g.counts()}
}

func (g *rules) generator() *schemagen.Generator {
	if g.gen == nil {
		g.gen = schemagen.New(schemagen.Options{Optional: true})
	}
	return g.gen
}

func (g *rules) counts() map[*openapi3.Schema]int {
	if g.stack == nil {
		g.stack = map[*openapi3.Schema]int{}
	}
	return g.stack
}

// object returns the rules of an object schema's properties (those of its
// allOf parts merged; write-only ones left out: they are never answered).
// Every required property gets a rule; the discriminator of a base the
// schema extends (ref names it) is the value that names the schema.
func (g *rules) object(s *openapi3.Schema, ref string, depth int) map[string]any {
	out := map[string]any{}
	props := properties(s)
	required := requiredOf(s)
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
		if r, ok := g.field(n, p, depth+1, required[n]); ok {
			out[n] = r
		}
	}
	if ref != "" {
		for _, part := range contractapi.AllOfParts(s) {
			d := part.Discriminator
			if d == nil || d.PropertyName == "" || part == s || len(part.OneOf) > 0 || len(part.AnyOf) > 0 {
				continue
			}
			v := schemagen.MappingValue(d, ref)
			if ps := props[d.PropertyName]; ps == nil || ps.Value == nil || len(ps.Value.Enum) == 0 || slices.Contains(ps.Value.Enum, any(v)) {
				out[d.PropertyName] = map[string]any{"const": v}
			}
		}
	}
	return out
}

// requiredOf are the required properties of a schema and its allOf parts.
func requiredOf(s *openapi3.Schema) map[string]bool {
	out := map[string]bool{}
	for _, part := range contractapi.AllOfParts(s) {
		for _, r := range part.Required {
			out[r] = true
		}
	}
	return out
}

// properties merges an object's properties with those of its allOf parts
// (a part's property that says more wins over one that only restates it).
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
				if old, ok := out[k]; !ok || !saysMore(old, v) {
					out[k] = v
				}
			}
		}
	}
	for k, v := range s.Properties {
		if old, ok := out[k]; !ok || !saysMore(old, v) {
			out[k] = v
		}
	}
	return out
}

// saysMore reports whether a property schema says more than another (an
// enum or const against a bare type).
func saysMore(a, b *openapi3.SchemaRef) bool {
	if a == nil || a.Value == nil || b == nil || b.Value == nil {
		return b == nil || b.Value == nil
	}
	score := func(s *openapi3.Schema) int {
		n := 0
		if len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
			// a type said by a part (allOf: [country_code]) says more
			// than nothing (a relaxed closed node's placeholder, {})
			n++
			s = scalarPart(s)
		}
		if len(s.Enum) > 0 || s.Const != nil {
			n += 4
		}
		if s.Type != nil && !s.Type.IsEmpty() {
			n += 2
		}
		if s.Format != "" || s.Pattern != "" || len(s.Properties) > 0 || s.Items != nil {
			n++
		}
		return n
	}
	return score(a.Value) > score(b.Value)
}

// mainType is the schema's first type other than null ("" when none).
func mainType(s *openapi3.Schema) string { return mainTypeAt(s, 0) }

// mainTypeAt is mainType below depth allOf levels: a cycle of allOf is
// cut at maxDepth.
func mainTypeAt(s *openapi3.Schema, depth int) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != "null" {
				return t
			}
		}
	}
	if len(s.Properties) > 0 {
		return "object"
	}
	if len(s.AllOf) > 0 {
		// an allOf that declares no field wraps a type its part says
		// (ShipEngine's href: allOf: [url], a string)
		if p := scalarPartAt(s, depth); p != s {
			return mainTypeAt(p, depth+1)
		}
		return "object"
	}
	if s.Items != nil {
		return "array"
	}
	return ""
}

// constOf is the rule of a constant value.
func constOf(v any) map[string]any { return map[string]any{"const": normalize(v)} }

// shallowest is the rule of a field where rules stop: the shallowest
// value its schema allows.
func (g *rules) shallowest(name string, ref *openapi3.SchemaRef) (any, bool) {
	v, _ := g.generator().Shallowest(ref, name)
	return constOf(v), true
}

// field is the rule of one field; false leaves the field out. A required
// field always gets one.
func (g *rules) field(name string, ref *openapi3.SchemaRef, depth int, required bool) (any, bool) {
	s := ref.Value
	stack := g.counts()
	if depth > maxRecordDepth || stack[s] > 0 {
		if required {
			return g.shallowest(name, ref)
		}
		return nil, false
	}
	stack[s]++
	defer func() { stack[s]-- }()
	r, ok := g.rule(name, ref, depth)
	if !ok && required {
		return g.shallowest(name, ref)
	}
	return r, ok
}

// rule is the rule of a field by its schema's keywords and its name.
func (g *rules) rule(name string, ref *openapi3.SchemaRef, depth int) (any, bool) {
	s := ref.Value
	if s.Const != nil {
		return constOf(s.Const), true
	}
	if len(s.Enum) > 0 {
		var vals []any
		for _, v := range s.Enum {
			if v != nil {
				vals = append(vals, normalize(v))
			}
		}
		if len(vals) == 0 {
			return constOf(nil), true
		}
		return map[string]any{"oneOf": vals}, true
	}
	if len(s.AllOf) > 0 {
		if mainType(s) == "object" && len(properties(s)) > 0 {
			props := g.sub(name).object(s, ref.Ref, depth)
			return map[string]any{"object": props}, true
		}
		for _, p := range s.AllOf {
			if p != nil && p.Value != nil && mainType(p.Value) != "" {
				return g.rule(name, p, depth)
			}
		}
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) == 0 {
			continue
		}
		prop, branches := schemagen.Branches(s, alts)
		for _, b := range branches {
			if b.Ref == nil || b.Ref.Value == nil || mainType(b.Ref.Value) == "null" {
				continue
			}
			r, ok := g.rule(name, b.Ref, depth)
			if !ok {
				continue
			}
			if obj, isObj := r.(map[string]any)["object"].(map[string]any); isObj && prop != "" && b.Value != "" {
				obj[prop] = constOf(b.Value)
			}
			return r, true
		}
		if nullableSchema(s) || len(branches) > 0 {
			return constOf(nil), nullableSchema(s) || anyNull(branches)
		}
	}
	switch mainType(s) {
	case "boolean":
		return map[string]any{"bool": map[string]any{"p": 0.5}}, true
	case "integer", "number":
		// a number of format int32 or int64 is a whole number (Ideal
		// Postcodes' counts)
		return g.number(name, s, mainType(s) == "integer" || s.Format == "int32" || s.Format == "int64"), true
	case "string":
		return g.str(name, s), true
	case "array":
		return g.array(name, ref, depth)
	case "object":
		if len(properties(s)) == 0 {
			v := g.generator().Value(ref, name)
			return constOf(v), true
		}
		props := g.sub(name).object(s, ref.Ref, depth)
		if len(props) == 0 {
			return constOf(map[string]any{}), true
		}
		return map[string]any{"object": props}, true
	case "null":
		return constOf(nil), true
	}
	if s.Example != nil {
		return constOf(s.Example), true
	}
	if nullableSchema(s) {
		return constOf(nil), true
	}
	return nil, false
}

func nullableSchema(s *openapi3.Schema) bool {
	return s.Nullable || s.Type != nil && s.Type.IncludesNull()
}

func anyNull(bs []schemagen.Branch) bool {
	for _, b := range bs {
		if b.Ref != nil && b.Ref.Value != nil && mainType(b.Ref.Value) == "null" {
			return true
		}
	}
	return false
}

// number is the rule of a number: within a range its name makes plausible
// and the schema's bounds; a multiple of multipleOf.
func (g *rules) number(name string, s *openapi3.Schema, integer bool) any {
	lo, hi := schemagen.NumberRange(name, s, integer)
	if m := s.MultipleOf; m != nil && *m > 0 {
		var vals []any
		for v := math.Ceil(lo / *m) * *m; v <= hi && len(vals) < 20; v += *m {
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			vals = append(vals, lo)
		}
		return map[string]any{"oneOf": vals}
	}
	if integer {
		return map[string]any{"int": map[string]any{"min": lo, "max": hi}}
	}
	return map[string]any{"float": map[string]any{"min": lo, "max": hi, "decimals": 2}}
}

// array is the rule of an array: a list of 1 to 3 items (within
// minItems/maxItems), a subset of an enum when items are unique, one item
// when other unique items could repeat.
func (g *rules) array(name string, ref *openapi3.SchemaRef, depth int) (any, bool) {
	s := ref.Value
	if len(s.PrefixItems) > 0 {
		return constOf(g.generator().Value(ref, name)), true
	}
	if s.Items == nil || s.Items.Value == nil {
		return constOf([]any{}), true
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
	if s.UniqueItems {
		if lo > 1 {
			return constOf(g.generator().Value(ref, name)), true
		}
		hi = min(hi, 1)
	}
	item, ok := g.field(singular(name), s.Items, depth+1, lo > 0)
	if !ok {
		return constOf([]any{}), true
	}
	return map[string]any{"list": map[string]any{"min": lo, "max": hi, "item": item}}, true
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

// str is the rule of a string field: by format, pattern, then name
// (schemagen.Kind: an e-mail, a date for created_at, a word of a small
// vocabulary for state, status and type, ...).
func (g *rules) str(name string, s *openapi3.Schema) any {
	switch s.Format {
	case "date-time":
		return timeRule("2006-01-02T15:04:05Z")
	case "date":
		return map[string]any{"time": map[string]any{"from": "2000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": "2006-01-02"}}
	case "time":
		return map[string]any{"regex": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"}
	case "email", "idn-email":
		return fake("email")
	case "uuid":
		return map[string]any{"uuid": map[string]any{}}
	case "uri", "url", "iri", "uri-reference", "iri-reference":
		return fake("url")
	case "hostname", "idn-hostname":
		return fake("domain")
	case "ipv4":
		return fake("ipv4")
	case "ipv6":
		return fake("ipv6")
	case "byte":
		return map[string]any{"regex": "^[A-Za-z0-9]{16}$"}
	case "duration":
		return map[string]any{"regex": "^P[1-9]D$"}
	}
	if s.Pattern != "" {
		return patternRule(s)
	}
	var kind any
	k := schemagen.Kind(name, g.col)
	switch k {
	case "timestamp":
		kind = timeRule("2006-01-02T15:04:05Z")
	case "sha":
		kind = map[string]any{"regex": "^[0-9a-f]{40}$"}
	case "isbn":
		kind = map[string]any{"regex": "^97[89][0-9]{10}$"}
	case "stateWord":
		kind = map[string]any{"oneOf": words(schemagen.StateWords)}
	case "statusWord":
		kind = map[string]any{"oneOf": words(schemagen.StatusWords)}
	case "typeWord":
		kind = map[string]any{"oneOf": words(schemagen.TypeWords)}
	default:
		kind = fake(k)
	}
	if s.MinLength > 1 || s.MaxLength != nil {
		lo := int(max(s.MinLength, 1))
		hi := lo + 10
		if s.MaxLength != nil && int(*s.MaxLength) < hi {
			hi = int(*s.MaxLength)
		}
		if (k == "country" || k == "countryCode") && hi >= 2 && lo <= 2 {
			return fake("countryCode")
		}
		if (s.MaxLength == nil || *s.MaxLength >= 64) && s.MinLength <= 3 {
			return kind
		}
		return map[string]any{"regex": fmt.Sprintf("^[a-z]{%d,%d}$", lo, max(hi, lo))}
	}
	return kind
}

// patternRule is the rule of a string of a pattern: with the schema's
// length bounds when it has them (a pattern of unbounded repeats draws
// strings longer than a maxLength).
func patternRule(s *openapi3.Schema) any {
	if s.MinLength == 0 && s.MaxLength == nil {
		return map[string]any{"regex": s.Pattern}
	}
	p := map[string]any{"pattern": s.Pattern}
	if s.MinLength > 0 {
		p["minLength"] = s.MinLength
	}
	if s.MaxLength != nil {
		p["maxLength"] = *s.MaxLength
	}
	return map[string]any{"regex": p}
}

func timeRule(layout string) any {
	return map[string]any{"time": map[string]any{"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "format": layout}}
}

func words(ws []string) []any {
	out := make([]any, len(ws))
	for i, w := range ws {
		out[i] = w
	}
	return out
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
	n := conventions.Name(conventions.Norm(name))
	has, is := n.Has, n.Is
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
