package journal

import (
	"encoding/binary"
	"net/http"
	"strings"
)

// Heads are a request's and its response's headers as the server saw them,
// kept for every journal entry whether or not bodies are (journalBodies):
// HeadsOf packs them into one string (one allocation, nothing shared with
// the server's maps, and an Entry stays comparable). Secrets are kept as
// presented, like Entry.Token; List, Select and Publish hand them out only
// redacted, as the headers of Entry.Request and Entry.Response.
//
// The packing is, for the request and then the response, a uvarint count
// of name/value pairs followed by each string as a uvarint length and its
// bytes.
type Heads string

// HeadsOf packs the headers of a request and of its response.
func HeadsOf(req, resp http.Header) Heads {
	n := packedLen(req) + packedLen(resp)
	var b strings.Builder
	b.Grow(n)
	var tmp [binary.MaxVarintLen64]byte
	put := func(v int) { b.Write(tmp[:binary.PutUvarint(tmp[:], uint64(v))]) }
	for _, h := range []http.Header{req, resp} {
		pairs := 0
		for _, vs := range h {
			pairs += len(vs)
		}
		put(pairs)
		for k, vs := range h {
			for _, v := range vs {
				put(len(k))
				b.WriteString(k)
				put(len(v))
				b.WriteString(v)
			}
		}
	}
	return Heads(b.String())
}

// packedLen is how many bytes HeadsOf writes for h.
func packedLen(h http.Header) int {
	pairs, n := 0, 0
	for k, vs := range h {
		for _, v := range vs {
			pairs++
			n += uvarintLen(len(k)) + len(k) + uvarintLen(len(v)) + len(v)
		}
	}
	return n + uvarintLen(pairs)
}

func uvarintLen(v int) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// Request returns the request's headers as presented (secrets included).
func (h Heads) Request() http.Header {
	req, _ := h.unpack()
	return req
}

// Response returns the response's headers.
func (h Heads) Response() http.Header {
	_, resp := h.unpack()
	return resp
}

// unpack reads both header sets; nil for an empty or damaged packing.
func (h Heads) unpack() (req, resp http.Header) {
	if h == "" {
		return nil, nil
	}
	s := string(h)
	next := func() (int, bool) {
		v, n := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		if n <= 0 || v > uint64(len(s)) {
			return 0, false
		}
		s = s[n:]
		return int(v), true
	}
	str := func() (string, bool) {
		l, ok := next()
		if !ok || l > len(s) {
			return "", false
		}
		v := s[:l]
		s = s[l:]
		return v, true
	}
	var out [2]http.Header
	for i := range out {
		pairs, ok := next()
		if !ok {
			return nil, nil
		}
		out[i] = make(http.Header, pairs)
		for range pairs {
			k, ok1 := str()
			v, ok2 := str()
			if !ok1 || !ok2 {
				return nil, nil
			}
			out[i][k] = append(out[i][k], v)
		}
	}
	return out[0], out[1]
}

// ReplayHeaders returns the request's headers for replaying it: secrets
// redacted as the journal shows them, except the credentials keep accepts
// (for Authorization and Proxy-Authorization, the credential after the
// scheme), which are kept as presented. The control API's "copy as curl"
// keeps the mock's own tokens this way.
func (h Heads) ReplayHeaders(keep func(credential string) bool) http.Header {
	raw := h.Request()
	if raw == nil {
		return nil
	}
	out := RedactHeaders(raw)
	for k, vs := range raw {
		if !secretName(k) {
			continue
		}
		for i, v := range vs {
			cred := v
			if scheme, c, ok := strings.Cut(v, " "); ok && scheme != "" && (strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Proxy-Authorization")) {
				cred = strings.TrimSpace(c)
			}
			if keep != nil && keep(cred) {
				out[k][i] = v
			}
		}
	}
	return out
}

// forReading is e as List, Select and Publish hand it out: the token,
// the query and the bodies redacted, and the headers kept in Heads given as Request and
// Response messages (redacted, marked BodyNotKept) when bodies were not
// kept; the packed Heads themselves never leave the journal.
func forReading(e *Entry) {
	e.Token = Redact(e.Token)
	e.Query = RedactQuery(e.Query)
	e.Request, e.Response = e.Request.Redacted(), e.Response.Redacted()
	if e.Heads == "" {
		return
	}
	if e.Request == nil && e.Response == nil {
		req, resp := e.Heads.unpack()
		if req != nil {
			e.Request = &Message{Headers: RedactHeaders(req), BodyNotKept: true}
			e.Response = &Message{Headers: RedactHeaders(resp), BodyNotKept: true}
		}
	}
	e.Heads = ""
}
