// Package route matches request paths against OpenAPI path templates, on
// gorilla/mux.
//
// Every template becomes one mux route (templates that match the same paths,
// such as /a/{x} and /a/{y}, share one), with a Methods matcher and a Path
// regexp. gorilla/mux tries routes in registration order, and the first that
// matches the path and the method wins; registered in the order of the
// templates as written, /companies/{companyUuid} would swallow
// /companies/externalID:{externalId}. The router therefore registers the
// routes sorted by specificity, comparing templates segment by segment, left
// to right:
//
//  1. a literal segment ("companies");
//  2. a segment with literal text around parameters ("externalID:{externalId}",
//     "{name}.json"); among those, more literal characters first, then the
//     template text;
//  3. a bare parameter ("{companyUuid}").
//
// So /a/b/{x} comes before /a/{y}/c and wins for GET /a/b/c when both
// declare GET. A parameter never matches an empty segment, so a trailing
// slash or a doubled slash matches no template unless the template itself
// has one. The routes are compiled on the first Match after an Add.
//
// Matching runs on the request's escaped path (r.URL.EscapedPath()), brought
// to one canonical form before mux sees it: an escape of a printable ASCII
// character other than "/", "%", "{" and "}" is decoded, every other byte is
// escaped (upper-case hex). Literal text of templates gets the same form, so
// "%3A" matches ":" and a parameter value may contain "/" when the client
// sent "%2F"; parameter values are percent-decoded. A path with an invalid
// escape matches nothing.
//
// Within a segment with two or more parameters ("{name}.{ext}"), each
// parameter but the last ends at the first occurrence of the literal text
// after it, and every parameter is non-empty: "report.tar.gz" gives
// name "report" and ext "tar.gz", ".json" matches neither.
//
// HEAD is answered by the GET operation when a template declares GET and no
// HEAD. A path that matches some template but no template with the method
// gives a *MethodNotAllowedError listing the methods of every matching
// template, plus HEAD (when GET is there) and OPTIONS.
package route

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gorilla/mux"
)

// MaxParams is the largest number of parameters one template may have.
const MaxParams = 16

// MaxSegments is the largest number of segments one template may have.
const MaxSegments = 64

// ErrNotFound means no template matches the path.
var ErrNotFound = errors.New("no operation matches the path")

// MethodNotAllowedError means templates match the path but none declares the
// method. Allow lists the methods they declare (sorted, with HEAD when GET is
// declared, and OPTIONS).
type MethodNotAllowedError struct {
	Method string
	Allow  []string
}

func (e *MethodNotAllowedError) Error() string {
	return fmt.Sprintf("method %s not allowed (allowed: %s)", e.Method, strings.Join(e.Allow, ", "))
}

// Result is a successful match: the handle given to Add, and the parameter
// values (percent-decoded) in the order they appear in the template.
type Result struct {
	Handle int
	N      int
	Values [MaxParams]string
}

// Router is a compiled set of templates. Build it with Add, then call Match
// from any number of goroutines (Add must not run concurrently with Match).
type Router struct {
	leaves []*leaf
	byKey  map[string]*leaf
	names  map[int][]string
	tmpls  map[int]string

	// compiled is the mux router of the current leaves; Add clears it and
	// the next Match builds it (under mu).
	compiled atomic.Pointer[table]
	mu       sync.Mutex
	// scratch recycles the request and match value mux needs per Match.
	scratch sync.Pool
}

// leaf is one mux route: the templates that match the same paths.
type leaf struct {
	key     string
	segs    []segment
	seq     int
	entries []entry
	allow   []string
	nparams int
	// vars are the mux variable names of the parameters, in order.
	vars  []string
	route *mux.Route
}

type entry struct {
	method string
	handle int
}

type segKind int

const (
	segLiteral segKind = iota
	segMixed
	segParam
)

// segment is one "/"-separated part of a template.
type segment struct {
	kind segKind
	// lit is the canonical literal text (segLiteral).
	lit string
	// pat is the segment's literal text around parameters (segMixed).
	pat pattern
	// key is the canonical text with "{}" for parameters.
	key string
}

// pattern is a segment with literal text around parameters:
// lits[0] {p} lits[1] {p} ... lits[n]; len(lits) == params+1. The literals
// are in canonical form.
type pattern struct {
	lits    []string
	litsLen int
}

type table struct {
	leaves  []*leaf
	byFirst map[bucket]*mux.Router
	byCount map[int]*mux.Router
	byMux   map[*mux.Route]*leaf
}

// bucket selects the templates a path is tried against.
type bucket struct {
	n     int
	first string
}

type scratch struct {
	req http.Request
	u   url.URL
	rm  mux.RouteMatch
}

// New returns an empty router.
func New() *Router {
	return &Router{byKey: map[string]*leaf{}, names: map[int][]string{}, tmpls: map[int]string{}}
}

// ParamNames returns the parameter names of the template added with handle,
// in template order.
func (r *Router) ParamNames(handle int) []string { return r.names[handle] }

// Template returns the template added with handle.
func (r *Router) Template(handle int) string { return r.tmpls[handle] }

// Add compiles template (it must start with "/") for method, an upper-case
// token. The handle is returned by Match; one handle always belongs to one
// template. Adding the same method twice to templates that match the same
// paths is an error.
func (r *Router) Add(template, method string, handle int) error {
	if !strings.HasPrefix(template, "/") {
		return fmt.Errorf("route: template %q must start with /", template)
	}
	if method == "" || strings.ToUpper(method) != method || strings.ContainsAny(method, " \t/") {
		return fmt.Errorf("route: template %q: method %q must be a non-empty upper-case token", template, method)
	}
	if t, ok := r.tmpls[handle]; ok && t != template {
		return fmt.Errorf("route: handle %d used for %q and %q", handle, t, template)
	}
	raw := strings.Split(template[1:], "/")
	if len(raw) > MaxSegments {
		return fmt.Errorf("route: template %q has more than %d segments", template, MaxSegments)
	}
	var names []string
	segs := make([]segment, len(raw))
	keys := make([]string, len(raw))
	for i, s := range raw {
		if !strings.ContainsAny(s, "{}") {
			lit := canonLiteral(s)
			segs[i] = segment{kind: segLiteral, lit: lit, key: lit}
			keys[i] = lit
			continue
		}
		pat, pnames, err := parseSegment(s)
		if err != nil {
			return fmt.Errorf("route: template %q: %w", template, err)
		}
		names = append(names, pnames...)
		key := strings.Join(pat.lits, "{}")
		if len(pat.lits) == 2 && pat.lits[0] == "" && pat.lits[1] == "" {
			segs[i] = segment{kind: segParam, key: key}
		} else {
			segs[i] = segment{kind: segMixed, pat: pat, key: key}
		}
		keys[i] = key
	}
	if len(names) > MaxParams {
		return fmt.Errorf("route: template %q has more than %d parameters", template, MaxParams)
	}
	seen := map[string]bool{}
	for _, nm := range names {
		if seen[nm] {
			return fmt.Errorf("route: template %q repeats parameter %q", template, nm)
		}
		seen[nm] = true
	}
	key := "/" + strings.Join(keys, "/")
	lf := r.byKey[key]
	if lf == nil {
		lf = &leaf{key: key, segs: segs, seq: len(r.leaves), nparams: len(names)}
		for i := range names {
			lf.vars = append(lf.vars, varName(i))
		}
		r.byKey[key] = lf
		r.leaves = append(r.leaves, lf)
	}
	for _, e := range lf.entries {
		if e.method == method {
			return fmt.Errorf("route: %s %s: another template (%s) matches the same paths", method, template, r.tmpls[e.handle])
		}
	}
	lf.entries = append(lf.entries, entry{method: method, handle: handle})
	lf.allow = allowList(lf.entries)
	r.names[handle] = names
	r.tmpls[handle] = template
	r.compiled.Store(nil)
	return nil
}

func allowList(leaf []entry) []string {
	set := map[string]bool{"OPTIONS": true}
	for _, e := range leaf {
		set[e.method] = true
		if e.method == "GET" {
			set["HEAD"] = true
		}
	}
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// parseSegment splits "a{x}b{y}c" into literals and parameter names.
func parseSegment(s string) (pattern, []string, error) {
	var p pattern
	var names []string
	rest := s
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			if strings.Contains(rest, "}") {
				return p, nil, fmt.Errorf("segment %q: unbalanced braces", s)
			}
			p.lits = append(p.lits, rest)
			break
		}
		lit := rest[:i]
		if strings.Contains(lit, "}") {
			return p, nil, fmt.Errorf("segment %q: unbalanced braces", s)
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return p, nil, fmt.Errorf("segment %q: unbalanced braces", s)
		}
		name := rest[i+1 : i+j]
		if name == "" || strings.ContainsAny(name, "{/") {
			return p, nil, fmt.Errorf("segment %q: bad parameter name %q", s, name)
		}
		if len(names) > 0 && lit == "" {
			return p, nil, fmt.Errorf("segment %q: parameters need literal text between them", s)
		}
		p.lits = append(p.lits, lit)
		names = append(names, name)
		rest = rest[i+j+1:]
	}
	for i, l := range p.lits {
		p.lits[i] = canonLiteral(l)
		p.litsLen += decodedLen(p.lits[i])
	}
	return p, names, nil
}

// less orders leaves by specificity, segment by segment (see the package
// doc), then shorter first, then in their order of addition. (Templates of
// different lengths never match the same path, but the order must be total
// for the sort: ordering them by addition alone is not transitive.)
func less(a, b *leaf) bool {
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		x, y := &a.segs[i], &b.segs[i]
		if x.kind != y.kind {
			return x.kind < y.kind
		}
		switch x.kind {
		case segLiteral:
			if x.lit != y.lit {
				return x.lit < y.lit
			}
		case segMixed:
			if x.pat.litsLen != y.pat.litsLen {
				return x.pat.litsLen > y.pat.litsLen
			}
			if x.key != y.key {
				return x.key < y.key
			}
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(a.segs) < len(b.segs)
	}
	return a.seq < b.seq
}

// paramRE is a bare parameter: a whole non-empty segment.
const paramRE = `[^/]+`

// tokenRE is one character of a canonical segment: a byte kept as is or one
// escape. Parameters in mixed segments are runs of tokens, so a value never
// ends inside an escape.
const tokenRE = `(?:[^/%]|%[0-9A-F][0-9A-F])`

// varName is the mux variable of the i-th parameter of a template.
func varName(i int) string { return "p" + strconv.Itoa(i) }

// muxTemplate is the leaf's mux path template, with the router's own
// parameter names and regexps.
func (lf *leaf) muxTemplate() string {
	var b strings.Builder
	n := 0
	for _, s := range lf.segs {
		b.WriteByte('/')
		switch s.kind {
		case segLiteral:
			b.WriteString(s.lit)
		case segParam:
			fmt.Fprintf(&b, "{%s:%s}", varName(n), paramRE)
			n++
		case segMixed:
			last := len(s.pat.lits) - 2
			for i, l := range s.pat.lits {
				b.WriteString(l)
				if i > last {
					break
				}
				q := "+"
				if i < last {
					q = "+?" // shortest first: the first occurrence of the next literal
				}
				fmt.Fprintf(&b, "{%s:%s%s}", varName(n), tokenRE, q)
				n++
			}
		}
	}
	return b.String()
}

// exact is the matcher of leaves with a segment of two or more parameters:
// the segment must split at the first occurrence of each inner literal
// (mux's regexp would try later ones too).
func (lf *leaf) exact(req *http.Request, _ *mux.RouteMatch) bool {
	p := req.URL.Path[1:]
	for _, s := range lf.segs {
		seg := p
		if i := strings.IndexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		}
		if s.kind == segMixed && len(s.pat.lits) > 2 && !s.pat.splits(seg) {
			return false
		}
	}
	return true
}

// splits reports whether the canonical segment seg has the pattern's shape,
// each parameter ending at the first occurrence of the literal after it.
func (p *pattern) splits(seg string) bool {
	first, last := p.lits[0], p.lits[len(p.lits)-1]
	if len(seg) < len(first)+len(last) || !strings.HasPrefix(seg, first) || !strings.HasSuffix(seg, last) {
		return false
	}
	mid := seg[len(first) : len(seg)-len(last)]
	for i := 1; i < len(p.lits)-1; i++ {
		k := indexToken(mid, p.lits[i])
		if k <= 0 {
			return false
		}
		mid = mid[k+len(p.lits[i]):]
	}
	return mid != ""
}

// indexToken is strings.Index at token boundaries of a canonical string: an
// occurrence starting inside an escape does not count.
func indexToken(s, sub string) int {
	for i := 0; i <= len(s)-len(sub); {
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
		if s[i] == '%' {
			i += 3
		} else {
			i++
		}
	}
	return -1
}

// table compiles the leaves into mux routers, once per change. A path is
// only tried against templates with as many segments, and, when the
// template's first segment is literal, the same first segment: one mux
// router per (segment count, first literal) holds those templates followed
// by the ones of that count whose first segment is a parameter. Since a
// literal first segment sorts before a parameter, each router keeps the
// specificity order of the whole set.
func (r *Router) table() (*table, error) {
	if t := r.compiled.Load(); t != nil {
		return t, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if t := r.compiled.Load(); t != nil {
		return t, nil
	}
	leaves := append([]*leaf(nil), r.leaves...)
	sort.SliceStable(leaves, func(i, j int) bool { return less(leaves[i], leaves[j]) })
	t := &table{leaves: leaves, byFirst: map[bucket]*mux.Router{}, byCount: map[int]*mux.Router{}, byMux: map[*mux.Route]*leaf{}}
	for _, lf := range leaves {
		n := len(lf.segs)
		if lf.segs[0].kind == segLiteral {
			k := bucket{n: n, first: lf.segs[0].lit}
			if t.byFirst[k] == nil {
				t.byFirst[k] = mux.NewRouter()
			}
			continue
		}
		if t.byCount[n] == nil {
			t.byCount[n] = mux.NewRouter()
		}
	}
	for _, lf := range leaves {
		n := len(lf.segs)
		var routers []*mux.Router
		if lf.segs[0].kind == segLiteral {
			routers = append(routers, t.byFirst[bucket{n: n, first: lf.segs[0].lit}])
		} else {
			routers = append(routers, t.byCount[n])
			for k, m := range t.byFirst {
				if k.n == n {
					routers = append(routers, m)
				}
			}
		}
		for _, m := range routers {
			rt, err := lf.register(m)
			if err != nil {
				return nil, err
			}
			if lf.route == nil {
				lf.route = rt
			}
			t.byMux[rt] = lf
		}
	}
	r.compiled.Store(t)
	return t, nil
}

// register adds the leaf's route to m.
func (lf *leaf) register(m *mux.Router) (*mux.Route, error) {
	methods := make([]string, 0, len(lf.entries)+1)
	get, head := false, false
	for _, e := range lf.entries {
		methods = append(methods, e.method)
		get = get || e.method == http.MethodGet
		head = head || e.method == http.MethodHead
	}
	if get && !head {
		methods = append(methods, http.MethodHead)
	}
	rt := m.NewRoute().Methods(methods...).Path(lf.muxTemplate())
	for _, s := range lf.segs {
		if s.kind == segMixed && len(s.pat.lits) > 2 {
			rt = rt.MatcherFunc(lf.exact)
			break
		}
	}
	if err := rt.GetError(); err != nil {
		return nil, fmt.Errorf("route: %s: %w", lf.key, err)
	}
	return rt, nil
}

// router is the mux router for a canonical path (nil: no template has as
// many segments).
func (t *table) router(p string) *mux.Router {
	n := strings.Count(p, "/")
	first := p[1:]
	if i := strings.IndexByte(first, '/'); i >= 0 {
		first = first[:i]
	}
	if m := t.byFirst[bucket{n: n, first: first}]; m != nil {
		return m
	}
	return t.byCount[n]
}

// Match finds the operation for method and an escaped request path.
// It returns ErrNotFound or a *MethodNotAllowedError when there is none.
func (r *Router) Match(method, escapedPath string) (Result, error) {
	var res Result
	if !strings.HasPrefix(escapedPath, "/") {
		return res, ErrNotFound
	}
	p, ok := Canonical(escapedPath)
	if !ok {
		return res, ErrNotFound
	}
	t, err := r.table()
	if err != nil {
		return res, err
	}
	sc, _ := r.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
		sc.req.URL = &sc.u
		sc.rm.Vars = make(map[string]string, 4)
	}
	defer r.scratch.Put(sc)
	sc.req.Method = method
	sc.u.Path = p
	vars := sc.rm.Vars
	clear(vars)
	sc.rm = mux.RouteMatch{Vars: vars}
	if m := t.router(p); m != nil && m.Match(&sc.req, &sc.rm) {
		lf := t.byMux[sc.rm.Route]
		res.Handle = lf.handle(method)
		res.N = lf.nparams
		for i, name := range lf.vars {
			v := vars[name]
			if strings.IndexByte(v, '%') >= 0 {
				u, err := url.PathUnescape(v)
				if err != nil {
					return Result{}, ErrNotFound // unreachable: canonical values unescape
				}
				v = u
			}
			res.Values[i] = v
		}
		return res, nil
	}
	// No route takes the method: the Allow list is the union over the
	// routes whose other matchers accept the request.
	var allow []string
	for _, lf := range t.leaves {
		var rm mux.RouteMatch
		if lf.route.Match(&sc.req, &rm) || rm.MatchErr == mux.ErrMethodMismatch {
			allow = union(allow, lf.allow)
		}
	}
	if allow == nil {
		return Result{}, ErrNotFound
	}
	return Result{}, &MethodNotAllowedError{Method: method, Allow: allow}
}

// handle is the leaf's operation for method (GET's for HEAD when the leaf
// declares no HEAD).
func (lf *leaf) handle(method string) int {
	get := -1
	for _, e := range lf.entries {
		if e.method == method {
			return e.handle
		}
		if e.method == http.MethodGet {
			get = e.handle
		}
	}
	return get
}

func union(a, b []string) []string {
	for _, m := range b {
		found := false
		for _, x := range a {
			if x == m {
				found = true
				break
			}
		}
		if !found {
			a = append(a, m)
		}
	}
	sort.Strings(a)
	return a
}

// keep reports whether byte c stays as is in the canonical form.
func keep(c byte) bool {
	return c > 0x20 && c < 0x7f && c != '/' && c != '%' && c != '{' && c != '}'
}

const upperHex = "0123456789ABCDEF"

// Canonical brings an escaped path to the form the router matches: an
// escape of a byte that keep accepts is decoded, every other byte (except
// the "/" separators) is escaped with upper-case hex. It reports false for an
// invalid escape. Two escaped paths that decode segment by segment to the
// same bytes have the same canonical form.
func Canonical(escaped string) (string, bool) {
	i := 0
	for ; i < len(escaped); i++ {
		if c := escaped[i]; c != '/' && !keep(c) {
			break
		}
	}
	if i == len(escaped) {
		return escaped, true
	}
	var b strings.Builder
	b.Grow(len(escaped) + 8)
	b.WriteString(escaped[:i])
	for ; i < len(escaped); i++ {
		c := escaped[i]
		if c == '%' {
			if i+2 >= len(escaped) || !ishex(escaped[i+1]) || !ishex(escaped[i+2]) {
				return "", false
			}
			c = unhex(escaped[i+1])<<4 | unhex(escaped[i+2])
			i += 2
		} else if c == '/' {
			b.WriteByte('/')
			continue
		}
		if keep(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String(), true
}

// canonLiteral is the canonical form of a template's literal text; text with
// an invalid escape is escaped as it stands (it then matches no request, as
// no request path with an invalid escape matches).
func canonLiteral(s string) string {
	if c, ok := Canonical(s); ok {
		return c
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; keep(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// decodedLen is the length of a canonical text once decoded.
func decodedLen(s string) int {
	return len(s) - 2*strings.Count(s, "%")
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
