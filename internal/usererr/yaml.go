package usererr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml4 "go.yaml.in/yaml/v4"
	"gopkg.in/yaml.v3"
)

// DecodeYAML decodes data, the content of file, into out (a pointer) as
// yaml.v3 does with KnownFields, and returns the document's tree for
// placing later errors (YAMLPlace). Every mistake becomes an *Error with
// its line, column and fix, joined: a syntax error (placed by the
// go-yaml v4 parser, which knows the column yaml.v3's message drops), and
// else every unknown or repeated key and every value of the wrong type
// (found by walking the tree against out's type). An empty document
// decodes nothing: the tree's Kind is then 0.
func DecodeYAML(file string, data []byte, out any) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(file, data, err)
	}
	if root.Kind == 0 {
		return &root, nil
	}
	c := &checker{file: file, data: data, budget: walkBudget(&root)}
	c.value(root.Content[0], typeOf(out), nil)
	if len(c.errs) > 0 {
		return &root, errors.Join(c.errs...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(out); err != nil && !errors.Is(err, io.EOF) {
		// a mistake the walk did not foresee: yaml.v3's own message,
		// placed at its line
		return &root, decodeError(file, data, err)
	}
	return &root, nil
}

// YAMLPlace is the place in file of the value at keys under node (a
// document or mapping node; keys are mapping keys, or list indexes in
// decimal), or of the deepest key found when the rest is missing.
func YAMLPlace(file string, node *yaml.Node, keys ...string) Place {
	p, _ := yamlPlace(file, node, false, keys)
	return p
}

// YAMLFind is YAMLPlace, and whether every one of keys is in the tree.
func YAMLFind(file string, node *yaml.Node, keys ...string) (Place, bool) {
	return yamlPlace(file, node, false, keys)
}

// YAMLKeyPlace is the place in file of the last of keys itself (a
// mistake in a key, not in its value), or of the deepest key found.
func YAMLKeyPlace(file string, node *yaml.Node, keys ...string) Place {
	p, _ := yamlPlace(file, node, true, keys)
	return p
}

func yamlPlace(file string, node *yaml.Node, atKey bool, keys []string) (Place, bool) {
	n := node
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	p := Place{File: file}
	if n != nil && n.Line > 0 {
		p.Line, p.Col = n.Line, n.Column
	}
	for i, k := range keys {
		var next *yaml.Node
		switch {
		case n == nil:
		case n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					p.Line, p.Col = n.Content[i].Line, n.Content[i].Column
					next = n.Content[i+1]
				}
			}
		case n.Kind == yaml.SequenceNode:
			if j, err := strconv.Atoi(k); err == nil && j >= 0 && j < len(n.Content) {
				next = n.Content[j]
				if next.Line > 0 {
					p.Line, p.Col = next.Line, next.Column // an item: itself
				}
			}
		}
		if next == nil {
			return p, false
		}
		if atKey && i == len(keys)-1 {
			return p, true
		}
		n = next
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Line > 0 && (n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode || n.Line == p.Line) {
			// a scalar, or a collection on its key's line: point at the
			// value; a block collection below its key: at the key
			p.Line, p.Col = n.Line, n.Column
		}
	}
	return p, true
}

// YAMLSyntax is the YAML syntax error of data (file names it), placed as
// DecodeYAML places it, and true; nil and false when data parses.
func YAMLSyntax(file string, data []byte) (*Error, bool) {
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
	if err == nil {
		return nil, false
	}
	var e *Error
	if !errors.As(syntaxError(file, data, err), &e) {
		return nil, false
	}
	return e, true
}

// syntaxError places a YAML syntax error. yaml.v3 names a line only, and
// often the line where the enclosing construct starts; the go-yaml v4
// parser (the same parser, maintained) gives line and column of the
// problem and of its context.
func syntaxError(file string, data []byte, err error) error {
	var n yaml4.Node
	var le *yaml4.LoadError
	if err4 := yaml4.Unmarshal(data, &n); errors.As(err4, &le) && le.Mark.Line > 0 {
		e := &Error{Place: Place{File: file, Line: le.Mark.Line, Col: le.Mark.Column}, Err: err}
		e.Problem, e.Fix = syntaxAdvice(le.Message, le.ContextMsg, data, le)
		if opens(le.ContextMsg) && le.ContextMark.Line > 0 {
			// an unclosed quote or bracket: where it opens is what to fix
			e.Problem = fmt.Sprintf("%s (found at %d:%d)", e.Problem, le.Mark.Line, le.Mark.Column)
			e.Line, e.Col = le.ContextMark.Line, le.ContextMark.Column
		}
		return e
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, rest := lineOf(msg)
	e := &Error{Place: Place{File: file, Line: line, Col: firstColumn(data, line)}, Err: err}
	e.Problem, e.Fix = syntaxAdvice(rest, "", data, nil)
	return e
}

func opens(contextMsg string) bool {
	return strings.Contains(contextMsg, "quoted scalar") || strings.Contains(contextMsg, "flow sequence") || strings.Contains(contextMsg, "flow mapping")
}

// syntaxAdvice says in words what a parser message means and what to do.
func syntaxAdvice(msg, contextMsg string, data []byte, le *yaml4.LoadError) (problem, fix string) {
	problem = "YAML syntax: " + msg
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		return problem, `a value that holds ": " must be quoted, and a nested key goes on a line of its own, indented under its parent`
	case strings.Contains(msg, "did not find expected key"):
		return problem, "the keys of one mapping start in the same column: check this line's indentation"
	case strings.Contains(msg, "did not find expected '-' indicator"):
		return problem, `the items of one list start with "- " in the same column: check this line's indentation`
	case strings.Contains(msg, "tab character"):
		return problem, "indent with spaces, not tabs"
	case strings.Contains(msg, "cannot start any token"):
		if le != nil && charAt(data, le.Mark.Line, le.Mark.Column) == '\t' {
			return problem, "indent with spaces, not tabs"
		}
		return problem, "quote a value that starts with @, ` or another reserved character"
	case strings.Contains(msg, "expected ',' or ']'"):
		return "YAML syntax: a list in [ ] is not closed", "close it with ] and separate its items with commas"
	case strings.Contains(msg, "expected ',' or '}'"):
		return "YAML syntax: a mapping in { } is not closed", "close it with } and separate its entries with commas"
	case strings.Contains(msg, "did not find expected node content") && strings.Contains(contextMsg, "flow"):
		return "YAML syntax: a list in [ ] or a mapping in { } is not closed", "close every [ with ] and every { with }"
	case strings.Contains(contextMsg, "quoted scalar"):
		return "YAML syntax: a quoted value is not closed", "close the quote (a single quote inside '…' is written twice)"
	case strings.Contains(msg, "unknown anchor"):
		return problem, "define the anchor (&name) before the alias (*name) refers to it, or quote a value that starts with *"
	case strings.Contains(msg, "could not find expected ':'"):
		return problem, `write "key: value", with a space after the colon`
	case strings.Contains(msg, "block sequence entries are not allowed"):
		return problem, `start a list on the line after its key, each item indented and starting with "- "`
	}
	return problem, "check the YAML syntax at this place"
}

// charAt is the character at a line and column (from 1) of data, or 0.
func charAt(data []byte, line, col int) rune {
	l := lineText(data, line)
	for i, r := range []rune(l) {
		if i == col-1 {
			return r
		}
	}
	return 0
}

func lineText(data []byte, line int) string {
	if line <= 0 {
		return ""
	}
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return string(data)
}

// firstColumn is the column of the first character that is not a space
// on a line (1 for a blank line, 0 for no line).
func firstColumn(data []byte, line int) int {
	if line <= 0 {
		return 0
	}
	l := lineText(data, line)
	trimmed := strings.TrimLeft(l, " \t")
	return utf8.RuneCountInString(l[:len(l)-len(trimmed)]) + 1
}

var lineRE = regexp.MustCompile(`^line (\d+): `)

// lineOf splits yaml.v3's "line N: message".
func lineOf(msg string) (int, string) {
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	n, _ := strconv.Atoi(m[1])
	return n, msg[len(m[0]):]
}

// decodeError places an error yaml.v3's decoder returned that the walk
// did not foresee: each "line N: message" at the line's first character.
func decodeError(file string, data []byte, err error) error {
	if e, ok := Find(err); ok {
		return InFile(e, file)
	}
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var errs []error
	for _, m := range msgs {
		line, rest := lineOf(m)
		errs = append(errs, &Error{Place: Place{File: file, Line: line, Col: firstColumn(data, line)}, Problem: rest,
			Fix: "see the file's documented format", Err: err})
	}
	return errors.Join(errs...)
}
