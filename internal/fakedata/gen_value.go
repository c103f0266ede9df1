package fakedata

import (
	"math"

	"gopkg.in/yaml.v3"
)

// {const: value}: the value itself, even a map.
func compileConst(_ *compiler, arg *yaml.Node) (node, error) {
	v, err := value(arg)
	if err != nil {
		return nil, err
	}
	return constNode{v}, nil
}

type seqParams struct {
	Start float64 `param:"start"`
	Step  float64 `param:"step"`
}

// {seq: {start, step}}: start, start+step, … per record.
func compileSeq(_ *compiler, arg *yaml.Node) (node, error) {
	p := seqParams{Start: 1, Step: 1}
	if err := decodeParams("seq", arg, &p); err != nil {
		return nil, err
	}
	return &seqNode{start: p.Start, step: p.Step}, nil
}

// {uuid: {}}: an RFC 4122 version 4 uuid from the seeded source.
func compileUUID(_ *compiler, arg *yaml.Node) (node, error) {
	if err := decodeParams("uuid", arg, &struct{}{}); err != nil {
		return nil, err
	}
	return uuidNode{}, nil
}

type intParams struct {
	Min int `param:"min"`
	Max int `param:"max"`
}

// {int: {min, max}}: a whole number in [min, max].
func compileInt(_ *compiler, arg *yaml.Node) (node, error) {
	p := intParams{Min: 0, Max: 100}
	if err := decodeParams("int", arg, &p); err != nil {
		return nil, err
	}
	if p.Max < p.Min {
		return nil, bad("int: max %d is below min %d", p.Max, p.Min)
	}
	return intNode{p.Min, p.Max}, nil
}

type floatParams struct {
	Min      float64 `param:"min"`
	Max      float64 `param:"max"`
	Decimals int     `param:"decimals"`
}

// {float: {min, max, decimals}}: a number in [min, max], rounded.
func compileFloat(_ *compiler, arg *yaml.Node) (node, error) {
	p := floatParams{Min: 0, Max: 1, Decimals: 2}
	if err := decodeParams("float", arg, &p); err != nil {
		return nil, err
	}
	if p.Max < p.Min || p.Decimals < 0 || p.Decimals > 10 {
		return nil, bad("float: need min <= max and 0 <= decimals <= 10")
	}
	return floatNode{p.Min, p.Max, math.Pow(10, float64(p.Decimals))}, nil
}

type boolParams struct {
	P probability `param:"p"`
}

// {bool: {p}}: true with probability p.
func compileBool(_ *compiler, arg *yaml.Node) (node, error) {
	p := boolParams{P: 0.5}
	if err := decodeParams("bool", arg, &p); err != nil {
		return nil, err
	}
	return boolNode{float64(p.P)}, nil
}
