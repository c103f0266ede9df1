// Package answercheck judges a server's answers against an OpenAPI 3.0 or
// 3.1 document with a JSON Schema validator of its own
// (github.com/santhosh-tekuri/jsonschema/v6), never kin-openapi, the
// library the mock itself is built on: a fault the two share would pass
// unseen otherwise.
//
// The document is read as plain JSON values and copied twice, once for
// answers and once for requests, and every schema in the copies is
// translated to JSON Schema (translate.go): OpenAPI 3.0's nullable,
// boolean exclusive bounds and $ref siblings; discriminators as if/then
// per mapping value; readOnly properties not required in requests,
// writeOnly ones not in answers. 3.0 documents are validated as draft-07,
// 3.1 documents as 2020-12, with formats asserted (OpenAPI's int32, int64
// and byte among them).
//
// Judge (judge.go) holds an answer to the operation's responses: a
// documented status, a documented media type, a body valid against its
// schema. Sweep (sweep.go) drives a running server through every operation
// of a document (each collection listed, read, read with an unknown id,
// created, updated, deleted and read back; every other operation once)
// and tallies the verdicts. The package is a test instrument: the mock's
// regression tests and local sweeps of large public documents use it.
package answercheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Side says which copy of the document a schema is read from.
type Side int

const (
	// Answers is the copy for answers: writeOnly properties not required.
	Answers Side = iota
	// Requests is the copy for requests: readOnly properties not required.
	Requests
)

// Document is one OpenAPI document, its two translated copies and their
// compiled schemas.
type Document struct {
	// Orig is the document as written (JSON values).
	Orig map[string]any
	// V31 tells a 3.1 document (JSON Schema 2020-12) from a 3.0 one.
	V31 bool

	url   string // the document's absolute URL (file:///…)
	file  string // its absolute path
	sides [2]*side
	// files are the sibling files references lead to, as written, by
	// absolute path (the document itself under file).
	files map[string]map[string]any
}

// side is one translated copy of the document with its compiler.
type side struct {
	mu       sync.Mutex
	doc      map[string]any
	compiler *jsonschema.Compiler
	cache    map[string]compiled
}

// compiled is a schema, or why it could not be compiled.
type compiled struct {
	schema *jsonschema.Schema
	err    error
}

// Load reads a document (YAML or JSON) from a file.
func Load(file string) (*Document, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	return Parse(data, abs)
}

// Parse reads a document from data; file is its absolute path (its folder
// resolves references to sibling files).
func Parse(data []byte, file string) (*Document, error) {
	v, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", file)
	}
	ver, _ := root["openapi"].(string)
	if !strings.HasPrefix(ver, "3.") {
		return nil, fmt.Errorf("%s: not an OpenAPI 3.x document", file)
	}
	d := &Document{Orig: root, V31: !strings.HasPrefix(ver, "3.0"), url: fileURL(file), file: file, files: map[string]map[string]any{file: root}}
	for _, s := range []Side{Answers, Requests} {
		tdoc := translateDocument(root, s, d.V31)
		c := jsonschema.NewCompiler()
		if d.V31 {
			c.DefaultDraft(jsonschema.Draft2020)
		} else {
			c.DefaultDraft(jsonschema.Draft7)
		}
		c.AssertFormat()
		for _, f := range openAPIFormats() {
			c.RegisterFormat(f)
		}
		c.UseRegexpEngine(lenientRegexp)
		c.UseLoader(siblingLoader{side: s, v31: d.V31})
		delete(tdoc, "$schema")
		delete(tdoc, "$id")
		if err := c.AddResource(d.url, tdoc); err != nil {
			return nil, err
		}
		d.sides[s] = &side{doc: tdoc, compiler: c, cache: map[string]compiled{}}
	}
	return d, nil
}

// fileURL is the file URL of an absolute path.
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// Decode reads a JSON (or YAML) value as Check wants it (numbers as
// json.Number).
func Decode(data []byte) (any, error) { return decode(data) }

// decode reads YAML or JSON into JSON values (numbers as json.Number, as
// the validator wants them).
func decode(data []byte) (any, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return jsonschema.UnmarshalJSON(bytes.NewReader(trimmed))
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	v, err := fromYAML(&n)
	if err != nil {
		return nil, err
	}
	// through JSON once, so numbers are json.Number like a JSON document's
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// fromYAML converts a YAML node to JSON values (keys as their text).
func fromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0])
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Tag == "!!merge" {
				v, err := fromYAML(n.Content[i+1])
				if err != nil {
					return nil, err
				}
				if m, ok := v.(map[string]any); ok {
					for mk, mv := range m {
						if _, set := out[mk]; !set {
							out[mk] = mv
						}
					}
				}
				continue
			}
			v, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// siblingLoader reads the files a document refers to (relative $refs),
// translated for the same side.
type siblingLoader struct {
	side Side
	v31  bool
}

func (l siblingLoader) Load(u string) (any, error) {
	path, err := jsonschema.FileLoader{}.ToFile(u)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := decode(data)
	if err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok {
		if _, isDoc := m["openapi"]; isDoc {
			return translateDocument(m, l.side, l.v31), nil
		}
		return translateFile(m, l.side, l.v31), nil
	}
	return v, nil
}

// Schema compiles the schema at a JSON pointer of the document (a pointer
// with a leading "#": "#/paths/~1pets/get/responses/200/content/application~1json/schema").
func (d *Document) Schema(s Side, pointer string) (*jsonschema.Schema, error) {
	sd := d.sides[s]
	sd.mu.Lock()
	defer sd.mu.Unlock()
	if c, ok := sd.cache[pointer]; ok {
		return c.schema, c.err
	}
	sch, err := sd.compiler.Compile(d.url + escapeFragment(pointer))
	sd.cache[pointer] = compiled{sch, err}
	return sch, err
}

// escapeFragment escapes a JSON pointer fragment for a URL.
func escapeFragment(pointer string) string {
	p := strings.TrimPrefix(pointer, "#")
	parts := strings.Split(p, "/")
	for i, t := range parts {
		parts[i] = url.PathEscape(t)
	}
	return "#" + strings.Join(parts, "/")
}

// Translated is the translated copy of one side (for tests and reports).
func (d *Document) Translated(s Side) map[string]any { return d.sides[s].doc }

// Resolve follows a JSON pointer ("#/a/b") through the original document,
// jumping through $ref objects on the way; it returns the value and its
// final pointer.
func (d *Document) Resolve(pointer string) (any, string) {
	return locate(d.Orig, pointer)
}

// locate walks a pointer through doc, following local $refs at each step.
func locate(doc map[string]any, pointer string) (any, string) {
	var cur any = doc
	at := "#"
	follow := func() {
		for guard := 0; guard < 32; guard++ {
			m, ok := cur.(map[string]any)
			if !ok {
				return
			}
			ref, ok := m["$ref"].(string)
			if !ok || !strings.HasPrefix(ref, "#") {
				return
			}
			at = ref
			cur = pointerGet(doc, ref)
		}
	}
	toks := strings.Split(strings.TrimPrefix(pointer, "#"), "/")
	for _, t := range toks[1:] {
		follow()
		key := unescapeToken(t)
		switch c := cur.(type) {
		case map[string]any:
			cur = c[key]
		case []any:
			i := 0
			if _, err := fmt.Sscanf(key, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return nil, ""
			}
			cur = c[i]
		default:
			return nil, ""
		}
		at += "/" + t
	}
	follow()
	if cur == nil {
		return nil, ""
	}
	return cur, at
}

// pointerGet is the value at a local pointer ("#/a/b"), nil when none.
func pointerGet(doc map[string]any, ref string) any {
	p := strings.TrimPrefix(ref, "#")
	if p == "" || p == "/" {
		return doc
	}
	var cur any = doc
	for _, t := range strings.Split(p, "/")[1:] {
		key := unescapeToken(t)
		switch c := cur.(type) {
		case map[string]any:
			cur = c[key]
		case []any:
			i := 0
			if _, err := fmt.Sscanf(key, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// follow follows a chain of $ref objects from a value of the file base,
// into sibling files too; it returns the value and the file it is in.
func (d *Document) follow(base string, v any) (any, string) {
	for guard := 0; guard < 32; guard++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v, base
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v, base
		}
		file, frag, _ := strings.Cut(ref, "#")
		if file != "" {
			base = filepath.Join(filepath.Dir(base), filepath.FromSlash(file))
		}
		doc := d.fileDoc(base)
		if doc == nil {
			return nil, base
		}
		v = pointerGet(doc, "#"+frag)
	}
	return v, base
}

// fileDoc is a file of the document as written (nil when unreadable).
func (d *Document) fileDoc(path string) map[string]any {
	if doc, ok := d.files[path]; ok {
		return doc
	}
	var doc map[string]any
	if data, err := os.ReadFile(path); err == nil {
		if v, err := decode(data); err == nil {
			doc, _ = v.(map[string]any)
		}
	}
	d.files[path] = doc
	return doc
}

// deref follows a chain of $ref objects in doc (local references only).
func deref(doc map[string]any, v any) any {
	seen := map[string]bool{}
	for {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#") || seen[ref] {
			return v
		}
		seen[ref] = true
		v = pointerGet(doc, ref)
	}
}

func unescapeToken(t string) string {
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// Token escapes one JSON pointer token.
func Token(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
