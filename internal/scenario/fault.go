package scenario

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// ErrUnknownFault is returned by Fault for a kind it does not know.
var ErrUnknownFault = errors.New("unknown fault")

// defaultTruncatedBody is what Fault sends, in part, for "truncated".
var defaultTruncatedBody = []byte(`{"data":{"items":[{"id":"00000000-0000-4000-8000-000000000001","name":"truncated response","note":"the server announced more bytes than it sent and closed the connection"}]}}`)

// Fault breaks the response the way kind says, for an HTTP/1 connection:
//
//   - "connection-reset": hijacks the connection and closes it with SO_LINGER
//     0, so the client sees a TCP reset (ECONNRESET) instead of a response;
//   - "empty-reply": hijacks the connection and closes it without writing a
//     byte (curl: "Empty reply from server"; Go: EOF);
//   - "truncated": writes a 200 with a JSON Content-Type and a Content-Length
//     larger than the body, writes part of the body, then closes the
//     connection (Go: io.ErrUnexpectedEOF while reading the body).
//
// Nothing must have been written to w before. When w cannot be hijacked
// (HTTP/2, or a writer that hides http.Hijacker) Fault writes nothing and
// returns an error matching http.ErrNotSupported, so the caller can fall back
// (e.g. to a 502). An unknown kind gives ErrUnknownFault.
func Fault(w http.ResponseWriter, kind string) error {
	return FaultBody(w, kind, nil)
}

// FaultBody is Fault with the body to cut for "truncated": the first half of
// body is sent while Content-Length announces all of it. A nil body uses a
// small JSON document. Other kinds ignore body.
func FaultBody(w http.ResponseWriter, kind string, body []byte) error {
	switch kind {
	case FaultConnectionReset, FaultEmptyReply, FaultTruncated:
	default:
		return fmt.Errorf("%w %q (want %s, %s or %s)", ErrUnknownFault, kind, FaultConnectionReset, FaultEmptyReply, FaultTruncated)
	}
	if !canHijack(w) {
		return fmt.Errorf("scenario: fault %q needs an HTTP/1 connection: %w", kind, http.ErrNotSupported)
	}
	rc := http.NewResponseController(w)
	if kind == FaultTruncated {
		if len(body) < 2 {
			body = defaultTruncatedBody
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		h.Del("Transfer-Encoding")
		w.WriteHeader(http.StatusOK)
		if _, err := w.Write(body[:len(body)/2]); err != nil {
			return err
		}
		if err := rc.Flush(); err != nil {
			return err
		}
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		return fmt.Errorf("scenario: fault %q: %w", kind, err)
	}
	if kind == FaultConnectionReset {
		if tc := tcpConn(conn); tc != nil {
			_ = tc.SetLinger(0)
		}
	}
	return conn.Close()
}

// canHijack reports whether the innermost writer under w (following Unwrap,
// as http.ResponseController does) implements http.Hijacker. Wrappers often
// implement Hijack by passing it on, so only the innermost one tells.
func canHijack(w http.ResponseWriter) bool {
	for range 32 {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok || u.Unwrap() == nil {
			_, ok := w.(http.Hijacker)
			return ok
		}
		w = u.Unwrap()
	}
	return false
}

// tcpConn finds the TCP connection under conn (directly, or under TLS).
func tcpConn(conn net.Conn) *net.TCPConn {
	for range 4 {
		switch c := conn.(type) {
		case *net.TCPConn:
			return c
		case interface{ NetConn() net.Conn }:
			conn = c.NetConn()
		default:
			return nil
		}
	}
	return nil
}
