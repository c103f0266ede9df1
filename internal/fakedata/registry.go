package fakedata

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// constructor compiles one generator from its parameters (the value under
// the generator's key).
type constructor func(cp *compiler, arg *yaml.Node) (node, error)

// registry maps every generator name to its constructor. It is the one
// list of generators: GeneratorNames, the "unknown generator" error and
// the documentation test read it.
func registry() map[string]constructor {
	return map[string]constructor{
		// values and numbers (gen_value.go)
		"const": compileConst,
		"seq":   compileSeq,
		"uuid":  compileUUID,
		"int":   compileInt,
		"float": compileFloat,
		"bool":  compileBool,
		// choices (gen_choice.go)
		"oneOf":    compileOneOf,
		"weighted": compileWeighted,
		"someOf":   compileSomeOf,
		"nullable": compileNullable,
		"pick":     compilePick,
		"country":  compileCountry,
		// times (gen_time.go)
		"time":      compileTime,
		"timeAfter": compileTimeAfter,
		// text (gen_text.go)
		"template": compileTemplate,
		"join":     compileJoin,
		"fake":     compileFakeGen,
		"regex":    compileRegexGen,
		"company":  compileCompany,
		// people (gen_people.go)
		"ruPerson": compileRuPerson,
		"person":   compilePerson,
		"email":    compileEmail,
		"ruPhone":  compileRuPhone,
		// structure (gen_struct.go)
		"ref":    compileRef,
		"object": compileObject,
		"list":   compileList,
		"switch": compileSwitch,
		// links between records (gen_link.go)
		"nodeId": compileNodeID,
		"link":   compileLink,
	}
}

// GeneratorNames lists the generator names an expression may use, sorted.
func GeneratorNames() []string { return sortedNames(registry()) }

func sortedNames(reg map[string]constructor) []string {
	out := make([]string, 0, len(reg))
	for k := range reg {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// compiler compiles the expressions of one field.
type compiler struct {
	path  string   // the field being compiled (for object children)
	needs []string // collections referred to by pick
	gens  map[string]constructor
}

func newCompiler(path string) *compiler { return &compiler{path: path, gens: registry()} }

// compile compiles one expression: a map with one generator key, or any
// other value standing for itself.
func (cp *compiler) compile(n *yaml.Node) (node, error) {
	n = resolve(n)
	if isNull(n) {
		return constNode{nil}, nil
	}
	if n.Kind != yaml.MappingNode {
		v, err := value(n)
		if err != nil {
			return nil, err
		}
		return constNode{v}, nil
	}
	if len(n.Content) != 2 {
		keys := make([]string, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
		sort.Strings(keys)
		return nil, at(n, "expression must be a map with exactly one generator key, got keys [%s] (wrap objects in {object: ...} or {const: ...})", strings.Join(keys, ", "))
	}
	key, arg := n.Content[0], n.Content[1]
	mk, ok := cp.gens[key.Value]
	if !ok {
		return nil, at(key, "unknown generator %q (known: %s)", key.Value, strings.Join(sortedNames(cp.gens), ", "))
	}
	out, err := mk(cp, arg)
	if err != nil {
		if isNull(arg) || arg.Line == 0 {
			return nil, placed(err, key)
		}
		return nil, placed(err, arg)
	}
	return out, nil
}
