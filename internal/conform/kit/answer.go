package kit

import (
	"net/http"
	"strings"

	"github.com/standin/standin/internal/conform/model"
)

// The oracles every generated request of a REST check goes through.

// CheckServerError records a violation for a 5xx answer: a server error
// is never the answer to a request the suite generates, documented or
// not. what names the request ("the example \"cat\"", "an unknown
// petId"). It reports whether the answer was one.
func CheckServerError(t *T, resp Response, what string) bool {
	if resp.Status < 500 {
		return false
	}
	t.Errorf(Status(), "%s: answered %d, a server error (never the answer to a request the contract describes, nor to a client's mistake)", what, resp.Status)
	return true
}

// CheckRejected holds the answer to an invalid request (a body or a
// parameter the contract refuses): a client error the contract documents
// (its code, its range or a default answer) with a valid body; never a
// 2xx (the invalid request was accepted), a 3xx or a 5xx. Where the
// operation documents no status that can refuse an invalid request
// (DocumentsRefusal), any client error is the refusal: the contract says
// nothing of it, and no server could answer a documented one.
func CheckRejected(t *T, o model.Operation, values map[string]string, resp Response, what string) {
	switch {
	case CheckServerError(t, resp, what):
	case resp.Status < 300:
		t.Errorf(Status(), "%s: answered %d, the invalid request was accepted (want a documented 4xx: %s)", what, resp.Status, documented4xx(o))
	case resp.Status < 400:
		t.Errorf(Status(), "%s: answered %d%s (want a documented 4xx: %s)", what, resp.Status, RedirectNote(resp), documented4xx(o))
	case !DocumentsRefusal(o):
		// refused, in words the contract does not give
	default:
		n := t.ViolationCount()
		CheckContentType(t, o, resp)
		ValidateResponse(t, o, values, resp)
		t.Reword(n, func(v Violation) string { return what + ": " + v.Message })
	}
}

// CheckAccepted holds the answer to a valid request: the documented
// success (any documented 2xx), its content type and a valid body; a
// redirect, a client error or a server error is a violation naming what
// was sent. It reports whether the answer was a documented 2xx.
func CheckAccepted(t *T, o model.Operation, values map[string]string, resp Response, what string) bool {
	if CheckServerError(t, resp, what) {
		return false
	}
	if resp.Status < 200 || resp.Status >= 300 || o.Op.Responses.Status(resp.Status) == nil {
		t.Errorf(Status(), "%s: answered %d%s, want the documented success (%s)", what, resp.Status, RedirectNote(resp), documented2xx(o))
		return false
	}
	n := t.ViolationCount()
	CheckContentType(t, o, resp)
	ValidateResponse(t, o, values, resp)
	t.Reword(n, func(v Violation) string { return what + ": " + v.Message })
	return true
}

// DocumentsRefusal reports whether the operation documents a status that
// can refuse an invalid request: default, a 4XX range, or a client error
// other than those that say something else whatever the request's content
// (401, 403, 404, 407, 408, 409, 410, 412, 413, 415, 428, 429). The
// petstore's "405: Invalid input" is one; an operation documenting only
// 200 and 404 has none.
func DocumentsRefusal(o model.Operation) bool {
	for _, c := range o.Statuses() {
		switch c {
		case "default", "4XX", "4xx":
			return true
		case "401", "403", "404", "407", "408", "409", "410", "412", "413", "415", "428", "429":
			continue
		}
		if len(c) == 3 && c[0] == '4' {
			return true
		}
	}
	return false
}

// CredentialRefusalDocumented reports whether the operation documents an
// answer for refused credentials: 401 or 403, exactly, by a 4XX range or
// by default. Where it does not, a refusal is held to its status alone:
// the contract gives it no body, and no server could answer a documented
// one.
func CredentialRefusalDocumented(o model.Operation) bool {
	return o.Answers(http.StatusUnauthorized) || o.Answers(http.StatusForbidden)
}

// CredentialRefusal is the status the operation answers missing or
// unknown credentials with: 401, or 403 where it documents 403 and no
// 401 (Figma documents 403 for a token it does not know).
func CredentialRefusal(o model.Operation) int {
	if !o.Documents(http.StatusUnauthorized) && o.Documents(http.StatusForbidden) {
		return http.StatusForbidden
	}
	return http.StatusUnauthorized
}

// documented2xx lists the operation's documented successes.
func documented2xx(o model.Operation) string {
	var out []string
	for _, c := range o.Statuses() {
		if strings.HasPrefix(c, "2") {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "none documented"
	}
	return strings.Join(out, ", ")
}

// documented4xx lists the operation's documented client errors.
func documented4xx(o model.Operation) string {
	var out []string
	for _, c := range o.Statuses() {
		if strings.HasPrefix(c, "4") || c == "default" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "none documented"
	}
	return strings.Join(out, ", ")
}

// Safe reports whether the method only reads (GET, HEAD, OPTIONS).
func Safe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}
