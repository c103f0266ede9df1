package kit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchRule is how a lookup or a filter compares a value with a record's,
// as its contract states it.
type MatchRule int

// Matching rules.
const (
	// RuleUnstated: the contract says nothing. A lookup by identifier
	// then means identity (exact; a UUID's hex digits in either case,
	// RFC 9562 §4); a filter must match at least the records equal to
	// the value and at most those containing it, whatever the case and
	// surrounding spaces.
	RuleUnstated MatchRule = iota
	// RuleExact: exact and case-sensitive ("exact", "exactly",
	// "case-sensitive").
	RuleExact
	// RuleFold: equal but for case ("case-insensitive").
	RuleFold
	// RuleContains: the record's value contains it ("contains",
	// "substring"), whatever the case.
	RuleContains
)

// String names the rule for messages.
func (r MatchRule) String() string {
	switch r {
	case RuleExact:
		return "exact and case-sensitive"
	case RuleFold:
		return "case-insensitive"
	case RuleContains:
		return "a substring match"
	}
	return "not stated"
}

// ReadMatchRule reads the matching rule from a contract's descriptions
// (a parameter's, its operation's, a field's): the first that states one.
func ReadMatchRule(docs ...string) MatchRule {
	for _, doc := range docs {
		d := strings.ToLower(doc)
		switch {
		case strings.Contains(d, "case-insensitive") || strings.Contains(d, "case insensitive"):
			return RuleFold
		case strings.Contains(d, "contains") || strings.Contains(d, "substring"):
			return RuleContains
		case strings.Contains(d, "case-sensitive") || strings.Contains(d, "exact"):
			return RuleExact
		}
	}
	return RuleUnstated
}

// NearMiss is a value close to a real one (How says how) that a lookup
// or a filter must not take for it unless its rule says so.
type NearMiss struct {
	Value, How string
}

// NearMisses derives near misses from a real value: its case changed
// (upper, lower, the first letter's swapped), a character dropped at
// either end, one character changed, a space before or after, a
// character appended. Each differs from v and from the others.
func NearMisses(v string) []NearMiss {
	var out []NearMiss
	seen := map[string]bool{v: true}
	add := func(s, how string) {
		if !seen[s] && s != "" {
			seen[s] = true
			out = append(out, NearMiss{s, how})
		}
	}
	add(strings.ToUpper(v), "in upper case")
	add(strings.ToLower(v), "in lower case")
	if i := strings.IndexFunc(v, unicode.IsLetter); i >= 0 {
		r, n := utf8.DecodeRuneInString(v[i:])
		swapped := unicode.ToUpper(r)
		if unicode.IsUpper(r) {
			swapped = unicode.ToLower(r)
		}
		add(v[:i]+string(swapped)+v[i+n:], "with its first letter's case swapped")
	}
	if utf8.RuneCountInString(v) > 1 {
		_, n := utf8.DecodeLastRuneInString(v)
		add(v[:len(v)-n], "without its last character")
		_, n = utf8.DecodeRuneInString(v)
		add(v[n:], "without its first character")
	}
	if i := lastAlnum(v); i >= 0 {
		r, n := utf8.DecodeRuneInString(v[i:])
		add(v[:i]+string(nextSameKind(r))+v[i+n:], "with one character changed")
	}
	add(v+" ", "with a trailing space")
	add(" "+v, "with a leading space")
	add(v+"x", "with a character appended")
	return out
}

// CaseOnly reports whether the near miss differs from v only by case.
func (n NearMiss) CaseOnly(v string) bool { return strings.EqualFold(n.Value, v) }

func lastAlnum(s string) int {
	for i := len(s); i > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		i -= n
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return i
		}
	}
	return -1
}

// nextSameKind is the next digit (9 → 0), or the next letter of the same
// case; a hex letter stays a hex letter (f → a), so a UUID stays one.
func nextSameKind(r rune) rune {
	switch {
	case r >= '0' && r <= '8':
		return r + 1
	case r == '9':
		return '0'
	case r >= 'a' && r < 'f', r >= 'A' && r < 'F':
		return r + 1
	case r == 'f':
		return 'a'
	case r == 'F':
		return 'A'
	case r >= 'a' && r < 'z', r >= 'A' && r < 'Z':
		return r + 1
	case r == 'z':
		return 'a'
	case r == 'Z':
		return 'A'
	}
	if unicode.IsUpper(r) {
		return unicode.ToUpper(r + 1)
	}
	return r + 1
}

// LooksLikeUUID reports whether s is a UUID in its text form.
func LooksLikeUUID(s string) bool { return looksLikeUUID(s) }

// MustMatch reports whether a record whose value is rv must be matched
// by the probe m under the rule (a lookup: found; a filter: answered).
func MustMatch(rule MatchRule, rv, m string) bool {
	switch rule {
	case RuleFold:
		return strings.EqualFold(rv, m)
	case RuleContains:
		return strings.Contains(strings.ToLower(rv), strings.ToLower(m))
	}
	return rv == m
}

// MayMatch reports whether a record whose value is rv may be matched by
// the probe m under the rule: what it must match, plus, where the rule is
// not stated, what some reasonable rule would match (for a lookup, a
// UUID in another case; for a filter, a value containing m whatever the
// case and surrounding spaces).
func MayMatch(rule MatchRule, lookup bool, rv, m string) bool {
	if MustMatch(rule, rv, m) {
		return true
	}
	if looksLikeUUID(rv) && strings.EqualFold(rv, m) && rule != RuleExact {
		return true
	}
	if rule == RuleUnstated && !lookup {
		return strings.Contains(strings.ToLower(rv), strings.ToLower(strings.TrimSpace(m)))
	}
	return false
}
