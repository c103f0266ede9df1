// Package regexgen builds strings that match regular expressions: the
// mock's generator and the corpus validator's request generator fill a
// schema's pattern with it.
package regexgen

import (
	"regexp/syntax"
	"strings"
)

// Shortest builds a short string matching a regular expression (Go's
// syntax, Perl flags): the first alternative, the least repetition (one
// for +), a letter or digit of each class; false for what it cannot build
// (an empty class, nesting deeper than 64).
func Shortest(pattern string) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !walk(&b, re.Simplify(), 0) {
		return "", false
	}
	return b.String(), true
}

func walk(b *strings.Builder, re *syntax.Regexp, depth int) bool {
	if depth > 64 {
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		if len(re.Rune) < 2 {
			return false
		}
		r := re.Rune[0]
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo <= 'a' && 'a' <= hi {
				r = 'a'
				break
			}
			if lo <= '0' && '0' <= hi {
				r = '0'
			}
		}
		b.WriteRune(r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		return walk(b, re.Sub[0], depth+1)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !walk(b, sub, depth+1) {
				return false
			}
		}
	case syntax.OpAlternate, syntax.OpPlus:
		return walk(b, re.Sub[0], depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			if !walk(b, re.Sub[0], depth+1) {
				return false
			}
		}
	case syntax.OpStar, syntax.OpQuest, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
	default:
		return false
	}
	return true
}
