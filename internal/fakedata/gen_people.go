package fakedata

import (
	"strings"

	"gopkg.in/yaml.v3"
)

type ruPersonParams struct {
	Gender string `param:"gender"`
}

// {ruPerson: {gender}}: a Russian person, as a map of name parts.
func compileRuPerson(_ *compiler, arg *yaml.Node) (node, error) {
	p := ruPersonParams{Gender: "any"}
	if err := decodeParams("ruPerson", arg, &p); err != nil {
		return nil, err
	}
	if g := p.Gender; g != "any" && g != "male" && g != "female" {
		return nil, bad("ruPerson: gender must be male, female or any, got %q", g)
	}
	return ruPersonNode{p.Gender}, nil
}

type personParams struct {
	From string `param:"from"`
	Part string `param:"part"`
}

// {person: part} or {person: {from, part}}: one part of a ruPerson field
// (by default _person).
func compilePerson(_ *compiler, arg *yaml.Node) (node, error) {
	p := personParams{From: "_person"}
	if a := resolve(arg); a != nil && a.Kind == yaml.ScalarNode && !isNull(a) {
		v, err := value(a)
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, bad("person: parameters must be a map, got %s", TypeName(v))
		}
		p.Part = s
	} else if err := decodeParams("person", arg, &p); err != nil {
		return nil, err
	}
	if !personParts[p.Part] {
		return nil, bad("person: unknown part %q (known: first, last, patronymic, gender, full, firstLatin, lastLatin, patronymicLatin)", p.Part)
	}
	return refNode{p.From + "." + p.Part}, nil
}

type emailParams struct {
	From   string   `param:"from"`
	Domain []string `param:"domain"`
}

// {email: {from, domain}}: a free address made from a person or a string.
func compileEmail(_ *compiler, arg *yaml.Node) (node, error) {
	p := emailParams{From: "_person"}
	if err := decodeParams("email", arg, &p); err != nil {
		return nil, err
	}
	if p.Domain == nil {
		p.Domain = []string{"example.com"}
	}
	for _, d := range p.Domain {
		if d == "" || strings.ContainsAny(d, "@ ") {
			return nil, bad("email: %q is not a domain", d)
		}
	}
	return emailNode{p.From, p.Domain}, nil
}

// {ruPhone: {}}: a Russian mobile number, 79XXXXXXXXX.
func compileRuPhone(_ *compiler, arg *yaml.Node) (node, error) {
	if err := decodeParams("ruPhone", arg, &struct{}{}); err != nil {
		return nil, err
	}
	return ruPhoneNode{}, nil
}
