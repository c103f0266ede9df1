package fakedata

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// {ref: path}: the value of an earlier field.
func compileRef(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return nil, bad("ref: needs a field path")
	}
	return refNode{s}, nil
}

// {object: {key: expression}}: a map; keys are evaluated sorted, and the
// partial object is visible to refs of its own children.
func compileObject(cp *compiler, arg *yaml.Node) (node, error) {
	arg = resolve(arg)
	if arg == nil || arg.Kind != yaml.MappingNode {
		return nil, bad("object: needs a map of field: expression")
	}
	exprs := make(map[string]*yaml.Node, len(arg.Content)/2)
	keys := make([]string, 0, len(arg.Content)/2)
	for i := 0; i+1 < len(arg.Content); i += 2 {
		k := arg.Content[i].Value
		if _, dup := exprs[k]; dup {
			return nil, at(arg.Content[i], "object: key %q given twice", k)
		}
		exprs[k] = arg.Content[i+1]
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := &objectNode{path: cp.path, keys: keys}
	parent := cp.path
	for _, k := range keys {
		cp.path = joinPath(parent, k)
		n, err := cp.compile(exprs[k])
		cp.path = parent
		if err != nil {
			return nil, wrapf(err, "object: %s", k)
		}
		o.vals = append(o.vals, n)
	}
	return o, nil
}

type listParams struct {
	Min  int        `param:"min"`
	Max  int        `param:"max"`
	Item *yaml.Node `param:"item"`
}

// {list: {min, max, item}}: between min and max items, each a fresh item
// expression.
func compileList(cp *compiler, arg *yaml.Node) (node, error) {
	p := listParams{Min: 1, Max: 3}
	if err := decodeParams("list", arg, &p); err != nil {
		return nil, err
	}
	if p.Min < 0 || p.Max < p.Min || p.Max > 1000 {
		return nil, bad("list: need 0 <= min <= max <= 1000")
	}
	if p.Item == nil {
		return nil, bad("list: item is required")
	}
	item, err := cp.compile(p.Item)
	if err != nil {
		return nil, wrapf(err, "list: item")
	}
	return listNode{p.Min, p.Max, item}, nil
}

type switchParams struct {
	Field   string     `param:"field"`
	Cases   *yaml.Node `param:"cases"`
	Default *yaml.Node `param:"default"`
}

// {switch: {field, cases, default}}: the case expression named by an
// earlier field's value, else default (null when absent).
func compileSwitch(cp *compiler, arg *yaml.Node) (node, error) {
	var p switchParams
	if err := decodeParams("switch", arg, &p); err != nil {
		return nil, err
	}
	if p.Field == "" || p.Cases == nil || p.Cases.Kind != yaml.MappingNode {
		return nil, bad("switch: needs field and a map of cases")
	}
	sw := switchNode{field: p.Field, cases: map[string]node{}, def: constNode{nil}}
	for i := 0; i+1 < len(p.Cases.Content); i += 2 {
		k := p.Cases.Content[i].Value
		n, err := cp.compile(p.Cases.Content[i+1])
		if err != nil {
			return nil, wrapf(err, "switch: case %q", k)
		}
		sw.cases[k] = n
	}
	if p.Default != nil {
		var err error
		if sw.def, err = cp.compile(p.Default); err != nil {
			return nil, wrapf(err, "switch: default")
		}
	}
	return sw, nil
}
