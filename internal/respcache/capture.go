package respcache

import (
	"net/http"
	"strconv"
)

// Capture is the http.ResponseWriter a handler writes to on a miss. It
// passes everything through at once (nothing waits for the end of the
// answer) and keeps a copy of the status, of the headers the handler set
// and of the body, up to a limit, for Put.
//
// The handler sees a header map of its own: headers set before it ran
// (CORS, rate limit, request id) are not part of the copy.
type Capture struct {
	w      http.ResponseWriter
	header http.Header
	status int
	body   []byte
	limit  int
	// over is set when the answer cannot be kept: bigger than limit,
	// flushed while being written (streamed), or the connection taken.
	over bool
}

// NewCapture wraps w, keeping a body of at most limit bytes.
func NewCapture(w http.ResponseWriter, limit int64) *Capture {
	return &Capture{w: w, header: http.Header{}, limit: int(limit)}
}

// Header returns the handler's own header map.
func (c *Capture) Header() http.Header { return c.header }

// WriteHeader sends the handler's headers over those already set, then
// the status.
func (c *Capture) WriteHeader(code int) {
	if c.status != 0 {
		c.w.WriteHeader(code) // net/http reports the superfluous call
		return
	}
	if code < 200 {
		// informational: passed on, the final status is still to come
		h := c.w.Header()
		for k, v := range c.header {
			h[k] = v
		}
		c.w.WriteHeader(code)
		return
	}
	c.status = code
	h := c.w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	c.w.WriteHeader(code)
}

// Write sends p and keeps a copy while the body is within the limit.
func (c *Capture) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if !c.over {
		if len(c.body)+len(p) > c.limit {
			c.over, c.body = true, nil
		} else {
			c.body = append(c.body, p...)
		}
	}
	return c.w.Write(p)
}

// Flush sends what is written so far; a flushed answer is a stream and is
// not kept.
func (c *Capture) Flush() {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	c.over, c.body = true, nil
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer; what
// is done through it (hijacking, deadlines) is not seen by the capture, so
// a caller that unwraps should not keep the answer. Handlers of this
// project flush through Flush.
func (c *Capture) Unwrap() http.ResponseWriter { return c.w }

// Result returns what was captured: the status (0 if nothing was written),
// the handler's headers with Content-Length set, and the body. ok is false
// when the answer cannot be kept (see Capture).
func (c *Capture) Result() (status int, header http.Header, body []byte, ok bool) {
	if c.over || c.status == 0 {
		return c.status, nil, nil, false
	}
	h := c.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(c.body))}
	return c.status, h, c.body, true
}
