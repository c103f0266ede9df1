package sdlmodel

import (
	"strings"
	"unicode"
)

// LowerCamel lower-cases a type name's leading capitals as a field name
// would spell it: "PullRequest" is "pullRequest", "URLResource"
// "urlResource", "ID" "id".
func LowerCamel(s string) string {
	r := []rune(s)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	switch {
	case i == 0:
		return s
	case i == 1 || i == len(r):
		i = min(i, len(r))
	default:
		i-- // the last capital starts the next word: URLResource
	}
	for j := 0; j < i; j++ {
		r[j] = unicode.ToLower(r[j])
	}
	return string(r)
}

// Plural is an English plural good enough for collection names.
func Plural(s string) string {
	low := strings.ToLower(s)
	switch {
	case strings.HasSuffix(low, "s"), strings.HasSuffix(low, "x"), strings.HasSuffix(low, "z"),
		strings.HasSuffix(low, "ch"), strings.HasSuffix(low, "sh"):
		return s + "es"
	case strings.HasSuffix(low, "y") && len(s) > 1 && !strings.ContainsAny(low[len(low)-2:len(low)-1], "aeiou"):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(low, "lf"):
		return s[:len(s)-1] + "ves"
	}
	return s + "s"
}

// UpperSnake spells a type name as an enum value would: "PullRequest" is
// "PULL_REQUEST".
func UpperSnake(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(c))
	}
	return b.String()
}

// CamelOfEnum spells an enum value as a field name: "CREATED_AT" is
// "createdAt", "NAME" "name".
func CamelOfEnum(v string) string {
	parts := strings.Split(strings.ToLower(v), "_")
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
			continue
		}
		b.WriteString(p)
	}
	return b.String()
}

// SplitVerb splits a mutation name into its leading verb and the rest:
// "addStar" is ("add", "Star"), "deleteIssueComment" ("delete",
// "IssueComment").
func SplitVerb(name string) (verb, noun string) {
	for i, c := range name {
		if unicode.IsUpper(c) || unicode.IsDigit(c) {
			return name[:i], name[i:]
		}
	}
	return name, ""
}

// irregular participles of the verbs mutations use.
var irregular = map[string]string{
	"hide": "hidden", "unhide": "hidden", "set": "set", "reset": "reset", "put": "put",
	"begin": "begun", "write": "written", "reopen": "closed",
}

// Participle is a verb's past participle ("close" closed, "lock" locked,
// "pin" pinned, "archive" archived); un- verbs give the participle they
// undo ("unlock" locked), and Negated says so.
func Participle(verb string) string {
	if p, ok := irregular[verb]; ok {
		return p
	}
	v := strings.TrimPrefix(verb, "un")
	switch {
	case v == "":
		return ""
	case strings.HasSuffix(v, "e"):
		return v + "d"
	case strings.HasSuffix(v, "y") && len(v) > 1 && !strings.ContainsAny(v[len(v)-2:len(v)-1], "aeiou"):
		return v[:len(v)-1] + "ied"
	case len(v) >= 3 && isCVC(v):
		return v + v[len(v)-1:] + "ed"
	}
	return v + "ed"
}

// Negated reports whether a verb undoes its participle's state ("unlock",
// "reopen").
func Negated(verb string) bool {
	return verb == "reopen" || strings.HasPrefix(verb, "un") && len(verb) > 2
}

// isCVC: a short verb ending consonant-vowel-consonant doubles its last
// letter ("pin" pinned, "star" starred), except after w, x, y.
func isCVC(v string) bool {
	n := len(v)
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	if n == 4 && vowel(v[0]) { // open, edit: the stress is not on the end
		return false
	}
	return n <= 4 && !vowel(v[n-1]) && vowel(v[n-2]) && !vowel(v[n-3]) && strings.IndexByte("wxy", v[n-1]) < 0
}
