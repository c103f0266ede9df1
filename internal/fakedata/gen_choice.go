package fakedata

import (
	"math"
	"sort"

	"github.com/standin/standin/internal/store"
	"gopkg.in/yaml.v3"
)

// {oneOf: [values]}: one of the values, evenly.
func compileOneOf(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return nil, bad("oneOf: needs a non-empty list of values")
	}
	return &weightedNode{values: l, cum: evenWeights(len(l))}, nil
}

// {weighted: {value: weight}}: a key, drawn by weight.
func compileWeighted(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	wm, ok := v.(map[string]any)
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
}

type someOfParams struct {
	Values []any `param:"values"`
	Min    int   `param:"min"`
	Max    *int  `param:"max"`
}

// {someOf: {values, min, max}}: between min and max of the values, in order.
func compileSomeOf(_ *compiler, arg *yaml.Node) (node, error) {
	p := someOfParams{Min: 1}
	if err := decodeParams("someOf", arg, &p); err != nil {
		return nil, err
	}
	if len(p.Values) == 0 {
		return nil, bad("someOf: values must be a non-empty list")
	}
	hi := len(p.Values)
	if p.Max != nil {
		hi = *p.Max
	}
	if p.Min < 0 || hi < p.Min || hi > len(p.Values) {
		return nil, bad("someOf: need 0 <= min <= max <= %d (the number of values)", len(p.Values))
	}
	return someOfNode{p.Values, p.Min, hi}, nil
}

type nullableParams struct {
	P     probability `param:"p"`
	Value *yaml.Node  `param:"value"`
}

// {nullable: {p, value}}: null with probability p, else the value expression.
func compileNullable(cp *compiler, arg *yaml.Node) (node, error) {
	p := nullableParams{P: 0.5}
	if err := decodeParams("nullable", arg, &p); err != nil {
		return nil, err
	}
	if p.Value == nil {
		return nil, bad("nullable: value is required")
	}
	inner, err := cp.compile(p.Value)
	if err != nil {
		return nil, err
	}
	return nullableNode{float64(p.P), inner}, nil
}

type pickParams struct {
	Values     []any  `param:"values"`
	Weights    []any  `param:"weights"`
	Collection string `param:"collection"`
	Field      string `param:"field"`
	Generated  bool   `param:"generated"`
}

// {pick: {values, weights, field}} or {pick: {collection, field,
// generated}}: one of the values (by weight), or a record of another
// collection; field picks one field of it.
func compilePick(cp *compiler, arg *yaml.Node) (node, error) {
	var p pickParams
	if err := decodeParams("pick", arg, &p); err != nil {
		return nil, err
	}
	if (len(p.Values) == 0) == (p.Collection == "") {
		return nil, bad("pick: give either a non-empty values list or a collection")
	}
	if p.Collection != "" {
		if p.Weights != nil {
			return nil, bad("pick: weights go with values, not with a collection")
		}
		cp.needs = append(cp.needs, p.Collection)
		return pickColNode{p.Collection, p.Field, p.Generated}, nil
	}
	w := &weightedNode{values: p.Values}
	if p.Weights == nil {
		w.cum = evenWeights(len(p.Values))
	} else {
		if len(p.Weights) != len(p.Values) {
			return nil, bad("pick: %d weights for %d values", len(p.Weights), len(p.Values))
		}
		total := 0.0
		for i, e := range p.Weights {
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
	if p.Field != "" {
		picked := make([]any, len(p.Values))
		for i, v := range p.Values {
			if picked[i] = store.Lookup(asMap(v), p.Field); picked[i] == nil {
				return nil, bad("pick: values[%d] has no field %q", i, p.Field)
			}
		}
		w.values = picked
	}
	return w, nil
}

type countryParams struct {
	Among []string `param:"among"`
}

// {country: {among}}: an ISO 3166-1 alpha-2 code, evenly among all or some.
func compileCountry(_ *compiler, arg *yaml.Node) (node, error) {
	var p countryParams
	if err := decodeParams("country", arg, &p); err != nil {
		return nil, err
	}
	if p.Among != nil && len(p.Among) == 0 {
		return nil, bad("country: among must not be empty")
	}
	for _, c := range p.Among {
		if !IsCountry(c) {
			return nil, bad("country: %q is not an ISO 3166-1 alpha-2 code", c)
		}
	}
	among := p.Among
	if among == nil {
		among = isoCountries
	}
	vals := make([]any, len(among))
	for i, c := range among {
		vals[i] = c
	}
	return &weightedNode{values: vals, cum: evenWeights(len(vals))}, nil
}
