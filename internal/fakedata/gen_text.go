package fakedata

import (
	"gopkg.in/yaml.v3"
)

// {template: "text {{action}}"}: text with actions (see template.go).
func compileTemplate(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, bad("template: needs a string")
	}
	return parseTemplate(s)
}

type joinParams struct {
	Sep   string       `param:"sep"`
	Parts []*yaml.Node `param:"parts"`
}

// {join: {sep, parts}}: the parts' texts joined by sep.
func compileJoin(cp *compiler, arg *yaml.Node) (node, error) {
	var p joinParams
	if err := decodeParams("join", arg, &p); err != nil {
		return nil, err
	}
	if len(p.Parts) == 0 {
		return nil, bad("join: parts must be a non-empty list")
	}
	j := joinNode{sep: p.Sep}
	for i, e := range p.Parts {
		n, err := cp.compile(e)
		if err != nil {
			return nil, wrapf(err, "join: parts[%d]", i)
		}
		j.parts = append(j.parts, n)
	}
	return j, nil
}

// {fake: kind}: a realistic English-language value (see fake.go).
func compileFakeGen(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	return compileFake(v)
}

// regexParams are the parameters of the map form of regex.
type regexParams struct {
	Pattern   string `param:"pattern"`
	MinLength int    `param:"minLength"`
	MaxLength int    `param:"maxLength"`
}

// {regex: pattern}: a string matching an RE2 pattern; {regex: {pattern,
// minLength, maxLength}}: one of those lengths too (a schema's pattern
// with its bounds).
func compileRegexGen(_ *compiler, arg *yaml.Node) (node, error) {
	if n := resolve(arg); n != nil && n.Kind == yaml.MappingNode {
		var p regexParams
		if err := decodeParams("regex", n, &p); err != nil {
			return nil, err
		}
		if p.MinLength < 0 || p.MaxLength < 0 || p.MaxLength > 0 && p.MaxLength < p.MinLength {
			return nil, bad("regex: need 0 <= minLength <= maxLength (maxLength 0: no bound)")
		}
		nd, err := compileRegex(p.Pattern)
		if err != nil {
			return nil, err
		}
		r := nd.(regexNode)
		r.minLen, r.maxLen = p.MinLength, p.MaxLength
		return r, nil
	}
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	return compileRegex(v)
}

// {company: {}}: a company name.
func compileCompany(_ *compiler, arg *yaml.Node) (node, error) {
	if err := decodeParams("company", arg, &struct{}{}); err != nil {
		return nil, err
	}
	return companyNode{}, nil
}
