package openapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/usererr"
)

// diagnose turns a failed load into diagnostics with places: a syntax
// error at its line and column, and every $ref that is dangling, leaves
// the spec's folder or is a URL, where it is written. kin-openapi's own
// message is the fallback. It runs only when loading failed, so the
// documents are parsed again only then.
func (l *loading) diagnose(data []byte, err error) {
	if d, bad := syntaxError(l.file, data); bad {
		l.add(d)
		return
	}
	s := &refScan{l: l, docs: map[string]*yaml.Node{}}
	s.docs[l.file] = parseNode(data)
	s.walk(l.file, s.docs[l.file], nil)
	if len(l.diags) > 0 {
		return
	}
	d := diag.Diagnostic{Code: diag.CodeInvalidDocument, Severity: diag.Error, File: l.file, Message: err.Error()}
	var re *RefError
	if errors.As(err, &re) {
		d.Code, d.Message = re.Code, re.Error()
	}
	l.add(d)
}

// parseNode parses YAML (or JSON) into a node tree, nil when it does not
// parse.
func parseNode(data []byte) *yaml.Node {
	var n yaml.Node
	if yaml.Unmarshal(data, &n) != nil {
		return nil
	}
	return &n
}

// syntaxError reports a document that is neither YAML nor JSON, at the
// line (and for JSON the column) where it breaks.
func syntaxError(file string, data []byte) (diag.Diagnostic, bool) {
	var n yaml.Node
	yerr := yaml.Unmarshal(data, &n)
	if yerr == nil {
		return diag.Diagnostic{}, false
	}
	d := diag.Diagnostic{Code: diag.CodeSyntax, Severity: diag.Error, File: file}
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var v any
		var se *json.SyntaxError
		jerr := json.Unmarshal(data, &v)
		if jerr == nil {
			return diag.Diagnostic{}, false // JSON yaml.v3 does not read: kin-openapi decides
		}
		if errors.As(jerr, &se) {
			d.Line, d.Col = lineCol(data, se.Offset)
			d.Message = "JSON syntax: " + se.Error()
			return d, true
		}
		d.Message = "JSON: " + jerr.Error()
		return d, true
	}
	// placed as every YAML file of the user's is (go-yaml v4's parser:
	// the line and column of the problem, or where an unclosed bracket
	// or quote opens)
	if e, ok := usererr.YAMLSyntax(file, data); ok && e.Line > 0 {
		d.Line, d.Col, d.Message, d.Fix = e.Line, e.Col, e.Problem, e.Fix
		return d, true
	}
	// yaml.v3 words syntax errors "yaml: line N: reason" and has no
	// error type that carries the line.
	msg := strings.TrimPrefix(yerr.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, reason, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				d.Line, msg = n, reason
			}
		}
	}
	d.Message = "YAML syntax: " + msg
	return d, true
}

// lineCol is the 1-based line and column of a byte offset (the byte after
// the offset, as encoding/json counts).
func lineCol(data []byte, offset int64) (int, int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset > 0 {
		offset-- // encoding/json's offset is just past the bad byte
	}
	before := data[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// refScan walks the $refs of the documents of one load.
type refScan struct {
	l    *loading
	docs map[string]*yaml.Node // by file of fsys; nil: unreadable or broken
}

// walk checks every $ref of the node tree n of file; ptr is n's pointer.
func (s *refScan) walk(file string, n *yaml.Node, ptr []string) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			s.walk(file, c, ptr)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
				s.check(file, v, ptr)
				continue
			}
			s.walk(file, v, append(slices.Clip(ptr), k.Value))
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			s.walk(file, c, append(slices.Clip(ptr), strconv.Itoa(i)))
		}
	}
}

// check reports a $ref (the node of its value) of file that does not
// resolve.
func (s *refScan) check(file string, ref *yaml.Node, ptr []string) {
	bad := func(code diag.Code, msg, fix string) {
		s.l.add(diag.Diagnostic{Code: code, Severity: diag.Error, File: file, Line: ref.Line, Col: ref.Column,
			Pointer: jsonptr.Format(ptr...), Message: fmt.Sprintf("$ref %q: %s", ref.Value, msg), Fix: fix})
	}
	u, err := url.Parse(ref.Value)
	if err != nil {
		bad(diag.CodeDanglingRef, "not a reference: "+err.Error(), `write "#/components/schemas/Name" or "file.yaml#/Name"`)
		return
	}
	target := file
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(u.Path, "/") {
		bad(diag.CodeRefNotFile, "a URL or an absolute path: only files of the spec's folder are read",
			"copy what it names into the spec's folder and refer to it by a relative path")
		return
	}
	if u.Path != "" {
		target = path.Clean(path.Join(path.Dir(file), u.Path))
		if !within(s.l.root, target) {
			bad(diag.CodeRefOutside, "outside the spec's folder: only files of the folder and below are read",
				"move "+u.Path+" into the spec's folder (or below it)")
			return
		}
		if _, seen := s.docs[target]; !seen {
			data, err := source.ReadFS(s.l.fsys, target, s.l.opts.Display(target), s.l.opts.MaxBytes)
			s.docs[target] = nil
			switch {
			case err != nil:
				var el *diag.ErrorList
				msg := err.Error()
				if errors.As(err, &el) && len(el.List) > 0 {
					msg = el.List[0].Message
				}
				bad(diag.CodeDanglingRef, "file "+s.l.opts.Display(target)+": "+msg, "")
				return
			default:
				if d, broken := syntaxError(target, data); broken {
					s.l.add(d)
					return
				}
				s.docs[target] = parseNode(data)
				s.walk(target, s.docs[target], nil)
			}
		}
	}
	root := s.docs[target]
	if root == nil {
		return // reported already
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	tokens := jsonptr.Split(u.Fragment)
	where := u.Path + "#"
	for i, tok := range tokens {
		next, names := child(n, tok)
		if next == nil {
			parent := where + jsonptr.Format(tokens[:i]...)
			if i == 0 {
				parent = "the top of " + cmp.Or(u.Path, "the document")
			}
			fix := ""
			if len(names) > 0 {
				fix = "name one that exists (" + strings.Join(names, ", ") + ") or define " + strconv.Quote(tok) + " there"
			} else if n.Kind == yaml.MappingNode {
				fix = "define " + strconv.Quote(tok) + " there"
			}
			bad(diag.CodeDanglingRef, fmt.Sprintf("no %q under %s", tok, parent), fix)
			return
		}
		n = next
	}
}

// maxNames bounds the names a dangling $ref's fix lists.
const maxNames = 12

// child is the value under tok in a mapping (or at index tok in a
// sequence); when there is none, the names there are (sorted, at most
// maxNames).
func child(n *yaml.Node, tok string) (*yaml.Node, []string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		var names []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i+1], nil
			}
			names = append(names, n.Content[i].Value)
		}
		slices.Sort(names)
		if len(names) > maxNames {
			names = append(names[:maxNames], "…")
		}
		return nil, names
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], nil
		}
	}
	return nil, nil
}
