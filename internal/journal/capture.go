package journal

import (
	"encoding/json"
	"io"
	"net/http"
	"unicode/utf8"
)

// DefaultMaxBody is how many bytes of each body an entry keeps.
const DefaultMaxBody = 16 << 10

// Message is the headers and body of a request or response, kept when the
// journal records bodies (journalBodies: true). Secret headers are
// redacted when a Message is made (RedactHeaders); a body is kept as sent
// and redacted when the entry is read (List, Select, Publish, and any
// JSON encoding of the Message: RedactBody), so the scan of a body costs
// only the requests somebody reads, never the request itself.
type Message struct {
	Headers http.Header
	Body    []byte
	// Truncated is true when the body was longer than what was kept.
	Truncated bool
	// BodyNotKept is true when the journal kept the headers only
	// (journalBodies off): Body is empty whatever was sent.
	BodyNotKept bool
	// rawType is the Content-Type of a Body kept as sent, whose secrets
	// are not redacted yet ("" once they are, or when there is no body).
	rawType string
	// raw is true while Body is kept as sent (see rawType).
	raw bool
}

// Redacted returns m with its body's secrets redacted: m itself when
// there is nothing to do, else a copy (m is never changed: readers share
// it).
func (m *Message) Redacted() *Message {
	if m == nil || !m.raw {
		return m
	}
	c := *m
	c.Body, c.raw, c.rawType = RedactBody(m.rawType, m.Body), false, ""
	return &c
}

// messageJSON is Message on the wire: the body as text when it is UTF-8,
// in base64 otherwise.
type messageJSON struct {
	Headers    http.Header `json:"headers,omitempty"`
	Body       *string     `json:"body,omitempty"`
	BodyBase64 []byte      `json:"bodyBase64,omitempty"`
	Truncated  bool        `json:"truncated,omitempty"`
	// BodyNotKept: see Message.
	BodyNotKept bool `json:"bodyNotKept,omitempty"`
}

// MarshalJSON writes {"headers": {...}, "body": "...", "truncated": true}
// (bodyBase64 instead of body for a body that is not UTF-8; "bodyNotKept":
// true when only the headers were kept).
func (m Message) MarshalJSON() ([]byte, error) {
	if m.raw {
		m = *m.Redacted() // never encoded with its secrets
	}
	j := messageJSON{Headers: m.Headers, Truncated: m.Truncated, BodyNotKept: m.BodyNotKept}
	if len(m.Body) > 0 {
		if utf8.Valid(m.Body) {
			s := string(m.Body)
			j.Body = &s
		} else {
			j.BodyBase64 = m.Body
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Message) UnmarshalJSON(b []byte) error {
	var j messageJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = Message{Headers: j.Headers, Body: j.BodyBase64, Truncated: j.Truncated, BodyNotKept: j.BodyNotKept}
	if j.Body != nil {
		m.Body = []byte(*j.Body)
	}
	return nil
}

// Body collects at most a bound of the bytes written to it and remembers
// whether more came. The zero value keeps nothing; use NewBody.
type Body struct {
	max       int
	buf       []byte
	truncated bool
}

// NewBody returns a Body keeping at most max bytes (DefaultMaxBody when
// max <= 0).
func NewBody(max int) *Body {
	if max <= 0 {
		max = DefaultMaxBody
	}
	return &Body{max: max}
}

// Expect makes room for a body of n bytes (a declared Content-Length)
// at once, up to the bound, so that keeping it costs one allocation.
func (b *Body) Expect(n int64) {
	if n <= 0 || b.buf != nil {
		return
	}
	b.buf = make([]byte, 0, min(n, int64(b.max)))
}

// Write keeps what fits and never fails.
func (b *Body) Write(p []byte) (int, error) {
	room := b.max - len(b.buf)
	if len(p) > room {
		b.truncated = true
		b.buf = append(b.buf, p[:max(room, 0)]...)
		return len(p), nil
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Bytes returns what was kept.
func (b *Body) Bytes() []byte { return b.buf }

// Truncated reports whether more was written than kept.
func (b *Body) Truncated() bool { return b.truncated }

// TeeBody returns a ReadCloser that reads rc and copies what is read into b.
func TeeBody(rc io.ReadCloser, b *Body) io.ReadCloser {
	return teeReadCloser{Reader: io.TeeReader(rc, b), Closer: rc}
}

type teeReadCloser struct {
	io.Reader
	io.Closer
}

// Capture builds the Message of headers and a collected body: secret
// headers redacted, the body kept as collected (b's bytes, not a copy:
// b must not be written again) and redacted when read (Message.Redacted).
func Capture(h http.Header, b *Body) *Message {
	m := &Message{Headers: RedactHeaders(h)}
	if b != nil {
		m.Body = b.Bytes()
		m.Truncated = b.Truncated()
		if len(m.Body) > 0 {
			m.raw, m.rawType = true, h.Get("Content-Type")
		}
	}
	return m
}
