package usererr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

type sample struct {
	Name    string            `yaml:"name"`
	Count   int               `yaml:"count"`
	On      bool              `yaml:"on"`
	Tags    []string          `yaml:"tags"`
	Wait    time.Duration     `yaml:"wait"`
	Effect  sampleEffect      `yaml:"effect"`
	Codes   map[int]string    `yaml:"codes"`
	Extra   map[string]string `yaml:"extra"`
	Custom  customValue       `yaml:"custom"`
	Skipped string            `yaml:"-"`
}

type sampleEffect struct {
	Status int `yaml:"status"`
	Delay  int `yaml:"delay"`
}

// customValue reads itself and complains with a placed *Error.
type customValue string

func (c *customValue) UnmarshalYAML(n *yaml.Node) error {
	if n.Value == "bad" {
		return &Error{Problem: "custom: bad is not allowed", Fix: "write good"}
	}
	*c = customValue(n.Value)
	return nil
}

func TestDecodeYAMLPlacesEveryMistake(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // "line:col: text" of each error, in order
	}{
		{"nested mapping on one line", "name: x\neffect: status: 500\n",
			[]string{`2:15: YAML syntax: mapping values are not allowed in this context; a value that holds ": " must be quoted`}},
		{"a key indented too little", "name: x\neffect:\n  status: 500\n delay: 2\n",
			[]string{"4:2: YAML syntax: did not find expected key; the keys of one mapping start in the same column"}},
		{"a list item among keys", "name: x\n- y\n",
			[]string{"2:1: YAML syntax: did not find expected key"}},
		{"a tab", "name: x\neffect:\n\tstatus: 1\n", []string{"3:1:", "indent with spaces, not tabs"}},
		{"unclosed quote", "name: \"x\ncount: 1\n", []string{"1:7: YAML syntax: a quoted value is not closed (found at 3:1); close the quote"}},
		{"unclosed bracket", "tags: [a, b\ncount: 1\n", []string{"1:7: YAML syntax: a list in [ ] is not closed (found at 2:6); close it with ]"}},
		{"reserved character", "name: @x\n", []string{"1:7: YAML syntax: found character that cannot start any token; quote a value"}},
		{"unknown anchor", "name: *nope\n", []string{"1:7: YAML syntax: unknown anchor 'nope' referenced"}},
		{"unknown key, a typo", "name: x\nconut: 3\n",
			[]string{`2:1: unknown key "conut"; did you mean "count"? valid keys here: codes, count, custom, effect, extra, name, on, tags, wait`}},
		{"unknown nested key", "effect:\n  status: 500\n  delai: 2\n",
			[]string{`3:3: unknown key "delai" in effect; did you mean "delay"? valid keys here: delay, status`}},
		{"several mistakes, all reported", "count: many\non: maybe\neffect:\n  status: [1]\n",
			[]string{
				`1:8: count: want a whole number, not "many"; write digits only, e.g. count: 3`,
				`2:5: on: want true or false, not "maybe"; write on: true or on: false`,
				"4:11: effect.status: want a whole number, not a list",
			}},
		{"a list wanted", "tags: a: b\n", []string{"1:8: YAML syntax: mapping values are not allowed"}},
		{"a mapping given for a list", "tags:\n  a: b\n", []string{"2:3: tags: want a list, not a mapping"}},
		{"a scalar given for a mapping", "effect: 500\n", []string{`1:9: effect: want a mapping (key: value lines), not "500"`}},
		{"a bad duration", "wait: 2 seconds\n", []string{`1:7: wait: want a duration, not "2 seconds"; write a Go duration, e.g. wait: 1m30s`}},
		{"a bad map key", "codes:\n  abc: x\n", []string{`2:3: key "abc" of codes: want a whole number`}},
		{"a repeated key", "name: x\ncount: 1\nname: y\n", []string{`3:1: key "name" repeated (first at line 1); keep one of them`}},
		{"a repeated map key", "extra:\n  a: 1\n  a: 2\n", []string{`3:3: key "extra.a" repeated (first at line 2)`}},
		{"a custom type's complaint", "custom: bad\n", []string{"1:9: custom: bad is not allowed; write good"}},
		{"the whole file a list", "- a\n- b\n", []string{"1:1: the file: want a mapping (key: value lines), not a list"}},
		{"a tagged key skipped", "Skipped: x\n", []string{`1:1: unknown key "Skipped"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out sample
			_, err := DecodeYAML("dir/f.yaml", []byte(tc.doc), &out)
			if err == nil {
				t.Fatal("no error")
			}
			got := All(err)
			if len(got) != len(tc.want) && !(len(tc.want) == 2 && len(got) == 1) {
				t.Fatalf("%d errors, want %d:\n%v", len(got), len(tc.want), err)
			}
			for i, w := range tc.want {
				e := got[min(i, len(got)-1)]
				if e.File != "dir/f.yaml" || e.Line == 0 || e.Col == 0 || e.Fix == "" {
					t.Errorf("error %d: place %v, fix %q: want file, line, column and a fix", i, e.Place, e.Fix)
				}
				if !strings.Contains(e.Error(), w) && !strings.Contains(e.Error(), "dir/f.yaml:"+w) {
					t.Errorf("error %d:\n%s\nwant it to contain\n%s", i, e.Error(), w)
				}
			}
		})
	}
}

func TestDecodeYAMLGoodAndEmpty(t *testing.T) {
	var out sample
	root, err := DecodeYAML("f.yaml", []byte("name: x\ncount: 2\ntags: [a]\nwait: 2s\neffect: {status: 500}\ncodes: {404: nf}\ncustom: ok\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.Name != "x" || out.Count != 2 || out.Wait != 2*time.Second || out.Effect.Status != 500 || out.Codes[404] != "nf" || out.Custom != "ok" {
		t.Errorf("decoded %+v", out)
	}
	if p := YAMLPlace("f.yaml", root, "effect", "status"); p.String() != "f.yaml:5:18" {
		t.Errorf("YAMLPlace effect.status = %s, want f.yaml:5:18", p)
	}
	root, err = DecodeYAML("f.yaml", []byte("# only a comment\n"), &out)
	if err != nil || root.Kind != 0 {
		t.Errorf("empty document: kind %v, err %v", root.Kind, err)
	}
}

func TestYAMLPlace(t *testing.T) {
	var root yaml.Node
	doc := "a:\n  b:\n    - x\n    - {c: 1}\n  d: 2\ne: [1, 2]\n"
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{nil, "f:1:1"},
		{[]string{"a"}, "f:1:1"},      // a block mapping: its key
		{[]string{"a", "d"}, "f:5:6"}, // a scalar: the value
		{[]string{"a", "b", "1", "c"}, "f:4:11"},
		{[]string{"a", "b", "7"}, "f:2:3"}, // missing: the deepest found
		{[]string{"e"}, "f:6:4"},           // a flow list on its key's line
		{[]string{"zzz"}, "f:1:1"},
	} {
		if got := YAMLPlace("f", &root, tc.keys...).String(); got != tc.want {
			t.Errorf("YAMLPlace(%v) = %s, want %s", tc.keys, got, tc.want)
		}
	}
}

func TestFind(t *testing.T) {
	inner := &Error{Place: Place{File: "a/b.yaml", Line: 2, Col: 3}, Problem: "p", Fix: "f"}
	err := fmt.Errorf("loading: %w", errors.Join(errors.New("other"), inner))
	if e, ok := Find(err); !ok || e != inner {
		t.Fatalf("Find = %v, %v", e, ok)
	}
	if !strings.Contains(err.Error(), "a/b.yaml:2:3: p; f") {
		t.Errorf("message %q", err)
	}
	if _, ok := Find(errors.New("plain")); ok {
		t.Error("Find found an *Error in a plain error")
	}
	if got := len(All(errors.Join(inner, fmt.Errorf("x: %w", inner)))); got != 2 {
		t.Errorf("All found %d, want 2", got)
	}
}

// FuzzDecodeYAML: any document decodes or fails with placed errors, never
// a panic; an error in a non-empty file names a line.
func FuzzDecodeYAML(f *testing.F) {
	for _, s := range []string{"name: x\neffect: status: 500\n", "effect:\n  status: [1]\n", "tags: [a, b\n", "a: *x\n", "codes: {1: a, 1: b}\n", "name: \"x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var out sample
		_, err := DecodeYAML("f.yaml", []byte(doc), &out)
		if err == nil {
			return
		}
		for _, e := range All(err) {
			if e.File != "f.yaml" || e.Problem == "" || e.Fix == "" {
				t.Fatalf("unplaced or unexplained error %#v for %q", e, doc)
			}
		}
		if len(All(err)) == 0 {
			t.Fatalf("error %v is not an *Error", err)
		}
	})
}

// TestDecodeYAMLAliasBomb: a document whose aliases repeat a subtree
// exponentially often is refused quickly (the walk has a budget; yaml.v3
// refuses the excessive aliasing), not walked for ever.
func TestDecodeYAMLAliasBomb(t *testing.T) {
	doc := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		doc += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	// every level typed, so that the walk would follow every alias
	var out struct {
		A []string                   `yaml:"a"`
		B [][]string                 `yaml:"b"`
		C [][][]string               `yaml:"c"`
		D [][][][]string             `yaml:"d"`
		E [][][][][]string           `yaml:"e"`
		F [][][][][][]string         `yaml:"f"`
		G [][][][][][][]string       `yaml:"g"`
		H [][][][][][][][]string     `yaml:"h"`
		I [][][][][][][][][]string   `yaml:"i"`
		J [][][][][][][][][][]string `yaml:"j"`
	}
	_, err := DecodeYAML("bomb.yaml", []byte(doc), &out)
	if err == nil {
		t.Fatal("an alias bomb decoded")
	}
	if _, ok := Find(err); !ok {
		t.Errorf("error %v is not an *Error", err)
	}
}
