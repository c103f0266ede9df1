package server

import (
	"encoding/hex"
	"math/rand/v2"
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
// one (24 hex digits). An id only tells requests apart (it guards nothing),
// so it comes from math/rand/v2's per-thread generator: no system call and
// no lock per request, as crypto/rand would cost.
func requestID(r *http.Request) string {
	if v := r.Header[RequestIDHeader]; len(v) > 0 && saneRequestID(v[0]) {
		return v[0]
	}
	var b [12]byte
	x, y := rand.Uint64(), rand.Uint32()
	for i := range 8 {
		b[i] = byte(x >> (8 * i))
	}
	for i := range 4 {
		b[8+i] = byte(y >> (8 * i))
	}
	var out [24]byte
	hex.Encode(out[:], b[:])
	return string(out[:])
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
