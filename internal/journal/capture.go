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
// journal records bodies (journalBodies: true). Secrets are redacted before
// a Message is made (RedactHeaders, RedactBody), so they never reach the
// journal.
type Message struct {
	Headers http.Header
	Body    []byte
	// Truncated is true when the body was longer than what was kept.
	Truncated bool
	// BodyNotKept is true when the journal kept the headers only
	// (journalBodies off): Body is empty whatever was sent.
	BodyNotKept bool
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

// Capture builds the Message of headers and a collected body, with secrets
// redacted.
func Capture(h http.Header, b *Body) *Message {
	m := &Message{Headers: RedactHeaders(h)}
	if b != nil {
		m.Body = RedactBody(h.Get("Content-Type"), b.Bytes())
		m.Truncated = b.Truncated()
	}
	return m
}
