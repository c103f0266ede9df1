package source

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standin/standin/internal/contract/jsonptr"
)

// Pos is a 1-based line and column (in characters) in a document.
type Pos struct {
	Line, Col int
}

// maxLocateDepth bounds the nesting LocateJSON descends into: a document
// nested deeper is located no further (never a stack overflow).
const maxLocateDepth = 2048

// LocateJSON finds where the given RFC 6901 pointers are written in a JSON
// document, in one pass over it: an object member at its key, an array
// element at its first character. A pointer the document does not hold
// takes the place of its longest prefix that it does. Pointers it cannot
// place at all (data that is not JSON) are absent from the result.
//
// kin-openapi records lines only for YAML; a JSON document's diagnostics
// are placed with this instead. Only the subtrees on the way to a pointer
// are decoded, the rest is skipped, so a 13 MB document takes tens of
// milliseconds.
func LocateJSON(data []byte, pointers []string) map[string]Pos {
	if len(pointers) == 0 {
		return nil
	}
	l := &locator{data: data, line: 1, wanted: map[string]bool{}, found: map[string]Pos{}}
	for _, p := range pointers {
		for q := p; ; {
			l.wanted[q] = true
			i := strings.LastIndexByte(q, '/')
			if i < 0 {
				break
			}
			q = q[:i]
		}
	}
	l.skipSpace()
	if l.i < len(l.data) {
		l.found[""] = l.pos(l.i)
		l.value("", 0)
	}
	out := make(map[string]Pos, len(pointers))
	for _, p := range pointers {
		for q := p; ; {
			if pos, ok := l.found[q]; ok {
				out[p] = pos
				break
			}
			i := strings.LastIndexByte(q, '/')
			if i < 0 {
				break
			}
			q = q[:i]
		}
	}
	return out
}

type locator struct {
	data []byte
	i    int
	// line and lineStart count lines as the scan passes them.
	line, lineStart int
	wanted          map[string]bool // the pointers and their prefixes
	found           map[string]Pos
	bad             bool
}

// pos is the place of byte offset at (at or after the scan's line start).
func (l *locator) pos(at int) Pos {
	return Pos{Line: l.line, Col: utf8.RuneCount(l.data[l.lineStart:at]) + 1}
}

func (l *locator) skipSpace() {
	for l.i < len(l.data) {
		switch l.data[l.i] {
		case '\n':
			l.line++
			l.lineStart = l.i + 1
		case ' ', '\t', '\r':
		default:
			if l.i == 0 && bytes.HasPrefix(l.data, []byte("\ufeff")) {
				l.i += 3
				continue
			}
			return
		}
		l.i++
	}
}

// value reads the value at pointer ptr (which is wanted); its subtrees are
// read when wanted, skipped otherwise.
func (l *locator) value(ptr string, depth int) {
	if l.bad || l.i >= len(l.data) {
		return
	}
	if depth > maxLocateDepth {
		l.bad = true
		return
	}
	switch l.data[l.i] {
	case '{':
		l.i++
		for !l.bad {
			l.skipSpace()
			if l.i >= len(l.data) {
				l.bad = true
				return
			}
			if l.data[l.i] == '}' {
				l.i++
				return
			}
			if l.data[l.i] == ',' {
				l.i++
				continue
			}
			at := l.pos(l.i)
			key, ok := l.str()
			if !ok {
				l.bad = true
				return
			}
			l.skipSpace()
			if l.i >= len(l.data) || l.data[l.i] != ':' {
				l.bad = true
				return
			}
			l.i++
			l.skipSpace()
			child, from := ptr+"/"+jsonptr.Token(key), l.i
			if l.wanted[child] {
				l.found[child] = at
				l.value(child, depth+1)
			} else {
				l.skip()
			}
			if l.i == from {
				l.bad = true // a "]" or "," where a value should be
			}
		}
	case '[':
		l.i++
		for n := 0; !l.bad; {
			l.skipSpace()
			if l.i >= len(l.data) {
				l.bad = true
				return
			}
			if l.data[l.i] == ']' {
				l.i++
				return
			}
			if l.data[l.i] == ',' {
				l.i++
				n++
				continue
			}
			child, at := ptr+"/"+strconv.Itoa(n), l.i
			if l.wanted[child] {
				l.found[child] = l.pos(l.i)
				l.value(child, depth+1)
			} else {
				l.skip()
			}
			if l.i == at {
				l.bad = true // a "}" where an element should be
			}
		}
	default:
		l.skip()
	}
}

// str reads a string at the scan's place and returns it decoded.
func (l *locator) str() (string, bool) {
	if l.i >= len(l.data) || l.data[l.i] != '"' {
		return "", false
	}
	start, escaped := l.i, false
	for l.i++; l.i < len(l.data); l.i++ {
		switch l.data[l.i] {
		case '\\':
			escaped = true
			l.i++
		case '"':
			l.i++
			raw := l.data[start:l.i]
			if !escaped {
				return string(raw[1 : len(raw)-1]), true
			}
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return "", false
			}
			return s, true
		case '\n':
			return "", false
		}
	}
	return "", false
}

// skip passes over one value without decoding it, counting its lines.
func (l *locator) skip() {
	depth := 0
	for l.i < len(l.data) {
		switch c := l.data[l.i]; c {
		case '"':
			if _, ok := l.str(); !ok {
				l.bad = true
				return
			}
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return // the end of the enclosing value
			}
			depth--
			if depth == 0 {
				l.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		case '\n':
			l.line++
			l.lineStart = l.i + 1
		}
		l.i++
	}
}
