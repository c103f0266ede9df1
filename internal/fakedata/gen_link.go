package fakedata

import (
	"encoding/base64"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// NodeID is the global id of the nth generated record (from 1) of a
// GraphQL type: base64url, without padding, of "Type:n". It names the
// type, so a node(id:) lookup goes straight to the type's collection,
// and it is unique across types. Records created later (mutations) use
// NodeIDOf with another suffix.
func NodeID(typ string, n int) string { return NodeIDOf(typ, strconv.Itoa(n)) }

// NodeIDOf is the global id "Type:rest", base64url without padding.
func NodeIDOf(typ, rest string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + rest))
}

// ParseNodeID decodes a global id made by NodeID or NodeIDOf (padded or
// standard base64 is accepted too) into its type and the rest; ok is
// false for any other text.
func ParseNodeID(id string) (typ, rest string, ok bool) {
	if id == "" || len(id) > 512 {
		return "", "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil {
		if raw, err = base64.StdEncoding.DecodeString(id); err != nil {
			return "", "", false
		}
	}
	typ, rest, ok = strings.Cut(string(raw), ":")
	if !ok || !isTypeName(typ) {
		return "", "", false
	}
	return typ, rest, true
}

// isTypeName reports whether s is a GraphQL name.
func isTypeName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

type nodeIDParams struct {
	Type   string `param:"type"`
	Number bool   `param:"number"`
}

// {nodeId: {type}}: the record's own global id, NodeID(type, n); with
// number: true the record's number n itself (a numeric key).
func compileNodeID(_ *compiler, arg *yaml.Node) (node, error) {
	var p nodeIDParams
	if err := decodeParams("nodeId", arg, &p); err != nil {
		return nil, err
	}
	if !p.Number && !isTypeName(p.Type) {
		return nil, bad("nodeId: type must be a GraphQL type name, got %q", p.Type)
	}
	return nodeIDNode{p.Type, p.Number}, nil
}

type nodeIDNode struct {
	typ    string
	number bool
}

func (n nodeIDNode) eval(c *ctx) (any, error) {
	if n.number {
		return float64(c.n), nil
	}
	return NodeID(n.typ, c.n), nil
}

// linkTarget is one collection a link may point into.
type linkTarget struct {
	col, typ string
	number   bool
}

type linkParams struct {
	To  []any `param:"to"`
	Min *int  `param:"min"`
	Max *int  `param:"max"`
}

// {link: {to: [{collection, type, number}], min, max}}: the key of a
// generated record of one of the collections, as that collection's own
// nodeId rule makes it (NodeID(type, k), or k with number: true), k drawn
// among the records the collection will have (Env.Counts), so a link
// never depends on the order the collections are generated in: records
// may refer to their own collection or to each other. Without min and
// max one key (null when no collection has records); with them a list of
// min to max distinct keys (fewer when there are not so many records).
func compileLink(_ *compiler, arg *yaml.Node) (node, error) {
	var p linkParams
	if err := decodeParams("link", arg, &p); err != nil {
		return nil, err
	}
	if len(p.To) == 0 {
		return nil, bad("link: to must list at least one target {collection, type}")
	}
	n := linkNode{}
	for i, e := range p.To {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, bad("link: to[%d] must be a map {collection, type, number}", i)
		}
		t := linkTarget{}
		t.col, _ = m["collection"].(string)
		t.typ, _ = m["type"].(string)
		t.number, _ = m["number"].(bool)
		for k := range m {
			if k != "collection" && k != "type" && k != "number" {
				return nil, bad("link: to[%d]: unknown key %q (allowed: collection, type, number)", i, k)
			}
		}
		if t.col == "" || !t.number && !isTypeName(t.typ) {
			return nil, bad("link: to[%d] needs a collection and a type (or number: true)", i)
		}
		n.to = append(n.to, t)
	}
	if (p.Min == nil) != (p.Max == nil) {
		return nil, bad("link: give both min and max (a list) or neither (one key)")
	}
	if p.Min != nil {
		if *p.Min < 0 || *p.Max < *p.Min {
			return nil, bad("link: need 0 <= min <= max")
		}
		n.list, n.lo, n.hi = true, *p.Min, *p.Max
	}
	return n, nil
}

type linkNode struct {
	to     []linkTarget
	list   bool
	lo, hi int
}

// key is the key of record k (from 1) of target t.
func (t linkTarget) key(k int) any {
	if t.number {
		return float64(k)
	}
	return NodeID(t.typ, k)
}

func (n linkNode) eval(c *ctx) (any, error) {
	if c.env == nil || c.env.Counts == nil {
		return nil, bad("link: the record counts of other collections are not available")
	}
	counts := make([]int, len(n.to))
	total := 0
	for i, t := range n.to {
		counts[i] = max(c.env.Counts(t.col), 0)
		total += counts[i]
	}
	pick := func(r int) any {
		for i, t := range n.to {
			if r < counts[i] {
				return t.key(r + 1)
			}
			r -= counts[i]
		}
		return nil
	}
	if !n.list {
		if total == 0 {
			return nil, nil
		}
		return pick(c.f.IntN(total)), nil
	}
	want := n.lo + c.f.IntN(n.hi-n.lo+1)
	want = min(want, total)
	out := make([]any, 0, want)
	seen := make(map[int]bool, want)
	for len(out) < want {
		r := c.f.IntN(total)
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, pick(r))
	}
	return out, nil
}
