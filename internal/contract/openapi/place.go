package openapi

import (
	"bytes"
	"io/fs"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/contract/source"
)

// Place gives a line and column to the diagnostics of list that are about
// the document file of fsys (their File is empty or the file as opts
// names it), have a JSON pointer and no line: the stages after loading
// (inference, the REST engine) know where in the document a warning is,
// not where it is written. The file is read again and, for YAML, parsed
// again, only when a diagnostic needs it; a pointer the document does not
// hold takes the place of its longest prefix that it does. Diagnostics
// without File get the file's name.
func Place(fsys fs.FS, file string, opts Options, list diag.List) {
	name := opts.Display(file)
	var ptrs []string
	for i := range list {
		d := &list[i]
		if d.File == "" {
			d.File = name
		}
		if d.File == name && d.Line == 0 && d.Pointer != "" {
			ptrs = append(ptrs, d.Pointer)
		}
	}
	if len(ptrs) == 0 {
		return
	}
	data, err := source.ReadFS(fsys, file, name, opts.MaxBytes)
	if err != nil {
		return
	}
	var at map[string]source.Pos
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		at = source.LocateJSON(data, ptrs)
	} else {
		at = locateYAML(data, ptrs)
	}
	for i := range list {
		d := &list[i]
		if pos, ok := at[d.Pointer]; ok && d.File == name && d.Line == 0 {
			d.Line, d.Col = pos.Line, pos.Col
		}
	}
}

// locateYAML places pointers in a YAML document (a member at its key, an
// element at its value), each at its longest prefix the document holds.
func locateYAML(data []byte, ptrs []string) map[string]source.Pos {
	root := parseNode(data)
	if root == nil {
		return nil
	}
	out := map[string]source.Pos{}
	for _, p := range ptrs {
		n := root
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = n.Content[0]
		}
		pos := source.Pos{Line: n.Line, Col: n.Column}
		for _, tok := range jsonptr.Split(p) {
			key, val := member(n, tok)
			if val == nil {
				break
			}
			pos = source.Pos{Line: key.Line, Col: key.Column}
			n = val
		}
		out[p] = pos
	}
	return out
}

// member is the key node (the element itself in a sequence) and value
// node under tok; nil when there is none.
func member(n *yaml.Node, tok string) (*yaml.Node, *yaml.Node) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i], n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], n.Content[i]
		}
	}
	return nil, nil
}
