package route

// The trie router this package replaced, kept as the reference the mux
// router is checked against (TestMatchesReference, FuzzMatchReference): for
// every method and path both give the same handle, values and Allow list.

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// refRouter is a compiled set of templates. Build it with Add, then call Match
// from any number of goroutines (Add must not run concurrently with Match).
type refRouter struct {
	root    refNode
	maxSegs int
	names   map[int][]string
	tmpls   map[int]string
}

type refNode struct {
	literal map[string]*refNode
	mixed   []*refMixed
	param   *refNode
	// leaf holds the operations of the templates ending here.
	leaf []refEntry
	// allow is the Allow list of this leaf.
	allow []string
}

type refEntry struct {
	method string
	handle int
}

type refMixed struct {
	pat  refPattern
	key  string
	next *refNode
}

// refPattern is a segment with literal text around parameters:
// lits[0] {p} lits[1] {p} ... lits[n]; len(lits) == params+1.
type refPattern struct {
	lits    []string
	litsLen int
}

// newRef returns an empty reference router.
func newRef() *refRouter {
	return &refRouter{names: map[int][]string{}, tmpls: map[int]string{}}
}

// ParamNames returns the parameter names of the template added with handle,
// in template order.
func (r *refRouter) ParamNames(handle int) []string { return r.names[handle] }

// Template returns the template added with handle.
func (r *refRouter) Template(handle int) string { return r.tmpls[handle] }

// Add compiles template (it must start with "/") for method. The handle is
// returned by Match; one handle always belongs to one template. Adding the
// same method twice to templates that match the same paths is an error.
func (r *refRouter) Add(template, method string, handle int) error {
	if !strings.HasPrefix(template, "/") {
		return fmt.Errorf("route: template %q must start with /", template)
	}
	if method == "" {
		return fmt.Errorf("route: template %q: empty method", template)
	}
	if t, ok := r.tmpls[handle]; ok && t != template {
		return fmt.Errorf("route: handle %d used for %q and %q", handle, t, template)
	}
	segs := strings.Split(template[1:], "/")
	if len(segs) > MaxSegments {
		return fmt.Errorf("route: template %q has more than %d segments", template, MaxSegments)
	}
	var names []string
	n := &r.root
	for _, s := range segs {
		if !strings.ContainsAny(s, "{}") {
			lit := s
			if strings.Contains(s, "%") {
				if u, err := url.PathUnescape(s); err == nil {
					lit = u
				}
			}
			if n.literal == nil {
				n.literal = map[string]*refNode{}
			}
			next, ok := n.literal[lit]
			if !ok {
				next = &refNode{}
				n.literal[lit] = next
			}
			n = next
			continue
		}
		pat, pnames, err := refParseSegment(s)
		if err != nil {
			return fmt.Errorf("route: template %q: %w", template, err)
		}
		names = append(names, pnames...)
		if len(pat.lits) == 2 && pat.lits[0] == "" && pat.lits[1] == "" {
			if n.param == nil {
				n.param = &refNode{}
			}
			n = n.param
			continue
		}
		key := strings.Join(pat.lits, "{}")
		var next *refNode
		for _, mc := range n.mixed {
			if mc.key == key {
				next = mc.next
				break
			}
		}
		if next == nil {
			next = &refNode{}
			n.mixed = append(n.mixed, &refMixed{pat: pat, key: key, next: next})
			sort.SliceStable(n.mixed, func(i, j int) bool {
				a, b := n.mixed[i], n.mixed[j]
				if a.pat.litsLen != b.pat.litsLen {
					return a.pat.litsLen > b.pat.litsLen
				}
				return a.key < b.key
			})
		}
		n = next
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
	for _, e := range n.leaf {
		if e.method == method {
			return fmt.Errorf("route: %s %s: another template (%s) matches the same paths", method, template, r.tmpls[e.handle])
		}
	}
	n.leaf = append(n.leaf, refEntry{method: method, handle: handle})
	n.allow = refAllowList(n.leaf)
	r.names[handle] = names
	r.tmpls[handle] = template
	if len(segs) > r.maxSegs {
		r.maxSegs = len(segs)
	}
	return nil
}

func refAllowList(leaf []refEntry) []string {
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

// refParseSegment splits "a{x}b{y}c" into literals and parameter names.
func refParseSegment(s string) (refPattern, []string, error) {
	var p refPattern
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
		if strings.Contains(l, "%") {
			if u, err := url.PathUnescape(l); err == nil {
				p.lits[i] = u
			}
		}
		p.litsLen += len(p.lits[i])
	}
	return p, names, nil
}

// match fills vals from seg; it reports whether seg has the refPattern's shape.
func (p *refPattern) match(seg string, vals *[MaxParams]string, n int) (int, bool) {
	first, last := p.lits[0], p.lits[len(p.lits)-1]
	if len(seg) < len(first)+len(last) || !strings.HasPrefix(seg, first) || !strings.HasSuffix(seg, last) {
		return n, false
	}
	mid := seg[len(first) : len(seg)-len(last)]
	for i := 1; i < len(p.lits)-1; i++ {
		k := strings.Index(mid, p.lits[i])
		if k <= 0 {
			return n, false
		}
		vals[n] = mid[:k]
		n++
		mid = mid[k+len(p.lits[i]):]
	}
	if mid == "" {
		return n, false
	}
	vals[n] = mid
	return n + 1, true
}

// Match finds the operation for method and an escaped request path.
// It returns ErrNotFound or a *MethodNotAllowedError when there is none.
func (r *refRouter) Match(method, escapedPath string) (Result, error) {
	var res Result
	if !strings.HasPrefix(escapedPath, "/") {
		return res, ErrNotFound
	}
	var buf [MaxSegments]string
	segs, ok := refSplit(escapedPath[1:], buf[:0], r.maxSegs)
	if !ok {
		return res, ErrNotFound
	}
	var allow []string
	matched := 0
	if r.walk(&r.root, segs, method, &res, 0, &allow, &matched) {
		return res, nil
	}
	if matched == 0 {
		return Result{}, ErrNotFound
	}
	return Result{}, &MethodNotAllowedError{Method: method, Allow: allow}
}

// refSplit cuts p at "/" and percent-decodes each segment. It fails when p has
// more than max segments or an invalid escape.
func refSplit(p string, segs []string, max int) ([]string, bool) {
	for {
		if len(segs) == max {
			return nil, false
		}
		i := strings.IndexByte(p, '/')
		s := p
		if i >= 0 {
			s = p[:i]
		}
		if strings.IndexByte(s, '%') >= 0 {
			u, err := url.PathUnescape(s)
			if err != nil {
				return nil, false
			}
			s = u
		}
		segs = append(segs, s)
		if i < 0 {
			return segs, true
		}
		p = p[i+1:]
	}
}

// walk is a depth-first search in specificity order. It returns true at the
// first leaf declaring method; on its way it records the leaves that match
// the path without the method.
func (r *refRouter) walk(n *refNode, segs []string, method string, res *Result, np int, allow *[]string, matched *int) bool {
	if len(segs) == 0 {
		if len(n.leaf) == 0 {
			return false
		}
		for _, e := range n.leaf {
			if e.method == method {
				res.Handle, res.N = e.handle, np
				return true
			}
		}
		if method == "HEAD" {
			for _, e := range n.leaf {
				if e.method == "GET" {
					res.Handle, res.N = e.handle, np
					return true
				}
			}
		}
		*matched++
		if *matched == 1 {
			*allow = append([]string(nil), n.allow...)
		} else {
			*allow = refUnion(*allow, n.allow)
		}
		return false
	}
	seg, rest := segs[0], segs[1:]
	if n.literal != nil {
		if next, ok := n.literal[seg]; ok && r.walk(next, rest, method, res, np, allow, matched) {
			return true
		}
	}
	for _, mc := range n.mixed {
		if k, ok := mc.pat.match(seg, &res.Values, np); ok && r.walk(mc.next, rest, method, res, k, allow, matched) {
			return true
		}
	}
	if n.param != nil && seg != "" {
		res.Values[np] = seg
		if r.walk(n.param, rest, method, res, np+1, allow, matched) {
			return true
		}
	}
	return false
}

func refUnion(a, b []string) []string {
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
