package conform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Violation is one difference between what a check expected and what the
// target answered. Where is an RFC 6901 JSON pointer into a REST body
// ("" for the whole body), "header:<Name>" / "status" for the envelope, or a
// GraphQL response path (data.accounts.nodes[0].id) or schema coordinate
// (Query.account(id:)).
type Violation struct {
	Where   string `json:"where"`
	Message string `json:"message"`
	// Request is the method and URL of the request the violation is
	// about (the step's latest request when it was recorded).
	Request string `json:"request,omitempty"`
}

func (v Violation) String() string {
	s := v.Where + ": " + v.Message
	if v.Where == "" {
		s = "(body): " + v.Message
	}
	if v.Request != "" {
		s += "\n      at " + v.Request
	}
	return s
}

// Exchange is one HTTP request and its response, credentials redacted.
type Exchange struct {
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"requestHeaders,omitempty"`
	RequestBody     string            `json:"requestBody,omitempty"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders,omitempty"`
	Body            string            `json:"body,omitempty"`
	Error           string            `json:"error,omitempty"`
}

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

type stopSignal struct{}

// Skip stops the step and reports it skipped with the reason.
func (t *T) Skip(format string, args ...any) {
	t.skip = fmt.Sprintf(format, args...)
	panic(stopSignal{})
}

// FailNow stops the step; it fails if a violation was recorded.
func (t *T) FailNow() { panic(stopSignal{}) }

// Fatalf records a violation and stops the step.
func (t *T) Fatalf(where, format string, args ...any) {
	t.Errorf(where, format, args...)
	t.FailNow()
}

// Errorf records a violation.
func (t *T) Errorf(where, format string, args ...any) {
	t.violations = append(t.violations, Violation{Where: where, Message: fmt.Sprintf(format, args...), Request: t.lastReq})
}

// Failed reports whether a violation was recorded.
func (t *T) Failed() bool { return len(t.violations) > 0 }

// API is the API under check.
func (t *T) API() *API { return t.api }

// Env is the run's environment.
func (t *T) Env() *Env { return t.env }

// Request describes one HTTP request of a check.
type Request struct {
	Method string
	Path   string // path and query, appended to the API's base URL
	Token  string // "" sends no credentials
	Header map[string]string
	Body   []byte
}

const excerptLen = 600

// Do sends the request and records the exchange. A transport error is a
// violation that stops the step.
func (t *T) Do(r Request) Response {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(t.env.Config.Timeout))
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	u := t.api.BaseURL() + r.Path
	req, err := http.NewRequestWithContext(ctx, r.Method, u, body)
	if err != nil {
		t.Fatalf("request", "cannot build request %s %s: %v", r.Method, u, err)
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
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
	req.Header.Set("Accept", "application/json")
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	t.lastRequest = r
	ex := Exchange{Method: r.Method, URL: u, RequestHeaders: redact(req.Header), RequestBody: excerpt(r.Body)}
	t.lastReq = r.Method + " " + u
	if r.Body != nil && len(r.Body) <= 300 {
		t.lastReq += " " + string(r.Body)
	}
	resp, err := t.env.Client.Do(req)
	if err != nil {
		ex.Error = err.Error()
		t.exchanges = append(t.exchanges, ex)
		t.Fatalf("request", "%s %s: %v", r.Method, r.Path, err)
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
		t.Fatalf("request", "%s %s: reading the body: %v", r.Method, r.Path, err)
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
	t.env.Coverage.record(t.api, r, resp.StatusCode)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// redact keeps request headers with credentials replaced.
func redact(h http.Header) map[string]string {
	out := map[string]string{}
	for k := range h {
		v := h.Get(k)
		switch strings.ToLower(k) {
		case "authorization":
			if i := strings.IndexByte(v, ' '); i > 0 {
				v = v[:i] + " <redacted>"
			} else {
				v = "<redacted>"
			}
		case "x-api-key", "cookie", "proxy-authorization":
			v = "<redacted>"
		}
		out[k] = v
	}
	return out
}

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

// Status of a result.
const (
	Pass = "pass"
	Fail = "fail"
	Skip = "skip"
)

// Result is the outcome of one case step.
type Result struct {
	Check      string        `json:"check"`
	API        string        `json:"api"`
	Proto      string        `json:"proto"`
	Operation  string        `json:"operation"`
	Name       string        `json:"name"`
	Status     string        `json:"status"`
	SkipReason string        `json:"skipReason,omitempty"`
	Violations []Violation   `json:"violations,omitempty"`
	Exchanges  []Exchange    `json:"exchanges,omitempty"`
	Duration   time.Duration `json:"durationNs"`
}

// maxShownExchanges bounds the exchanges a failure shows (the last ones).
const maxShownExchanges = 3

// Report renders a failed (or skipped) result for people: the API, the
// operation, the check, the request and response, and every violation.
func (r Result) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "API %s, operation %s, check %s: %s\n", r.API, r.Operation, r.Check, r.Name)
	if r.Status == Skip {
		fmt.Fprintf(&b, "skipped: %s\n", r.SkipReason)
		return b.String()
	}
	ex := r.Exchanges
	if len(ex) > maxShownExchanges {
		fmt.Fprintf(&b, "(%d earlier requests not shown)\n", len(ex)-maxShownExchanges)
		ex = ex[len(ex)-maxShownExchanges:]
	}
	for _, e := range ex {
		fmt.Fprintf(&b, "request:  %s %s\n", e.Method, e.URL)
		for _, k := range sortedKeys(e.RequestHeaders) {
			fmt.Fprintf(&b, "          %s: %s\n", k, e.RequestHeaders[k])
		}
		if e.RequestBody != "" {
			fmt.Fprintf(&b, "          %s\n", e.RequestBody)
		}
		if e.Error != "" {
			fmt.Fprintf(&b, "response: (none) %s\n", e.Error)
			continue
		}
		fmt.Fprintf(&b, "response: %d %s\n", e.Status, http.StatusText(e.Status))
		for _, k := range sortedKeys(e.ResponseHeaders) {
			fmt.Fprintf(&b, "          %s: %s\n", k, e.ResponseHeaders[k])
		}
		fmt.Fprintf(&b, "          %s\n", e.Body)
	}
	fmt.Fprintf(&b, "violations (%d):\n", len(r.Violations))
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  - %s\n", v)
	}
	return b.String()
}

// WriteJSON writes results as a JSON report.
func WriteJSON(w io.Writer, results []Result) error {
	counts := map[string]int{Pass: 0, Fail: 0, Skip: 0}
	for _, r := range results {
		counts[r.Status]++
	}
	sorted := append([]Result(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].API < sorted[j].API })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Passed  int      `json:"passed"`
		Failed  int      `json:"failed"`
		Skipped int      `json:"skipped"`
		Results []Result `json:"results"`
	}{counts[Pass], counts[Fail], counts[Skip], sorted})
}
