package gqlbind

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/fakedata"
)

// words are the text of generated strings.
var words = []string{"alpha", "bravo", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper",
	"kestrel", "lumen", "maple", "nimbus", "orchid", "pebble", "quartz", "raven", "sierra", "tundra"}

// gen is the generated value of a field of type t no record holds, from
// its type and name, the same for the same seed: an empty list, a scalar
// or enum value, an empty connection, or an object whose fields are
// generated in turn. A nullable field of an object type is null (nothing
// links it); scalars are generated nullable or not.
func (g *graph) gen(t *ast.Type, name string, seed uint64) any {
	if t.Elem != nil {
		return []any{}
	}
	def := g.schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		if len(def.EnumValues) == 0 {
			return nil
		}
		return def.EnumValues[seed%uint64(len(def.EnumValues))].Name
	case ast.Scalar:
		return genScalar(def.Name, name, seed)
	case ast.Object:
		if !t.NonNull {
			return nil
		}
		return g.virtualOf(def, seed)
	case ast.Interface, ast.Union:
		if !t.NonNull {
			return nil
		}
		possible := g.schema.PossibleTypes[def.Name]
		names := make([]string, 0, len(possible))
		for _, p := range possible {
			if p.Kind == ast.Object {
				names = append(names, p.Name)
			}
		}
		if len(names) == 0 {
			return nil
		}
		sort.Strings(names)
		return g.virtualOf(g.schema.Types[names[0]], seed)
	}
	return nil
}

// virtualOf is a generated object of an object type: an empty page for
// a connection, else an object of generated fields.
func (g *graph) virtualOf(def *ast.Definition, seed uint64) any {
	if c := g.m.Conn(def.Name); c != nil {
		return &gconn{def: def, conn: c, seed: seed}
	}
	return &gvirtual{def: def, seed: seed}
}

// genScalar generates a value of a scalar by its name and the field's.
func genScalar(scalar, field string, seed uint64) any {
	n := int(seed % 1000)
	low := strings.ToLower(field)
	switch scalar {
	case "Int":
		if strings.Contains(low, "count") || strings.HasPrefix(low, "total") {
			return n % 50
		}
		return 1 + n%100
	case "Float":
		return float64(n%10000) / 100
	case "Boolean":
		return seed>>11&1 == 1
	case "ID":
		return fakedata.NodeIDOf("Generated", strconv.FormatUint(seed%1_000_000, 10))
	case "String":
		return genString(field, seed)
	}
	s := strings.ToLower(scalar)
	switch {
	case strings.Contains(s, "datetime") || strings.Contains(s, "timestamp") || s == "instant":
		return genTime(seed).Format("2006-01-02T15:04:05Z")
	case s == "date":
		return genTime(seed).Format("2006-01-02")
	case s == "time":
		return genTime(seed).Format("15:04:05")
	case strings.Contains(s, "url") || strings.Contains(s, "uri"):
		return "https://example.com/" + words[seed%uint64(len(words))] + "/" + strconv.Itoa(n)
	case strings.Contains(s, "email"):
		return words[seed%uint64(len(words))] + strconv.Itoa(n) + "@example.com"
	case strings.Contains(s, "objectid") || s == "sha" || strings.Contains(s, "hash"):
		return hex40(seed)
	case strings.Contains(s, "bigint") || s == "long" || strings.Contains(s, "int64"):
		return strconv.FormatUint(1+seed%1_000_000_000, 10)
	case strings.Contains(s, "html"):
		return "<p>" + genString("text", seed) + "</p>"
	case strings.Contains(s, "json") || s == "any" || s == "object" || s == "map":
		return map[string]any{}
	}
	return genString(field, seed)
}

func genTime(seed uint64) time.Time {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	return start.Add(time.Duration(seed%(6*365*24*3600)) * time.Second)
}

func genString(field string, seed uint64) string {
	w := words[seed%uint64(len(words))]
	low := strings.ToLower(field)
	switch {
	case strings.HasSuffix(field, "At") || strings.HasSuffix(field, "Date") || strings.HasSuffix(field, "Time"):
		return genTime(seed).Format("2006-01-02T15:04:05Z")
	case strings.Contains(low, "email"):
		return w + "@example.com"
	case strings.Contains(low, "url") || strings.Contains(low, "uri"):
		return "https://example.com/" + w
	}
	return w + " " + words[(seed>>8)%uint64(len(words))]
}

func hex40(seed uint64) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 40)
	z := seed
	for i := range b {
		z = z*6364136223846793005 + 1442695040888963407
		b[i] = digits[z>>60]
	}
	return string(b)
}
