package usererr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSONError places an error of json.Unmarshal on data, the content of
// file: a syntax error at the offending character, a value of the wrong
// type at that value. what names what the file must hold ("a JSON array of
// records"), for the fix. Other errors are returned as they are.
func JSONError(file string, data []byte, err error, what string) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := max(int(se.Offset)-1, 0) // Offset is after the offending byte
		fix := "check the JSON syntax here: a missing comma, quote or bracket, or a trailing comma"
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			off = len(data)
			fix = "the file ends early: close every [ and {"
		}
		line, col := LineCol(data, off)
		return &Error{Place: Place{File: file, Line: line, Col: col}, Problem: "JSON syntax: " + se.Error(), Fix: fix, Err: err}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		off := valueStart(data, int(te.Offset))
		line, col := LineCol(data, off)
		problem := fmt.Sprintf("a JSON %s where %s is wanted", te.Value, what)
		if te.Field != "" {
			problem = fmt.Sprintf("%s: a JSON %s where a %s is wanted", te.Field, te.Value, te.Type)
		}
		return &Error{Place: Place{File: file, Line: line, Col: col}, Problem: problem, Fix: "the file must hold " + what, Err: err}
	}
	return err
}

// valueStart is where the value that encoding/json's
// UnmarshalTypeError.Offset points at begins: the offset is after a
// scalar, or after the opening bracket of a collection.
func valueStart(data []byte, off int) int {
	i := skipSpace(data, 0)
	for {
		end := skipValue(data, i)
		switch {
		case end <= i || off < i || off > end:
			return max(min(off, len(data))-1, 0)
		case end == off || i+1 == off && isOpen(data[i]):
			return i
		case !isOpen(data[i]):
			return i
		}
		next := -1
		for _, m := range members(data, i) {
			if m.value < off && off <= skipValue(data, m.value) {
				next = m.value
				break
			}
		}
		if next < 0 {
			return i
		}
		i = next
	}
}

func isOpen(c byte) bool { return c == '[' || c == '{' }

// member is one element of a JSON array (key "") or member of an object:
// where its value starts.
type member struct {
	key   string
	value int
}

// members lists the elements or members of the collection at i.
func members(data []byte, i int) []member {
	if i >= len(data) || !isOpen(data[i]) {
		return nil
	}
	var out []member
	obj := data[i] == '{'
	j := skipSpace(data, i+1)
	for j < len(data) && data[j] != ']' && data[j] != '}' {
		var key string
		if obj {
			kend := skipValue(data, j)
			if json.Unmarshal(data[j:kend], &key) != nil {
				return out
			}
			j = skipSpace(data, kend)
			if j >= len(data) || data[j] != ':' {
				return out
			}
			j = skipSpace(data, j+1)
		}
		end := skipValue(data, j)
		if end <= j {
			return out
		}
		out = append(out, member{key, j})
		j = skipSpace(data, end)
		if j < len(data) && data[j] == ',' {
			j = skipSpace(data, j+1)
		}
	}
	return out
}

// JSONPlace is the place in file of the value at an RFC 6901 pointer in
// data (valid JSON), or of the deepest value on the way when the rest is
// missing (a required field absent: its record).
func JSONPlace(file string, data []byte, pointer string) Place {
	i := skipSpace(data, 0)
	var toks []string
	if pointer != "" {
		toks = strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	}
	for _, tok := range toks {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next := child(data, i, tok)
		if next < 0 {
			break
		}
		i = next
	}
	line, col := LineCol(data, i)
	return Place{File: file, Line: line, Col: col}
}

// child is the start of the member tok of the object, or element tok of
// the array, at i; -1 if there is none.
func child(data []byte, i int, tok string) int {
	obj := i < len(data) && data[i] == '{'
	for k, m := range members(data, i) {
		if obj && m.key == tok || !obj && strconv.Itoa(k) == tok {
			return m.value
		}
	}
	return -1
}

// skipValue is the end of the JSON value starting at i (i itself when
// there is none).
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		for j := i + 1; j < len(data); j++ {
			switch data[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(data)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipValue(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for j < len(data) && !isSpace(data[j]) && bytes.IndexByte([]byte(",]}:"), data[j]) < 0 {
		j++
	}
	return j
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// LineCol is the line and column (from 1; the column in characters) of a
// byte offset in data.
func LineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, utf8.RuneCount(data[start:off]) + 1
}
