package journal

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"unicode/utf8"
)

// redactJSON returns a JSON body with the values under secret names cut to
// their Redact prefix, in one pass and without decoding the body: the
// string or number value of a member whose name is secret (a number
// becomes the string of its prefix, so valid JSON stays valid), and every
// string and number of an array (at any depth of arrays) that such a
// member holds; an object such a member holds is left to its own names.
// A string is a name when a colon follows it. Names are compared with
// their escapes decoded.
//
// The body may be cut short (the journal keeps at most DefaultMaxBody
// bytes): a value cut off is redacted up to the end. From the first byte
// that cannot be JSON text on (a body that is not JSON at all), the body
// is read as the regular expression this replaces read it (redactPairs),
// so that nothing it redacted is kept. A body with nothing secret is
// returned as it is (no copy).
func redactJSON(in []byte) []byte {
	r := redactor{in: in}
	// stack holds, per open array or object, whether it is an array whose
	// scalars are secret.
	var stackBuf [32]bool
	stack := stackBuf[:0]
	member := false  // the next value is a member's (after its name's colon)
	pending := false // that member's name is secret
	n := len(in)
	for i := 0; i < n; {
		switch c := in[i]; c {
		case ' ', '\t', '\n', '\r', '\f':
			i++
		case '"':
			end, st, escaped := scanString(in, i+1)
			switch {
			case st == stuck && end+1 < n:
				// A backslash before a line break: not JSON, and not a
				// string to the regular expression either.
				return r.redactPairs(i)
			case st != closed:
				if pending || top(stack) {
					r.redactString(i, n, false)
				}
				return r.result()
			}
			// A name, unless a member's value is due: a string after a
			// name's colon is its value whatever follows (a colon after
			// it is not JSON, found next).
			if j := skipSpace(in, end+1); !member && j < n && in[j] == ':' {
				member, pending = true, secretKey(in[i+1:end], escaped)
				i = j + 1
				continue
			}
			if pending || top(stack) {
				r.redactString(i, end, true)
			}
			member, pending = false, false
			i = end + 1
		case '{':
			stack = append(stack, false)
			member, pending = false, false
			i++
		case '[':
			stack = append(stack, pending || top(stack))
			member, pending = false, false
			i++
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			member, pending = false, false
			i++
		case ',':
			member, pending = false, false
			i++
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			end := numberEnd(in, i)
			if pending || top(stack) {
				r.redactNumber(i, end)
			}
			member, pending = false, false
			i = end
		case 't', 'f', 'n':
			lit := literalLen(in[i:])
			if lit == 0 {
				return r.redactPairs(i)
			}
			member, pending = false, false
			i += lit
		default:
			return r.redactPairs(i)
		}
	}
	return r.result()
}

// top reports whether the innermost open container is a secret array.
func top(stack []bool) bool { return len(stack) > 0 && stack[len(stack)-1] }

// redactPairs finishes the redaction of a body that is not JSON from the
// byte at from on (everything before it was read as JSON text and
// redacted). It reads the body as the regular expression
// `"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)("?)` did: from the
// start, the leftmost "name": "value" pair (the value complete, or cut off
// at the end or before a backslash that escapes nothing), then the next
// after it, each redacted when its name is secret; a number after a secret
// name is redacted too. The pairs whose value starts before from were
// redacted already when they were secret (a name or value before from is
// a string of the JSON text, and a pair the expression finds there at
// other quotes names no secret: its name is text between strings).
//
// A search for a pair that fails at one quote goes on at the quote that
// closes the string opened there: at the quotes in between (escaped ones)
// it would fail the same way. So every byte is read a bounded number of
// times, unlike a search at every quote.
func (r *redactor) redactPairs(from int) []byte {
	in, n := r.in, len(r.in)
	for i := 0; ; {
		q := bytes.IndexByte(in[i:], '"')
		if q < 0 {
			break
		}
		q += i
		end, st, escaped := scanString(in, q+1)
		switch {
		case st == open:
			// From every later quote, a string reads on as this one does.
			return r.result()
		case st == stuck:
			i = end + 1
			continue
		}
		j := skipSpace(in, end+1)
		if j >= n || in[j] != ':' {
			i = end
			continue
		}
		k := skipSpace(in, j+1)
		switch {
		case k < n && in[k] == '"':
			vend, vst, _ := scanString(in, k+1)
			if k >= from && secretKey(in[q+1:end], escaped) {
				r.redactString(k, vend, vst == closed)
			}
			if vst != closed {
				// The pair ends where its value stops.
				i = vend
				if vend >= n {
					return r.result()
				}
				continue
			}
			i = vend + 1
		case k < n && k >= from && (in[k] == '-' || '0' <= in[k] && in[k] <= '9') && secretKey(in[q+1:end], escaped):
			r.redactNumber(k, numberEnd(in, k))
			// The expression found no pair here: it went on at the
			// closing quote, and so does this search.
			i = end
		default:
			i = end
		}
	}
	return r.result()
}

// How a string read by scanString ends.
const (
	closed = iota // at its closing quote
	open          // at the end of the body
	stuck         // at a backslash that escapes nothing (before a line break, or last)
)

// redactor builds the redacted copy of a body lazily: out stays nil until
// the first change, and in[last:] is what is not yet copied.
type redactor struct {
	in   []byte
	out  []byte
	last int
}

// cut copies the body up to from into out, the place of a redacted value.
func (r *redactor) cut(from int) {
	if r.out == nil {
		r.out = make([]byte, 0, len(r.in))
	}
	r.out = append(r.out, r.in[r.last:from]...)
}

// redactString redacts the string opened at open and closed at end (the
// closing quote's index), or cut off at end when !closed.
func (r *redactor) redactString(open, end int, closed bool) {
	r.cut(open)
	r.out = append(r.out, '"')
	r.out = appendRedacted(r.out, r.in[open+1:end])
	r.last = end
	if closed {
		r.out = append(r.out, '"')
		r.last = end + 1
	}
}

// redactNumber replaces the number in[from:to] by the string of its
// Redact prefix.
func (r *redactor) redactNumber(from, to int) {
	r.cut(from)
	r.out = append(r.out, '"')
	r.out = appendRedacted(r.out, r.in[from:to])
	r.out = append(r.out, '"')
	r.last = to
}

func (r *redactor) result() []byte {
	if r.out == nil {
		return r.in
	}
	return append(r.out, r.in[r.last:]...)
}

// appendRedacted appends Redact of the raw text of a JSON string (or
// number), its prefix cut before any escape sequence, so that the result
// is the text of a valid JSON string.
func appendRedacted(out, raw []byte) []byte {
	if len(raw) == 0 {
		return out // "" stays "", as Redact keeps it
	}
	p := min(8, len(raw)/3)
	// Do not cut a UTF-8 sequence.
	for p > 0 && p < len(raw) && !utf8.RuneStart(raw[p]) {
		p--
	}
	prefix := raw[:p]
	if i := bytes.IndexByte(prefix, '\\'); i >= 0 {
		prefix = prefix[:i]
	}
	out = append(out, prefix...)
	return append(out, "…"...)
}

// scanString reads the string whose text starts at from: its end (the
// index of the closing quote, of the backslash it is stuck at, or len(in)
// when open), how it ends, and whether it has an escape. A backslash
// escapes the next byte, any but a line break, as "\\." does in the
// regular expression. (A byte loop, eight bytes at a time while none is a
// quote or a backslash: the strings of a body are mostly short, where it
// beats bytes.IndexByte, and the backslashes before a quote need no
// counting.)
func scanString(in []byte, from int) (end, how int, escaped bool) {
	i := from
	for i+8 <= len(in) {
		w := binary.LittleEndian.Uint64(in[i:])
		if hasByte(w, '"')|hasByte(w, '\\') != 0 {
			break
		}
		i += 8
	}
	for ; i < len(in); i++ {
		switch in[i] {
		case '"':
			return i, closed, escaped
		case '\\':
			if i+1 == len(in) || in[i+1] == '\n' {
				return i, stuck, escaped
			}
			escaped = true
			i++
		}
	}
	return len(in), open, escaped
}

// hasByte is not zero when one of the eight bytes of w is b.
func hasByte(w uint64, b byte) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := w ^ (ones * uint64(b))
	return (x - ones) &^ x & highs
}

// secretKey reports whether the raw text of a JSON member name is secret,
// its escapes (if escaped) decoded ("\u0074oken" is a token).
func secretKey(raw []byte, escaped bool) bool {
	if !escaped {
		return secretText(raw)
	}
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	var name string
	if json.Unmarshal(quoted, &name) != nil {
		return secretText(raw)
	}
	return secretName(name) || secretText(raw)
}

// skipSpace returns the index of the first byte at or after i that is not
// white space (JSON's, and the form feed \s also matched).
func skipSpace(in []byte, i int) int {
	for i < len(in) {
		switch in[i] {
		case ' ', '\t', '\n', '\r', '\f':
			i++
		default:
			return i
		}
	}
	return i
}

// numberEnd returns the end of the number (or number-like run) at i.
func numberEnd(in []byte, i int) int {
	for i < len(in) {
		switch c := in[i]; {
		case '0' <= c && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			i++
		default:
			return i
		}
	}
	return i
}

// literalLen returns the length of the literal true, false or null that
// b starts with (also cut off at its end), or 0.
func literalLen(b []byte) int {
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(b) >= len(lit) && string(b[:len(lit)]) == lit {
			return len(lit)
		}
		if len(b) < len(lit) && string(b) == lit[:len(b)] {
			return len(b)
		}
	}
	return 0
}
