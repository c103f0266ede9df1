package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// RequestIDHeader carries a request's id: taken from the request when it is
// sane (MaxRequestIDLen characters at most, letters, digits and -_.:+=/),
// generated otherwise, and always returned in the response, logged and kept
// in the journal.
const RequestIDHeader = "X-Request-Id"

// MaxRequestIDLen bounds an incoming request id.
const MaxRequestIDLen = 128

// requestID returns the request's own id when it is sane, or a new random
// one (24 hex digits).
func requestID(r *http.Request) string {
	if v := r.Header.Get(RequestIDHeader); saneRequestID(v) {
		return v
	}
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// saneRequestID reports whether an incoming id may be echoed: not empty, not
// too long, and nothing that could split a log line or a header.
func saneRequestID(v string) bool {
	if v == "" || len(v) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '+', c == '=', c == '/':
		default:
			return false
		}
	}
	return true
}
