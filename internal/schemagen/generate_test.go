package schemagen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/answercheck"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/source"
)

func load(t *testing.T, file string) (*openapi3.T, *answercheck.Document) {
	t.Helper()
	doc, _, err := contractapi.Load(os.DirFS("testdata"), file, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	judge, err := answercheck.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return doc, judge
}

// asJSON is v as the judge reads a body: encoded and decoded.
func asJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unending are the schemas of the test documents that can never end.
var unending = map[string]bool{"Comment": true, "MutualA": true, "MutualB": true, "Loop": true}

// TestValuesAreValid generates every component schema of the construct
// documents with several seeds, for answers and for requests, and holds
// each value to the schema with an independent validator (and
// kin-openapi's): formats, enums, bounds, patterns, lengths, unique items,
// discriminators, 3.1 types and null, readOnly/writeOnly, recursion.
func TestValuesAreValid(t *testing.T) {
	for _, file := range []string{"constructs30.yaml", "constructs31.yaml"} {
		doc, judge := load(t, file)
		var opts []openapi3.SchemaValidationOption
		if doc.IsOpenAPI31OrLater() {
			opts = append(opts, openapi3.EnableJSONSchema2020())
		}
		names := make([]string, 0, len(doc.Components.Schemas))
		for n := range doc.Components.Schemas {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, name := range names {
			ref := doc.Components.Schemas[name]
			t.Run(file+"/"+name, func(t *testing.T) {
				for seed := uint64(0); seed < 4; seed++ {
					for _, side := range []answercheck.Side{answercheck.Answers, answercheck.Requests} {
						g := New(Options{Seed: seed, Optional: true, Validate: opts, Request: side == answercheck.Requests})
						v := g.Value(ref, "")
						if unending[name] {
							if g.Ends(ref.Value) || len(g.Unending()) == 0 {
								t.Errorf("%s: Ends %v, Unending %v; want a schema that never ends, cut", name, g.Ends(ref.Value), g.Unending())
							}
							continue
						}
						if !g.Ends(ref.Value) {
							t.Errorf("%s: Ends false for a schema that can end", name)
						}
						ver := judge.Check(side, "#/components/schemas/"+name, decodeJSON(t, asJSON(t, v)))
						if !ver.Valid {
							t.Errorf("seed %d %v: %s: %s %v", seed, side, asJSON(t, v), ver.Reason, ver.Errors)
						}
						kinOpts := append([]openapi3.SchemaValidationOption{openapi3.EnableFormatValidation()}, opts...)
						if side == answercheck.Answers {
							kinOpts = append(kinOpts, openapi3.VisitAsResponse())
						} else {
							kinOpts = append(kinOpts, openapi3.VisitAsRequest())
						}
						if err := ref.Value.VisitJSON(decodeStd(t, asJSON(t, v)), kinOpts...); err != nil {
							t.Errorf("seed %d %v: kin-openapi: %s: %v", seed, side, asJSON(t, v), err)
						}
						short, ok := g.Shallowest(ref, "")
						if !ok {
							t.Errorf("Shallowest says %s cannot end", name)
						}
						if ver := judge.Check(side, "#/components/schemas/"+name, decodeJSON(t, asJSON(t, short))); !ver.Valid {
							t.Errorf("shallowest %s: %s %v", asJSON(t, short), ver.Reason, ver.Errors)
						}
					}
				}
			})
		}
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	v, err := answercheck.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func decodeStd(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestShapes pins what the values look like: the discriminator set to the
// branch chosen (mapped and implicit), recursion one level deep, a chain
// to its end, writeOnly never in answers, readOnly never in requests,
// realistic words where the name says what a string holds, and the same
// bytes for the same seed.
func TestShapes(t *testing.T) {
	doc, _ := load(t, "constructs30.yaml")
	sch := doc.Components.Schemas
	gen := func(name string, o Options) map[string]any {
		o.Optional = true
		ref := &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: sch[name].Value}
		v, ok := New(o).Value(ref, "").(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object", name)
		}
		return v
	}
	if v := gen("Cat", Options{}); v["petType"] != "kitty" {
		t.Errorf("Cat (mapped as kitty): %v", v)
	}
	if v := gen("Dog", Options{}); v["petType"] != "Dog" {
		t.Errorf("Dog (implicit by name): %v", v)
	}
	for seed := uint64(0); seed < 4; seed++ {
		v := gen("AnyPet", Options{Seed: seed})
		_, meows := v["meow"]
		if meows && v["petType"] != "kitty" || !meows && v["petType"] != "Dog" {
			t.Errorf("AnyPet seed %d: the discriminator does not name the branch: %v", seed, v)
		}
		s := gen("Shape", Options{Seed: seed})
		_, side := s["side"]
		if side && s["kind"] != "Square" || !side && s["kind"] != "Circle" {
			t.Errorf("Shape seed %d: %v", seed, s)
		}
	}
	tree := gen("Tree", Options{})
	kids := tree["children"].([]any)
	if len(kids) != 1 || len(kids[0].(map[string]any)["children"].([]any)) != 0 {
		t.Errorf("Tree: want one child with no children (RecursionBound %d): %v", RecursionBound, tree)
	}
	c := gen("Chain1", Options{})
	for i := 1; i < 14; i++ {
		c = c["next"].(map[string]any)
	}
	if _, ok := c["end"].(string); !ok {
		t.Errorf("Chain14 not reached: %v", c)
	}
	if v := gen("Access", Options{}); v["password"] != nil || v["id"] == nil {
		t.Errorf("answer: %v (want id, never password)", v)
	}
	if v := gen("Access", Options{Request: true}); v["password"] == nil || v["id"] != nil {
		t.Errorf("request: %v (want password, never id)", v)
	}
	sc := gen("Scalars", Options{Seed: 7})
	if !slices.Contains(StatusWords, sc["status"].(string)) || !slices.Contains(TypeWords, sc["type"].(string)) {
		t.Errorf("status %v, type %v: want words of %v and %v", sc["status"], sc["type"], StatusWords, TypeWords)
	}
	if !strings.Contains(sc["email"].(string), "@") {
		t.Errorf("email %v", sc["email"])
	}
	a, b := asJSON(t, gen("Scalars", Options{Seed: 7})), asJSON(t, gen("Scalars", Options{Seed: 7}))
	if string(a) != string(b) {
		t.Errorf("same seed, other bytes:\n%s\n%s", a, b)
	}
	if other := asJSON(t, gen("Scalars", Options{Seed: 8})); string(other) == string(a) {
		t.Errorf("seeds 7 and 8 give the same values")
	}
}

// TestUnendingIsCut: a required self-reference (direct, mutual) is cut
// at UnendingBound, quickly, and named.
func TestUnendingIsCut(t *testing.T) {
	doc, _ := load(t, "constructs30.yaml")
	g := New(Options{Optional: true})
	v := g.Value(doc.Components.Schemas["Comment"], "")
	depth := 0
	for m, ok := v.(map[string]any); ok; m, ok = m["parent"].(map[string]any) {
		depth++
	}
	if depth != UnendingBound+1 {
		t.Errorf("Comment nested %d deep, want %d", depth, UnendingBound+1)
	}
	g.Value(doc.Components.Schemas["MutualA"], "")
	if got := g.Unending(); !slices.Contains(got, "#/components/schemas/Comment") || len(got) < 2 {
		t.Errorf("Unending %v", got)
	}
}
