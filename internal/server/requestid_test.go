package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestID: whatever the caller sends as X-Request-Id, the id used is
// sane (safe in a header and a log line, at most MaxRequestIDLen bytes), and
// it is the caller's exactly when that one is sane.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"", "trace-42", "a b", "x\r\nSet-Cookie: y", "é", "0123456789abcdef0123456789abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sent string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header[RequestIDHeader] = []string{sent}
		id := requestID(r)
		if !saneRequestID(id) {
			t.Fatalf("id %q is not sane", id)
		}
		if (id == sent) != saneRequestID(sent) {
			t.Fatalf("sent %q, id %q", sent, id)
		}
	})
}

// Generated ids are 24 hex digits and differ from one request to the next.
func TestRequestIDGenerated(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := requestID(httptest.NewRequest("GET", "/", nil))
		if len(id) != 24 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("id %q is not 24 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("id %q given twice", id)
		}
		seen[id] = true
	}
}
