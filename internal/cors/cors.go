// Package cors lets browser pages of other origins call the mock: it answers
// CORS preflights and adds the Access-Control-* headers to the answers of
// requests from allowed origins.
//
// It is the first stage of the mock's handler chain, so a preflight is
// answered (204) before routing, scenarios, authentication and rate limits:
// a browser sends a preflight without credentials, and an API that wants a
// Bearer token would otherwise refuse it with 401.
//
// Allowed origins are patterns: "*" (any origin), "null" (pages opened from
// files), or SCHEME://HOST[:PORT] in which a "*" matches any run of
// characters, e.g. "http://localhost:*" or "https://*.example.com". An
// origin that matches no pattern gets no CORS headers at all, so the browser
// refuses the answer as it would from a server without CORS.
package cors

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Any is the pattern that allows every origin.
const Any = "*"

// ExposedHeaders are the response headers a page's script may read, besides
// the CORS-safelisted ones: the rate limit, the retry delay, where a created
// record lives, pagination links and the request id.
const ExposedHeaders = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location, Link, X-Request-Id"

// MaxAge is how long, in seconds, a browser may cache a preflight answer
// (Access-Control-Max-Age). Chromium caps it at two hours.
const MaxAge = "600"

// MaxPatternLen bounds an origin pattern, and MaxOriginLen the Origin
// header a policy matches (longer ones are refused), which keeps matching
// cheap: a host name is at most 253 bytes.
const (
	MaxPatternLen = 512
	MaxOriginLen  = 1024
)

// Policy decides which origins may call the mock and writes the headers.
// The zero value and nil allow nothing (CORS off). A Policy is immutable
// and safe for concurrent use.
type Policy struct {
	any      bool
	patterns []string
	// varyOrigin is the Vary value of every answer that is not a
	// preflight, made once and shared (never changed): Handle runs on
	// every request.
	varyOrigin []string
}

// New compiles a policy from origin patterns (see the package comment).
// An empty list allows nothing. A pattern that is not "*", "null" or
// SCHEME://HOST[:PORT] is an error naming it.
func New(origins []string) (*Policy, error) {
	p := &Policy{varyOrigin: []string{"Origin"}}
	for _, o := range origins {
		o = strings.TrimSpace(o)
		if err := ValidPattern(o); err != nil {
			return nil, err
		}
		if o == Any {
			p.any = true
			continue
		}
		p.patterns = append(p.patterns, strings.ToLower(o))
	}
	return p, nil
}

// ValidPattern reports whether o is an origin pattern New accepts.
func ValidPattern(o string) error {
	if o == Any || o == "null" {
		return nil
	}
	bad := func(why string) error {
		return fmt.Errorf("origin %q: %s; want *, null or SCHEME://HOST[:PORT], where * matches any characters (e.g. http://localhost:*)", o, why)
	}
	if o == "" {
		return bad("empty")
	}
	if len(o) > MaxPatternLen {
		return fmt.Errorf("origin pattern of %d bytes: more than the maximum of %d", len(o), MaxPatternLen)
	}
	if strings.ContainsAny(o, " \t\r\n,") {
		return bad("contains a space or a comma")
	}
	// Replace the wildcards by a letter so that url.Parse judges the rest;
	// "*" in a port position becomes a number.
	probe := strings.ReplaceAll(strings.ReplaceAll(o, ":*", ":1"), "*", "x")
	u, err := url.Parse(probe)
	if err != nil {
		return bad(err.Error())
	}
	switch {
	case u.Scheme == "" || !strings.Contains(o, "://"):
		return bad("no scheme")
	case u.Host == "":
		return bad("no host")
	case u.User != nil:
		return bad("has user information")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o, "?") || strings.HasSuffix(o, "#"):
		return bad("has a path, query or fragment (an origin ends after the host and port)")
	}
	return nil
}

// Allows reports whether a request from origin may read the mock's answers.
func (p *Policy) Allows(origin string) bool {
	if p == nil || origin == "" || len(origin) > MaxOriginLen {
		return false
	}
	if p.any {
		return true
	}
	origin = strings.ToLower(origin)
	for _, pat := range p.patterns {
		if match(pat, origin) {
			return true
		}
	}
	return false
}

// On reports whether the policy allows any origin at all.
func (p *Policy) On() bool { return p != nil && (p.any || len(p.patterns) > 0) }

// IsPreflight reports whether r is a CORS preflight: OPTIONS with an Origin
// and an Access-Control-Request-Method.
func IsPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// Handle applies the policy to one request. For an allowed origin it sets
// the CORS response headers on w; when r is a preflight it also answers it
// (204) and reports true: the caller must then not serve r further. A
// request from an origin not allowed, or without an Origin, is left alone
// (a preflight then goes on as an ordinary OPTIONS request).
func (p *Policy) Handle(w http.ResponseWriter, r *http.Request) bool {
	if !p.On() {
		return false
	}
	h := w.Header()
	origin := r.Header.Get("Origin")
	preflight := IsPreflight(r)
	if preflight {
		h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	} else if len(h["Vary"]) == 0 && p.varyOrigin != nil {
		h["Vary"] = p.varyOrigin
	} else {
		h.Add("Vary", "Origin")
	}
	if !p.Allows(origin) {
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	if !preflight {
		h.Set("Access-Control-Expose-Headers", ExposedHeaders)
		return false
	}
	h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
	if reqHeaders := r.Header.Values("Access-Control-Request-Headers"); len(reqHeaders) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(reqHeaders, ", "))
	}
	// Chromium asks before a public page may call a loopback server.
	if strings.EqualFold(r.Header.Get("Access-Control-Request-Private-Network"), "true") {
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	h.Set("Access-Control-Max-Age", MaxAge)
	w.WriteHeader(http.StatusNoContent)
	return true
}

// match reports whether s matches pattern, where "*" matches any run of
// characters (none included) and everything else matches itself.
func match(pattern, s string) bool {
	// Iterative wildcard matching with backtracking to the last star:
	// linear in practice, O(len(pattern)·len(s)) at worst.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pattern) && pattern[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}
