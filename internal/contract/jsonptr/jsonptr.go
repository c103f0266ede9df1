// Package jsonptr writes and reads RFC 6901 JSON pointers: the one place
// the project escapes a reference token ("~" as "~0", "/" as "~1").
//
//	jsonptr.Format("paths", "/pets/{id}", "get") // "/paths/~1pets~1{id}/get"
//	jsonptr.Token("a/b")                          // "a~1b"
//	jsonptr.Split("/paths/~1pets")                // ["paths", "/pets"]
package jsonptr

import "strings"

// Token escapes one reference token.
func Token(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Format builds a pointer from unescaped tokens: "" for none (the whole
// document).
func Format(tokens ...string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(Token(t))
	}
	return b.String()
}

// Append is p with more tokens.
func Append(p string, tokens ...string) string {
	return p + Format(tokens...)
}

// Unescape reverses Token.
func Unescape(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// Split returns a pointer's unescaped tokens; "" and "/" are the whole
// document and the empty key respectively, as RFC 6901 says. A pointer
// that does not begin with "/" is read as if it did.
func Split(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range parts {
		parts[i] = Unescape(t)
	}
	return parts
}
