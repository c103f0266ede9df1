package journal

import (
	"net/http"
	"strings"
)

// secretWords are the words a name carries a secret by: every header, JSON
// member, form or multipart field and query parameter whose name contains
// one of them, in any case.
var secretWords = [...]string{"token", "secret", "password", "apikey", "api-key", "api_key"}

// secretExact are the names that carry a secret whole (compared without
// case).
var secretExact = [...]string{"authorization", "proxy-authorization", "cookie", "set-cookie"}

// secretName reports whether a header, JSON member, form field or multipart
// field of this name carries a secret: Authorization, Cookie, X-API-Key,
// and every name mentioning a token, secret, password or API key.
func secretName(name string) bool { return secretText([]byte(name)) }

// secretText is secretName for the bytes of a name: without allocating for
// an ASCII name (the JSON member names of a body are checked one by one);
// a name with other bytes is lower-cased as strings.ToLower does (the
// Kelvin sign is a k), as it always was.
func secretText(name []byte) bool {
	if len(name) < len("token") {
		return false
	}
	switch len(name) {
	case len("cookie"), len("set-cookie"), len("authorization"), len("proxy-authorization"):
		for _, w := range secretExact {
			if len(name) == len(w) && hasFoldPrefix(name, w) {
				return true
			}
		}
	}
	for i, c := range name {
		// Each secret word starts with one of these letters.
		switch c | 0x20 {
		case 't':
			if hasFoldPrefix(name[i:], "token") {
				return true
			}
		case 's':
			if hasFoldPrefix(name[i:], "secret") {
				return true
			}
		case 'p':
			if hasFoldPrefix(name[i:], "password") {
				return true
			}
		case 'a':
			if hasFoldPrefix(name[i:], "api") {
				key := name[i+3:]
				if len(key) > 0 && (key[0] == '-' || key[0] == '_') {
					key = key[1:]
				}
				if hasFoldPrefix(key, "key") {
					return true
				}
			}
		default:
			if c >= 0x80 {
				return secretLower(strings.ToLower(string(name)))
			}
		}
	}
	return false
}

// secretLower is secretName for a name already lower-cased.
func secretLower(n string) bool {
	for _, w := range secretExact {
		if n == w {
			return true
		}
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// hasFoldPrefix reports whether s begins with w (lower-case ASCII) in any
// ASCII case.
func hasFoldPrefix(s []byte, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// RedactHeaders returns a copy of h in which the value of every secret
// header (see Message) is cut to its Redact prefix; an Authorization value
// keeps its scheme ("Bearer stan…").
func RedactHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if !secretName(k) {
			out[k] = append([]string(nil), vs...)
			continue
		}
		red := make([]string, len(vs))
		for i, v := range vs {
			if scheme, cred, ok := strings.Cut(v, " "); ok && (strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Proxy-Authorization")) {
				red[i] = scheme + " " + Redact(strings.TrimSpace(cred))
			} else {
				red[i] = Redact(v)
			}
		}
		out[k] = red
	}
	return out
}
