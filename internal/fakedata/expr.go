package fakedata

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/standin/standin/internal/store"
)

// node is a compiled expression.
type node interface {
	eval(c *ctx) (any, error)
}

// ctx is the state of one generation run.
type ctx struct {
	f      *gofakeit.Faker
	rec    map[string]any // the record being built
	hidden map[string]any // hidden fields of the record being built
	n      int            // the record's number among generated records, from 1
	env    *Env
	// taken reports whether a value of the current field collides; nil when
	// the field is not unique.
	taken func(key string) bool
	// records of other collections, fetched once.
	others map[string][]store.Item
	emails map[string]struct{}
	// emailNext is, per e-mail address without a number, the first number
	// not yet known to be taken.
	emailNext map[string]int
}

// lookup reads an earlier field; paths starting with "_" read hidden ones.
func (c *ctx) lookup(path string) any {
	if strings.HasPrefix(path, "_") {
		return store.Lookup(c.hidden, path)
	}
	return store.Lookup(c.rec, path)
}

// exprError is a problem with one expression; Compile adds the place.
type exprError struct{ msg string }

func (e *exprError) Error() string { return e.msg }

func bad(format string, args ...any) error { return &exprError{fmt.Sprintf(format, args...)} }

// params reads a generator's parameter map and reports unknown keys.
type params struct {
	gen  string
	m    map[string]any
	used map[string]bool
}

func newParams(gen string, v any, allowed ...string) (*params, error) {
	p := &params{gen: gen, used: map[string]bool{}}
	switch x := v.(type) {
	case nil:
		p.m = map[string]any{}
	case map[string]any:
		p.m = x
	default:
		return nil, bad("%s: parameters must be a map, got %s", gen, typeName(v))
	}
	keys := make([]string, 0, len(p.m))
	for k := range p.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			return nil, bad("%s: unknown parameter %q (allowed: %s)", gen, k, strings.Join(allowed, ", "))
		}
	}
	return p, nil
}

func (p *params) has(k string) bool { _, ok := p.m[k]; return ok }

func (p *params) num(k string, def float64) (float64, error) {
	v, ok := p.m[k]
	if !ok {
		return def, nil
	}
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, bad("%s: %s must be a number, got %s", p.gen, k, typeName(v))
	}
	return f, nil
}

func (p *params) int(k string, def int) (int, error) {
	f, err := p.num(k, float64(def))
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, bad("%s: %s must be a whole number, got %v", p.gen, k, f)
	}
	return int(f), nil
}

func (p *params) prob(k string, def float64) (float64, error) {
	f, err := p.num(k, def)
	if err != nil {
		return 0, err
	}
	if f < 0 || f > 1 {
		return 0, bad("%s: %s must be between 0 and 1, got %v", p.gen, k, f)
	}
	return f, nil
}

func (p *params) str(k, def string) (string, error) {
	v, ok := p.m[k]
	if !ok {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", bad("%s: %s must be a string, got %s", p.gen, k, typeName(v))
	}
	return s, nil
}

func (p *params) boolean(k string) (bool, error) {
	v, ok := p.m[k]
	if !ok {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, bad("%s: %s must be true or false, got %s", p.gen, k, typeName(v))
	}
	return b, nil
}

func (p *params) list(k string) ([]any, error) {
	v, ok := p.m[k]
	if !ok {
		return nil, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, bad("%s: %s must be a list, got %s", p.gen, k, typeName(v))
	}
	return l, nil
}

func (p *params) strings(k string) ([]string, error) {
	v, ok := p.m[k]
	if !ok {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	l, err := p.list(k)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(l))
	for i, e := range l {
		s, ok := e.(string)
		if !ok {
			return nil, bad("%s: %s[%d] must be a string, got %s", p.gen, k, i, typeName(e))
		}
		out[i] = s
	}
	return out, nil
}

func (p *params) time(k string, def time.Time) (time.Time, error) {
	v, ok := p.m[k]
	if !ok {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, bad("%s: %s must be an RFC 3339 time string, got %s", p.gen, k, typeName(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, bad("%s: %s: %q is not an RFC 3339 time", p.gen, k, s)
	}
	return t.UTC(), nil
}

func (p *params) dur(k string, def time.Duration) (time.Duration, error) {
	v, ok := p.m[k]
	if !ok {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return 0, bad("%s: %s must be a duration string like \"720h\", got %s", p.gen, k, typeName(v))
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, bad("%s: %s: %q is not a non-negative duration like \"720h\"", p.gen, k, s)
	}
	return d, nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}

// normalize turns a YAML-decoded value into a JSON-shaped one.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = n
		}
		return out, nil
	}
	return nil, bad("unsupported value of type %T", v)
}

// compiler knows the generator names.
type compiler struct {
	path  string   // the field being compiled (for object children)
	needs []string // collections referred to by pick
}

var generators = []string{
	"bool", "company", "const", "country", "email", "fake", "float", "int", "join", "list",
	"nullable", "object", "oneOf", "person", "pick", "ref", "regex", "ruPerson", "ruPhone", "seq",
	"someOf", "switch", "template", "time", "timeAfter", "uuid", "weighted",
}

func (cp *compiler) compile(v any) (node, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return constNode{v}, nil
	}
	if len(m) != 1 {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, bad("expression must be a map with exactly one generator key, got keys [%s] (wrap objects in {object: ...} or {const: ...})", strings.Join(keys, ", "))
	}
	var name string
	var arg any
	for k, a := range m {
		name, arg = k, a
	}
	switch name {
	case "const":
		return constNode{arg}, nil
	case "seq":
		p, err := newParams(name, arg, "start", "step")
		if err != nil {
			return nil, err
		}
		start, err := p.num("start", 1)
		if err != nil {
			return nil, err
		}
		step, err := p.num("step", 1)
		if err != nil {
			return nil, err
		}
		return &seqNode{start: start, step: step}, nil
	case "uuid":
		if _, err := newParams(name, arg); err != nil {
			return nil, err
		}
		return uuidNode{}, nil
	case "int":
		p, err := newParams(name, arg, "min", "max")
		if err != nil {
			return nil, err
		}
		lo, err := p.int("min", 0)
		if err != nil {
			return nil, err
		}
		hi, err := p.int("max", 100)
		if err != nil {
			return nil, err
		}
		if hi < lo {
			return nil, bad("int: max %d is below min %d", hi, lo)
		}
		return intNode{lo, hi}, nil
	case "float":
		p, err := newParams(name, arg, "min", "max", "decimals")
		if err != nil {
			return nil, err
		}
		lo, err := p.num("min", 0)
		if err != nil {
			return nil, err
		}
		hi, err := p.num("max", 1)
		if err != nil {
			return nil, err
		}
		dec, err := p.int("decimals", 2)
		if err != nil {
			return nil, err
		}
		if hi < lo || dec < 0 || dec > 10 {
			return nil, bad("float: need min <= max and 0 <= decimals <= 10")
		}
		return floatNode{lo, hi, math.Pow(10, float64(dec))}, nil
	case "bool":
		p, err := newParams(name, arg, "p")
		if err != nil {
			return nil, err
		}
		pr, err := p.prob("p", 0.5)
		if err != nil {
			return nil, err
		}
		return boolNode{pr}, nil
	case "oneOf":
		l, ok := arg.([]any)
		if !ok || len(l) == 0 {
			return nil, bad("oneOf: needs a non-empty list of values")
		}
		return &weightedNode{values: l, cum: evenWeights(len(l))}, nil
	case "weighted":
		wm, ok := arg.(map[string]any)
		if !ok || len(wm) == 0 {
			return nil, bad("weighted: needs a non-empty map of value: weight")
		}
		keys := make([]string, 0, len(wm))
		for k := range wm {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w := &weightedNode{}
		total := 0.0
		for _, k := range keys {
			f, ok := wm[k].(float64)
			if !ok || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, bad("weighted: weight of %q must be a non-negative number", k)
			}
			total += f
			w.values = append(w.values, k)
			w.cum = append(w.cum, total)
		}
		if total <= 0 {
			return nil, bad("weighted: weights add up to zero")
		}
		return w, nil
	case "someOf":
		p, err := newParams(name, arg, "values", "min", "max")
		if err != nil {
			return nil, err
		}
		vals, err := p.list("values")
		if err != nil {
			return nil, err
		}
		if len(vals) == 0 {
			return nil, bad("someOf: values must be a non-empty list")
		}
		lo, err := p.int("min", 1)
		if err != nil {
			return nil, err
		}
		hi, err := p.int("max", len(vals))
		if err != nil {
			return nil, err
		}
		if lo < 0 || hi < lo || hi > len(vals) {
			return nil, bad("someOf: need 0 <= min <= max <= %d (the number of values)", len(vals))
		}
		return someOfNode{vals, lo, hi}, nil
	case "nullable":
		p, err := newParams(name, arg, "p", "value")
		if err != nil {
			return nil, err
		}
		pr, err := p.prob("p", 0.5)
		if err != nil {
			return nil, err
		}
		if !p.has("value") {
			return nil, bad("nullable: value is required")
		}
		inner, err := cp.compile(p.m["value"])
		if err != nil {
			return nil, err
		}
		return nullableNode{pr, inner}, nil
	case "time":
		p, err := newParams(name, arg, "from", "to", "format")
		if err != nil {
			return nil, err
		}
		from, err := p.time("from", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, err
		}
		to, err := p.time("to", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, err
		}
		if to.Before(from) {
			return nil, bad("time: to is before from")
		}
		format, err := p.str("format", time.RFC3339)
		if err != nil {
			return nil, err
		}
		return timeNode{from.Unix(), to.Unix(), format}, nil
	case "timeAfter":
		p, err := newParams(name, arg, "field", "min", "max", "to", "format")
		if err != nil {
			return nil, err
		}
		field, err := p.str("field", "")
		if err != nil {
			return nil, err
		}
		if field == "" {
			return nil, bad("timeAfter: field is required")
		}
		lo, err := p.dur("min", 0)
		if err != nil {
			return nil, err
		}
		hi, err := p.dur("max", 365*24*time.Hour)
		if err != nil {
			return nil, err
		}
		if hi < lo {
			return nil, bad("timeAfter: max is below min")
		}
		to, err := p.time("to", time.Time{})
		if err != nil {
			return nil, err
		}
		format, err := p.str("format", time.RFC3339)
		if err != nil {
			return nil, err
		}
		n := timeAfterNode{field: field, min: int64(lo / time.Second), max: int64(hi / time.Second), format: format}
		if !to.IsZero() {
			n.to = to.Unix()
		}
		return n, nil
	case "ref":
		s, ok := arg.(string)
		if !ok || s == "" {
			return nil, bad("ref: needs a field path")
		}
		return refNode{s}, nil
	case "person":
		from, part := "_person", ""
		switch x := arg.(type) {
		case string:
			part = x
		default:
			p, err := newParams(name, arg, "from", "part")
			if err != nil {
				return nil, err
			}
			if from, err = p.str("from", from); err != nil {
				return nil, err
			}
			if part, err = p.str("part", ""); err != nil {
				return nil, err
			}
		}
		if !personParts[part] {
			return nil, bad("person: unknown part %q (known: first, last, patronymic, gender, full, firstLatin, lastLatin, patronymicLatin)", part)
		}
		return refNode{from + "." + part}, nil
	case "template":
		s, ok := arg.(string)
		if !ok {
			return nil, bad("template: needs a string")
		}
		return parseTemplate(s)
	case "join":
		p, err := newParams(name, arg, "sep", "parts")
		if err != nil {
			return nil, err
		}
		sep, err := p.str("sep", "")
		if err != nil {
			return nil, err
		}
		parts, err := p.list("parts")
		if err != nil {
			return nil, err
		}
		if len(parts) == 0 {
			return nil, bad("join: parts must be a non-empty list")
		}
		j := joinNode{sep: sep}
		for i, e := range parts {
			n, err := cp.compile(e)
			if err != nil {
				return nil, bad("join: parts[%d]: %v", i, err)
			}
			j.parts = append(j.parts, n)
		}
		return j, nil
	case "country":
		p, err := newParams(name, arg, "among")
		if err != nil {
			return nil, err
		}
		among, err := p.strings("among")
		if err != nil {
			return nil, err
		}
		if p.has("among") && len(among) == 0 {
			return nil, bad("country: among must not be empty")
		}
		for _, c := range among {
			if !IsCountry(c) {
				return nil, bad("country: %q is not an ISO 3166-1 alpha-2 code", c)
			}
		}
		if among == nil {
			among = isoCountries
		}
		vals := make([]any, len(among))
		for i, c := range among {
			vals[i] = c
		}
		return &weightedNode{values: vals, cum: evenWeights(len(vals))}, nil
	case "fake":
		return compileFake(arg)
	case "regex":
		return compileRegex(arg)
	case "company":
		if _, err := newParams(name, arg); err != nil {
			return nil, err
		}
		return companyNode{}, nil
	case "pick":
		p, err := newParams(name, arg, "values", "weights", "collection", "field", "generated")
		if err != nil {
			return nil, err
		}
		vals, err := p.list("values")
		if err != nil {
			return nil, err
		}
		col, err := p.str("collection", "")
		if err != nil {
			return nil, err
		}
		field, err := p.str("field", "")
		if err != nil {
			return nil, err
		}
		generated, err := p.boolean("generated")
		if err != nil {
			return nil, err
		}
		if (len(vals) == 0) == (col == "") {
			return nil, bad("pick: give either a non-empty values list or a collection")
		}
		ws, err := p.list("weights")
		if err != nil {
			return nil, err
		}
		if col != "" {
			if ws != nil {
				return nil, bad("pick: weights go with values, not with a collection")
			}
			cp.needs = append(cp.needs, col)
			return pickColNode{col, field, generated}, nil
		}
		w := &weightedNode{values: vals}
		if ws == nil {
			w.cum = evenWeights(len(vals))
		} else {
			if len(ws) != len(vals) {
				return nil, bad("pick: %d weights for %d values", len(ws), len(vals))
			}
			total := 0.0
			for i, e := range ws {
				f, ok := e.(float64)
				if !ok || f < 0 {
					return nil, bad("pick: weights[%d] must be a non-negative number", i)
				}
				total += f
				w.cum = append(w.cum, total)
			}
			if total <= 0 {
				return nil, bad("pick: weights add up to zero")
			}
		}
		if field != "" {
			picked := make([]any, len(vals))
			for i, v := range vals {
				if picked[i] = store.Lookup(asMap(v), field); picked[i] == nil {
					return nil, bad("pick: values[%d] has no field %q", i, field)
				}
			}
			w.values = picked
		}
		return w, nil
	case "object":
		om, ok := arg.(map[string]any)
		if !ok {
			return nil, bad("object: needs a map of field: expression")
		}
		keys := make([]string, 0, len(om))
		for k := range om {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := &objectNode{path: cp.path, keys: keys}
		parent := cp.path
		for _, k := range keys {
			cp.path = joinPath(parent, k)
			n, err := cp.compile(om[k])
			cp.path = parent
			if err != nil {
				return nil, bad("object: %s: %v", k, err)
			}
			o.vals = append(o.vals, n)
		}
		return o, nil
	case "list":
		p, err := newParams(name, arg, "min", "max", "item")
		if err != nil {
			return nil, err
		}
		lo, err := p.int("min", 1)
		if err != nil {
			return nil, err
		}
		hi, err := p.int("max", 3)
		if err != nil {
			return nil, err
		}
		if lo < 0 || hi < lo || hi > 1000 {
			return nil, bad("list: need 0 <= min <= max <= 1000")
		}
		if !p.has("item") {
			return nil, bad("list: item is required")
		}
		item, err := cp.compile(p.m["item"])
		if err != nil {
			return nil, bad("list: item: %v", err)
		}
		return listNode{lo, hi, item}, nil
	case "ruPerson":
		p, err := newParams(name, arg, "gender")
		if err != nil {
			return nil, err
		}
		g, err := p.str("gender", "any")
		if err != nil {
			return nil, err
		}
		if g != "any" && g != "male" && g != "female" {
			return nil, bad("ruPerson: gender must be male, female or any, got %q", g)
		}
		return ruPersonNode{g}, nil
	case "email":
		p, err := newParams(name, arg, "from", "domain")
		if err != nil {
			return nil, err
		}
		from, err := p.str("from", "_person")
		if err != nil {
			return nil, err
		}
		domains, err := p.strings("domain")
		if err != nil {
			return nil, err
		}
		if domains == nil {
			domains = []string{"example.com"}
		}
		for _, d := range domains {
			if d == "" || strings.ContainsAny(d, "@ ") {
				return nil, bad("email: %q is not a domain", d)
			}
		}
		return emailNode{from, domains}, nil
	case "switch":
		p, err := newParams(name, arg, "field", "cases", "default")
		if err != nil {
			return nil, err
		}
		fld, err := p.str("field", "")
		if err != nil {
			return nil, err
		}
		cm, ok := p.m["cases"].(map[string]any)
		if fld == "" || !ok {
			return nil, bad("switch: needs field and a map of cases")
		}
		sw := switchNode{field: fld, cases: map[string]node{}, def: constNode{nil}}
		for k, e := range cm {
			n, err := cp.compile(e)
			if err != nil {
				return nil, bad("switch: case %q: %v", k, err)
			}
			sw.cases[k] = n
		}
		if p.has("default") {
			if sw.def, err = cp.compile(p.m["default"]); err != nil {
				return nil, bad("switch: default: %v", err)
			}
		}
		return sw, nil
	case "ruPhone":
		if _, err := newParams(name, arg); err != nil {
			return nil, err
		}
		return ruPhoneNode{}, nil
	}
	return nil, bad("unknown generator %q (known: %s)", name, strings.Join(generators, ", "))
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func evenWeights(n int) []float64 {
	cum := make([]float64, n)
	for i := range cum {
		cum[i] = float64(i + 1)
	}
	return cum
}

var personParts = map[string]bool{
	"first": true, "last": true, "patronymic": true, "gender": true, "full": true,
	"firstLatin": true, "lastLatin": true, "patronymicLatin": true,
}

// --- nodes ---

type constNode struct{ v any }

func (n constNode) eval(*ctx) (any, error) { return n.v, nil }

type seqNode struct {
	start, step float64
	k           float64
}

func (n *seqNode) eval(*ctx) (any, error) {
	v := n.start + n.step*n.k
	n.k++
	return v, nil
}

type uuidNode struct{}

func (uuidNode) eval(c *ctx) (any, error) { return uuidV4(c.f), nil }

const hexDigits = "0123456789abcdef"

func uuidV4(f *gofakeit.Faker) string {
	var u [16]byte
	a, b := f.Uint64(), f.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	j := 0
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[x>>4], hexDigits[x&15]
		j += 2
	}
	return string(out[:])
}

type intNode struct{ lo, hi int }

func (n intNode) eval(c *ctx) (any, error) {
	return float64(n.lo + c.f.IntN(n.hi-n.lo+1)), nil
}

type floatNode struct{ lo, hi, scale float64 }

func (n floatNode) eval(c *ctx) (any, error) {
	v := n.lo + c.f.Float64()*(n.hi-n.lo)
	v = math.Round(v*n.scale) / n.scale
	return math.Min(math.Max(v, n.lo), n.hi), nil
}

type boolNode struct{ p float64 }

func (n boolNode) eval(c *ctx) (any, error) { return c.f.Float64() < n.p, nil }

type weightedNode struct {
	values []any
	cum    []float64
}

func (n *weightedNode) eval(c *ctx) (any, error) {
	x := c.f.Float64() * n.cum[len(n.cum)-1]
	i := sort.SearchFloat64s(n.cum, x)
	for i < len(n.cum)-1 && n.cum[i] <= x {
		i++
	}
	return n.values[i], nil
}

type someOfNode struct {
	values []any
	lo, hi int
}

func (n someOfNode) eval(c *ctx) (any, error) {
	k := n.lo + c.f.IntN(n.hi-n.lo+1)
	// choose k of len(values) keeping their order (selection sampling).
	out := make([]any, 0, k)
	left := len(n.values)
	for _, v := range n.values {
		if k == 0 {
			break
		}
		if c.f.IntN(left) < k {
			out = append(out, v)
			k--
		}
		left--
	}
	return out, nil
}

type nullableNode struct {
	p     float64
	inner node
}

func (n nullableNode) eval(c *ctx) (any, error) {
	if c.f.Float64() < n.p {
		return nil, nil
	}
	return n.inner.eval(c)
}

type timeNode struct {
	from, to int64
	format   string
}

func (n timeNode) eval(c *ctx) (any, error) {
	s := n.from + int64N(c.f, n.to-n.from+1)
	return time.Unix(s, 0).UTC().Format(n.format), nil
}

type timeAfterNode struct {
	field    string
	min, max int64
	to       int64
	format   string
}

func (n timeAfterNode) eval(c *ctx) (any, error) {
	v := c.lookup(n.field)
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, bad("timeAfter: field %q is %s, not a time string", n.field, typeName(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, bad("timeAfter: field %q: %q is not an RFC 3339 time", n.field, s)
	}
	base := t.Unix()
	if t.Nanosecond() > 0 {
		base++ // whole seconds, never before the field
	}
	lo, hi := base+n.min, base+n.max
	if n.to != 0 && hi > n.to {
		hi = max(n.to, lo)
	}
	return time.Unix(lo+int64N(c.f, hi-lo+1), 0).UTC().Format(n.format), nil
}

type refNode struct{ path string }

func (n refNode) eval(c *ctx) (any, error) { return c.lookup(n.path), nil }

type joinNode struct {
	sep   string
	parts []node
}

func (n joinNode) eval(c *ctx) (any, error) {
	var b strings.Builder
	for i, p := range n.parts {
		v, err := p.eval(c)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(n.sep)
		}
		b.WriteString(text(v))
	}
	return b.String(), nil
}

// text renders a scalar for templates and joins.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

type companyNode struct{}

func (companyNode) eval(c *ctx) (any, error) { return c.f.Company(), nil }

type pickColNode struct {
	col, field string
	generated  bool
}

func (n pickColNode) eval(c *ctx) (any, error) {
	key := n.col
	if n.generated {
		key += "\x00generated"
	}
	recs, ok := c.others[key]
	if !ok {
		if c.env == nil || c.env.Records == nil {
			return nil, bad("pick: collection %q is not available", n.col)
		}
		var err error
		recs, err = c.env.Records(n.col, n.generated)
		if err != nil {
			return nil, bad("pick: collection %q: %v", n.col, err)
		}
		c.others[key] = recs
	}
	if len(recs) == 0 {
		return nil, bad("pick: collection %q is empty", n.col)
	}
	r := recs[c.f.IntN(len(recs))]
	if n.field == "" {
		return r.Record(), nil
	}
	return r.Lookup(n.field), nil
}

type objectNode struct {
	path string
	keys []string
	vals []node
}

func (n *objectNode) eval(c *ctx) (any, error) {
	m := make(map[string]any, len(n.keys))
	// make the partial object visible to refs of its own children.
	if n.path != "" {
		target := c.rec
		if strings.HasPrefix(n.path, "_") {
			target = c.hidden
		}
		setPath(target, n.path, m)
	}
	for i, k := range n.keys {
		v, err := n.vals[i].eval(c)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

type listNode struct {
	lo, hi int
	item   node
}

func (n listNode) eval(c *ctx) (any, error) {
	k := n.lo + c.f.IntN(n.hi-n.lo+1)
	out := make([]any, k)
	for i := range out {
		v, err := n.item.eval(c)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type ruPersonNode struct{ gender string }

func (n ruPersonNode) eval(c *ctx) (any, error) {
	female := n.gender == "female" || (n.gender == "any" && c.f.IntN(2) == 0)
	t := ruData
	last := c.f.IntN(len(t.lastM))
	father := c.f.IntN(len(t.male))
	var first, lastN, pat ruName
	gender := "male"
	if female {
		gender = "female"
		first, lastN, pat = t.female[c.f.IntN(len(t.female))], t.lastF[last], t.patF[father]
	} else {
		first, lastN, pat = t.male[c.f.IntN(len(t.male))], t.lastM[last], t.patM[father]
	}
	return map[string]any{
		"first": first.cyrV, "last": lastN.cyrV, "patronymic": pat.cyrV, "gender": gender,
		"full":       lastN.cyr + " " + first.cyr + " " + pat.cyr,
		"firstLatin": first.latV, "lastLatin": lastN.latV, "patronymicLatin": pat.latV,
	}, nil
}

type emailNode struct {
	from    string
	domains []string
}

func (n emailNode) eval(c *ctx) (any, error) {
	v := c.lookup(n.from)
	var local string
	switch x := v.(type) {
	case map[string]any:
		fl, _ := x["firstLatin"].(string)
		ll, _ := x["lastLatin"].(string)
		if fl == "" || ll == "" {
			return nil, bad("email: %q is not a person (use ruPerson)", n.from)
		}
		local = strings.ToLower(fl + "." + ll)
	case string:
		local = slug(x, '.')
	default:
		return nil, bad("email: %q is %s, not a person or a string", n.from, typeName(v))
	}
	if local == "" {
		local = "user"
	}
	domain := n.domains[c.f.IntN(len(n.domains))]
	base := local + "@" + domain
	addr := base
	// Numbered forms local2@, local3@… are tried from where the last
	// search for this base stopped: every number below it is taken (nothing
	// is freed while generating), so this finds the smallest free number, as
	// a search from 2 would, without going over the taken ones again (which
	// is quadratic when a million records share a few thousand names).
	next := 0
	for {
		_, dup := c.emails[addr]
		if !dup && (c.taken == nil || !c.taken(addr)) {
			break
		}
		if next == 0 {
			next = max(c.emailNext[base], 2)
		} else {
			next++
		}
		addr = local + strconv.Itoa(next) + "@" + domain
	}
	if next != 0 {
		c.emailNext[base] = next + 1
	}
	c.emails[addr] = struct{}{}
	return addr, nil
}

type ruPhoneNode struct{}

func (ruPhoneNode) eval(c *ctx) (any, error) {
	var b [11]byte
	b[0], b[1] = '7', '9'
	x := c.f.Uint64()
	for i := 2; i < 11; i++ {
		b[i] = byte('0' + x%10)
		x /= 10
	}
	return string(b[:]), nil
}

// slug lower-cases s and joins its runs of letters and digits with sep.
// Cyrillic is transliterated first.
func slug(s string, sep byte) string {
	s = strings.ToLower(Translit(s))
	var b strings.Builder
	pending := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' {
			if pending && b.Len() > 0 {
				b.WriteByte(sep)
			}
			pending = false
			b.WriteByte(ch)
		} else {
			pending = true
		}
	}
	return b.String()
}

// setPath stores v at a dotted path, creating objects on the way.
func setPath(m map[string]any, path string, v any) {
	for {
		head, rest, more := strings.Cut(path, ".")
		if !more {
			m[head] = v
			return
		}
		next, ok := m[head].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[head] = next
		}
		m, path = next, rest
	}
}

// int64N returns a number in [0, n) (n > 0).
func int64N(f *gofakeit.Faker, n int64) int64 { return int64(f.Uint64() % uint64(n)) }

type switchNode struct {
	field string
	cases map[string]node
	def   node
}

func (n switchNode) eval(c *ctx) (any, error) {
	if k, ok := store.KeyOf(c.lookup(n.field)); ok {
		if e, ok := n.cases[k]; ok {
			return e.eval(c)
		}
	}
	return n.def.eval(c)
}
