package kit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Response is what a check reads from an exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// T is handed to a running case step: it sends requests, records the
// exchanges and collects violations. A step keeps going after a violation
// (every violation is reported); Skip and FailNow stop it.
type T struct {
	env        *Env
	api        *API
	exchanges  []Exchange
	violations []Violation
	skip       string
	lastReq    string
	// lastRequest is the last request sent (a property check's curl line).
	lastRequest Request
}

// NewT makes the T of one step on api.
func NewT(env *Env, api *API) *T { return &T{env: env, api: api} }

type stopSignal struct{}

// Run runs a step on t: Skip and FailNow end it, a panic is recorded as a
// violation of the check.
func (t *T) Run(step func(t *T)) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopSignal); !ok {
				t.Errorf(InTheRun("check"), "panic: %v", r)
			}
		}
	}()
	step(t)
}

// Skip stops the step and reports it skipped with the reason.
func (t *T) Skip(format string, args ...any) {
	t.skip = fmt.Sprintf(format, args...)
	panic(stopSignal{})
}

// FailNow stops the step; it fails if a violation was recorded.
func (t *T) FailNow() { panic(stopSignal{}) }

// Fatalf records a violation and stops the step.
func (t *T) Fatalf(where Place, format string, args ...any) {
	t.Errorf(where, format, args...)
	t.FailNow()
}

// Errorf records a violation.
func (t *T) Errorf(where Place, format string, args ...any) {
	t.violations = append(t.violations, Violation{Where: where, Message: fmt.Sprintf(format, args...), Request: t.lastReq})
}

// violatedAt reports whether a violation at where was recorded about the
// latest request.
func (t *T) violatedAt(where Place) bool {
	for _, v := range t.violations {
		if v.Where == where && v.Request == t.lastReq {
			return true
		}
	}
	return false
}

// Failed reports whether a violation was recorded.
func (t *T) Failed() bool { return len(t.violations) > 0 }

// API is the API under check.
func (t *T) API() *API { return t.api }

// Env is the run's environment.
func (t *T) Env() *Env { return t.env }

// SkipReason is why the step was skipped ("" when it was not).
func (t *T) SkipReason() string { return t.skip }

// Violations are the violations recorded so far.
func (t *T) Violations() []Violation { return t.violations }

// ViolationCount is the number of violations recorded so far.
func (t *T) ViolationCount() int { return len(t.violations) }

// Reword rewrites the messages of the violations recorded since the
// first n (ViolationCount), e.g. to say which page of a walk they are on.
func (t *T) Reword(n int, f func(v Violation) string) {
	for i := n; i < len(t.violations); i++ {
		t.violations[i].Message = f(t.violations[i])
	}
}

// Exchanges are the exchanges kept so far: the step's report shows them
// when it fails.
func (t *T) Exchanges() []Exchange { return t.exchanges }

// ExchangeCount is the number of exchanges kept so far.
func (t *T) ExchangeCount() int { return len(t.exchanges) }

// KeepExchanges drops the exchanges after the first n, so that a failure
// shows only those that are its business.
func (t *T) KeepExchanges(n int) { t.exchanges = t.exchanges[:n] }

// DropExchanges drops every exchange kept so far.
func (t *T) DropExchanges() { t.exchanges = t.exchanges[:0] }

// KeepLastExchange keeps only the latest exchange.
func (t *T) KeepLastExchange() { t.exchanges = t.exchanges[len(t.exchanges)-1:] }

// DropLastExchange drops the latest exchange.
func (t *T) DropLastExchange() { t.exchanges = t.exchanges[:len(t.exchanges)-1] }

// SetRequest names the request later violations are about ("GET URL"),
// when it is not the latest one sent.
func (t *T) SetRequest(r string) { t.lastReq = r }

// Request describes one HTTP request of a check.
type Request struct {
	Method string
	Path   string // path and query, appended to the API's base URL
	// Credentials go where their schemes say; none sends no credentials.
	Credentials Credentials
	Header      map[string]string
	// Body is sent with its media type as Content-Type; nil sends none.
	Body *Payload
}

const excerptLen = 600

// Do sends the request and records the exchange. A transport error is a
// violation that stops the step.
func (t *T) Do(r Request) Response {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(t.env.Config.Timeout))
	defer cancel()
	var body io.Reader
	sent := r.Body.data()
	if r.Body != nil {
		body = bytes.NewReader(sent)
	}
	p := r.Credentials.applyQuery(r.Path)
	u := t.api.BaseURL() + p
	req, err := http.NewRequestWithContext(ctx, r.Method, u, body)
	if err != nil {
		t.Fatalf(InTheRun("request"), "cannot build request %s %s: %v", r.Method, u, err)
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", r.Body.MediaType)
		if !t.env.needsLength(t.api.Name) {
			// Chunked, with no Content-Length: a Go reverse proxy in
			// front of the target (httputil.ReverseProxy, Caddy before
			// 2.10) reads a body of declared length once more after
			// sending it, and when the target has already answered, that
			// read fails and the proxy cuts the answer mid-body
			// (docs/decisions.md, "Request bodies are sent chunked").
			// A chunked body's end reaches the target only after the
			// proxy's last read, so the race cannot happen.
			req.ContentLength = -1
		}
	}
	req.Header.Set("Accept", t.api.Accept())
	r.Credentials.applyHeaders(req.Header)
	if len(t.api.Conf.Headers) > 0 {
		// --header and headers: go with every request, under the
		// check's own.
		h := make(map[string]string, len(t.api.Conf.Headers)+len(r.Header))
		for k, v := range t.api.Conf.Headers {
			h[k] = v
		}
		for k, v := range r.Header {
			h[k] = v
		}
		r.Header = h
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	t.lastRequest = r
	shown := t.api.BaseURL() + r.Credentials.shownQuery(r.Path)
	ex := Exchange{Method: r.Method, URL: shown, RequestHeaders: redact(req.Header, r.Credentials), RequestBody: excerpt(sent)}
	t.lastReq = r.Method + " " + shown
	if r.Body != nil && len(sent) <= 300 && !bytes.ContainsAny(sent, "\r\n") {
		t.lastReq += " " + string(sent)
	} else if r.Body != nil {
		t.lastReq += fmt.Sprintf(" (%s, %d bytes)", r.Body.MediaType, len(sent))
	}
	resp, err := t.env.Client.Do(req)
	if err != nil {
		ex.Error = err.Error()
		t.exchanges = append(t.exchanges, ex)
		t.Fatalf(InTheRun("request"), "%s %s: %v", r.Method, p, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusLengthRequired && req.ContentLength < 0 {
		// A target that takes no chunked body (RFC 9112 §6.1 says every
		// HTTP/1.1 recipient must) gets the same request again with a
		// Content-Length, and so does every later request to its API.
		resp.Body.Close()
		t.env.requireLength(t.api.Name)
		t.exchanges = append(t.exchanges, Exchange{Method: r.Method, URL: u, RequestHeaders: ex.RequestHeaders,
			RequestBody: ex.RequestBody, Status: resp.StatusCode, Error: "411 to a chunked body: sent again with Content-Length"})
		return t.Do(r)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		ex.Error = err.Error()
		t.exchanges = append(t.exchanges, ex)
		t.Fatalf(InTheRun("request"), "%s %s: reading the body: %v", r.Method, p, err)
	}
	ex.Status = resp.StatusCode
	ex.ResponseHeaders = map[string]string{}
	for k := range resp.Header {
		switch k {
		case "Date", "Content-Length":
			continue
		}
		ex.ResponseHeaders[k] = resp.Header.Get(k)
	}
	ex.Body = excerpt(data)
	t.exchanges = append(t.exchanges, ex)
	t.env.Coverage.record(t.api, p, sent, r.Method, resp.StatusCode, data)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// redact keeps request headers with credentials replaced: the
// Authorization value after its scheme, cookies, the headers the
// credentials' schemes name and any header named like a secret.
func redact(h http.Header, creds Credentials) map[string]string {
	out := map[string]string{}
	for k := range h {
		v := h.Get(k)
		switch {
		case strings.EqualFold(k, "authorization"):
			if i := strings.IndexByte(v, ' '); i > 0 {
				v = v[:i] + " <redacted>"
			} else {
				v = "<redacted>"
			}
		case creds.namesHeader(k), SecretHeader(k):
			v = "<redacted>"
		}
		out[k] = v
	}
	return out
}

// SecretHeader reports whether a header's name says it carries a secret
// (Cookie, Proxy-Authorization, X-API-Key, a name with key, token,
// secret, session, password, signature or auth in it): reports show its
// value redacted.
func SecretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"cookie", "auth", "key", "token", "secret", "session", "password", "signature"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Excerpt shortens a body for reports (600 bytes, UTF-8 sequences kept
// whole, the full length said).
func Excerpt(b []byte) string { return excerpt(b) }

func excerpt(b []byte) string {
	if len(b) <= excerptLen {
		return string(b)
	}
	cut := excerptLen
	for cut > 0 && b[cut]&0xC0 == 0x80 { // keep UTF-8 sequences whole
		cut--
	}
	return string(b[:cut]) + fmt.Sprintf("… (%d bytes in all)", len(b))
}
