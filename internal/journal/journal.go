// Package journal keeps a bounded record of recent requests, newest first,
// for the control API's GET /__standin/requests.
//
// Add is on every request's path: it copies the entry into a fixed ring under
// a mutex and allocates nothing. Tokens are kept as given and redacted when
// read (List): only a short prefix leaves the journal.
package journal

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultSize is the ring size New uses for a size of zero or less.
const DefaultSize = 1000

// Entry is one request as the journal records it.
type Entry struct {
	Time      time.Time
	Method    string
	Path      string
	Query     string
	API       string
	Operation string
	// Scenario is the scenario applied, "" if none.
	Scenario string
	Status   int
	Duration time.Duration
	// Token is the credential presented. List returns it redacted (Redact).
	Token string
	// RequestID is the request's id, also in its X-Request-Id response
	// header and its log line.
	RequestID string
	// Request and Response are the headers and bodies, secrets redacted,
	// when the server keeps them (journalBodies: true); nil otherwise.
	Request, Response *Message
	// Replica names the mock process that served the request when
	// several replicas share one journal (--state); "" otherwise.
	Replica string
	// Seq is the entry's number in the journal that holds it, given by
	// Begin (1, 2, …; 0 for an entry not taken from a journal). Get finds
	// an entry by it.
	Seq uint64
	// Heads are the request's and response's headers as presented
	// (HeadsOf); readers get them redacted, as Request and Response.
	Heads Heads
}

// entryJSON is Entry on the wire: lower camel case, the duration in
// milliseconds (and as a Go duration string).
type entryJSON struct {
	Time       time.Time `json:"time"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query,omitempty"`
	API        string    `json:"api,omitempty"`
	Operation  string    `json:"operation,omitempty"`
	Scenario   string    `json:"scenario,omitempty"`
	Status     int       `json:"status"`
	DurationMs float64   `json:"durationMs"`
	Duration   string    `json:"duration"`
	Token      string    `json:"token,omitempty"`
	RequestID  string    `json:"requestId,omitempty"`
	Request    *Message  `json:"request,omitempty"`
	Response   *Message  `json:"response,omitempty"`
	Replica    string    `json:"replica,omitempty"`
	Seq        uint64    `json:"seq,omitempty"`
}

// MarshalJSON writes the entry with lower-camel-case names: time, method,
// path, query, api, operation, scenario, status, durationMs, duration, token,
// requestId, request and response (headers, and bodies when kept), replica
// and seq.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{
		Time: e.Time, Method: e.Method, Path: e.Path, Query: e.Query, API: e.API,
		Operation: e.Operation, Scenario: e.Scenario, Status: e.Status,
		DurationMs: float64(e.Duration) / float64(time.Millisecond), Duration: e.Duration.String(),
		Token: e.Token, RequestID: e.RequestID, Request: e.Request, Response: e.Response, Replica: e.Replica,
		Seq: e.Seq,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Entry) UnmarshalJSON(b []byte) error {
	var j entryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d := time.Duration(j.DurationMs * float64(time.Millisecond))
	if pd, err := time.ParseDuration(j.Duration); err == nil {
		d = pd
	}
	*e = Entry{Time: j.Time, Method: j.Method, Path: j.Path, Query: j.Query, API: j.API,
		Operation: j.Operation, Scenario: j.Scenario, Status: j.Status, Duration: d, Token: j.Token, RequestID: j.RequestID,
		Request: j.Request, Response: j.Response, Replica: j.Replica, Seq: j.Seq}
	return nil
}

// Redact returns a token's short prefix followed by "…": at most 8
// characters and never more than a third of the token; "" stays "".
func Redact(token string) string {
	if token == "" {
		return ""
	}
	n := min(8, len(token)/3)
	// Do not cut a UTF-8 sequence.
	for n > 0 && n < len(token) && token[n]&0xC0 == 0x80 {
		n--
	}
	return token[:n] + "…"
}

// secretParams are query parameter names (compared without case, "-"
// and "_" alike) whose values are credentials, besides those secretName
// knows (every name mentioning a token, secret, password or API key).
var secretParams = map[string]bool{
	"key": true, "auth": true, "authorization": true, "bearer": true, "passwd": true, "pwd": true,
	"signature": true, "sig": true, "session": true, "sessionid": true, "credentials": true,
}

// RedactQuery returns a raw query string with the value of every secret
// parameter (access_token, token, api_key, key, password, secret, …)
// replaced by its Redact form; everything else is kept byte for byte.
// List and Select return queries redacted.
func RedactQuery(raw string) string {
	if raw == "" || !strings.Contains(raw, "=") {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, part := range parts {
		name, value, ok := strings.Cut(part, "=")
		if !ok || value == "" {
			continue
		}
		key, err := url.QueryUnescape(name)
		if err != nil {
			key = name
		}
		if !secretName(key) && !secretParams[strings.ReplaceAll(strings.ToLower(key), "-", "_")] {
			continue
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			v = value
		}
		parts[i] = name + "=" + url.QueryEscape(Redact(v))
		changed = true
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

// Journal is a bounded ring of entries. Safe for concurrent use.
type Journal struct {
	mu    sync.Mutex
	ring  []Entry
	next  int // index the next Add writes
	count int // entries held, at most len(ring)
	// ids[i] is the id Begin gave ring[i]; last is the latest id given.
	ids  []uint64
	last uint64
	// subs are the live listeners (stream.go).
	subs subscribers
}

// New returns a journal keeping the latest size entries (DefaultSize when
// size <= 0).
func New(size int) *Journal {
	if size <= 0 {
		size = DefaultSize
	}
	return &Journal{ring: make([]Entry, size), ids: make([]uint64, size)}
}

// Add records an entry, dropping the oldest when full.
func (j *Journal) Add(e Entry) { j.Begin(e) }

// List returns up to limit entries, newest first (all when limit <= 0), with
// tokens, queries and headers redacted.
func (j *Journal) List(limit int) []Entry {
	j.mu.Lock()
	n := j.count
	if limit > 0 && limit < n {
		n = limit
	}
	out := make([]Entry, n)
	for i := range n {
		idx := j.next - 1 - i
		if idx < 0 {
			idx += len(j.ring)
		}
		out[i] = j.ring[idx]
	}
	j.mu.Unlock()
	for i := range out {
		forReading(&out[i])
	}
	return out
}

// Len returns the number of entries held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.count
}

// Cap returns the most entries the journal keeps.
func (j *Journal) Cap() int { return len(j.ring) }

// Reset forgets every entry.
func (j *Journal) Reset() {
	j.mu.Lock()
	clear(j.ring) // release the strings held
	clear(j.ids)
	j.next, j.count = 0, 0
	j.mu.Unlock()
}
