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
	others map[string]picks
	emails map[string]struct{}
	// emailNext is, per e-mail address without a number, the first number
	// not yet known to be taken.
	emailNext map[string]int
	// byIndex: the record is made from its number alone (Chunks), so a
	// seq gives the value of record n without counting.
	byIndex bool
	// shared, when set, fetches other collections once for every Maker.
	shared *Chunks
}

// lookup reads an earlier field; paths starting with "_" read hidden ones.
func (c *ctx) lookup(path string) any {
	if strings.HasPrefix(path, "_") {
		if v := store.Lookup(c.hidden, path); v != nil {
			return v
		}
	}
	return store.Lookup(c.rec, path) // a unique "_" field is stored
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

func (n *seqNode) eval(c *ctx) (any, error) {
	if c.byIndex {
		// once per record (Chunkable): the value of the nth record
		return n.start + n.step*float64(c.n-1), nil
	}
	v := n.start + n.step*n.k
	n.k++
	return v, nil
}

type uuidNode struct{}

func (uuidNode) eval(c *ctx) (any, error) { return c.f.UUID(), nil }

// hexDigits are the lower-case hexadecimal digits.
const hexDigits = "0123456789abcdef"

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
		return nil, bad("timeAfter: field %q is %s, not a time string", n.field, TypeName(v))
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
	src, ok := c.others[key]
	if !ok {
		var err error
		if c.shared != nil {
			src, err = c.shared.picks(key, n.col, n.generated)
		} else {
			src, err = c.env.picks(n.col, n.generated)
		}
		if err != nil {
			return nil, err
		}
		c.others[key] = src
	}
	if src.n == 0 {
		return nil, bad("pick: collection %q is empty", n.col)
	}
	r := src.at(c.f.IntN(src.n))
	if n.field == "" {
		return r.Record(), nil
	}
	return r.Lookup(n.field), nil
}

// picks are the records a pick draws from: n of them, the ith by at.
type picks struct {
	n  int
	at func(i int) store.Item
}

// picks fetches the records of another collection for pick.
func (env *Env) picks(col string, generated bool) (picks, error) {
	switch {
	case env != nil && env.Picks != nil:
		n, at, err := env.Picks(col, generated)
		if err != nil {
			return picks{}, bad("pick: collection %q: %v", col, err)
		}
		return picks{n, at}, nil
	case env != nil && env.Records != nil:
		recs, err := env.Records(col, generated)
		if err != nil {
			return picks{}, bad("pick: collection %q: %v", col, err)
		}
		return picks{len(recs), func(i int) store.Item { return recs[i] }}, nil
	}
	return picks{}, bad("pick: collection %q is not available", col)
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
		return nil, bad("email: %q is %s, not a person or a string", n.from, TypeName(v))
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
	if !isASCII(s) {
		s = strings.ToLower(Translit(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A' // what strings.ToLower does to ASCII
		}
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
