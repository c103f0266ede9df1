package journal

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/standin/standin/internal/contract/conventions"
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

// secretName reports whether a header, JSON member or form field of this
// name carries a secret: Authorization, Cookie, X-API-Key, and every name
// mentioning a token, secret, password or API key.
func secretName(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "apikey", "api-key", "api_key"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
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

// jsonSecret finds "name": "value" pairs in JSON text, complete or cut off.
var jsonSecret = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)("?)`)

// RedactBody returns body with secret values cut to their Redact prefix:
// in JSON the string values of members whose name mentions a token, secret,
// password or API key (also in a truncated body), in a form body the values
// of such fields. Other bodies are returned as they are.
func RedactBody(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		return redactForm(body)
	case conventions.IsJSON(mt) || (mt == "" && json.Valid(body)):
		return jsonSecret.ReplaceAllFunc(body, func(m []byte) []byte {
			sub := jsonSecret.FindSubmatch(m)
			if !secretName(string(sub[1])) {
				return m
			}
			out := make([]byte, 0, len(m))
			out = append(out, '"')
			out = append(out, sub[1]...)
			out = append(out, '"')
			out = append(out, sub[2]...)
			out = append(out, '"')
			out = append(out, redactJSONString(string(sub[3]))...)
			return append(out, sub[4]...)
		})
	}
	return body
}

// redactJSONString is Redact for the text of a JSON string: the prefix
// stops before any escape sequence, so the result stays valid JSON.
func redactJSONString(s string) string {
	r := Redact(s)
	if i := strings.IndexByte(r, '\\'); i >= 0 {
		r = r[:i] + "…"
	}
	return r
}

func redactForm(body []byte) []byte {
	parts := strings.Split(string(body), "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if secretName(name) {
			val, err := url.QueryUnescape(v)
			if err != nil {
				val = v
			}
			parts[i] = k + "=" + url.QueryEscape(Redact(val))
		}
	}
	return []byte(strings.Join(parts, "&"))
}
