package kit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"sync"
)

// maxCoverageQueries bounds the distinct GraphQL documents kept per API
// for the coverage table.
const maxCoverageQueries = 20000

// Coverage records what a run's requests exercised: REST method, path and
// status per API with the query parameters sent, and the distinct GraphQL
// documents sent with the HTTP statuses and error codes answered. Package
// report turns it into the coverage table and the per-API coverage line.
type Coverage struct {
	mu      sync.Mutex
	rest    map[string]map[string]bool // api -> "METHOD path status"
	params  map[string]map[string]bool // api -> "METHOD path name" (query parameters sent)
	queries map[string]map[string]bool // api -> query
	answers map[string]map[string]bool // api -> GraphQL "HTTP 200", "code FORBIDDEN"
}

// NewCoverage makes an empty record.
func NewCoverage() *Coverage {
	return &Coverage{rest: map[string]map[string]bool{}, params: map[string]map[string]bool{},
		queries: map[string]map[string]bool{}, answers: map[string]map[string]bool{}}
}

func mark(m map[string]map[string]bool, api, key string) {
	if m[api] == nil {
		m[api] = map[string]bool{}
	}
	m[api][key] = true
}

// record notes one request (path and query, body) and what it got.
func (c *Coverage) record(a *API, pathQuery string, body []byte, method string, status int, answer []byte) {
	if c == nil || a == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, rawQuery, _ := strings.Cut(pathQuery, "?")
	if a.Schema != nil && p == a.GraphQLPath() {
		var b struct {
			Query string `json:"query"`
		}
		if body != nil {
			_ = json.Unmarshal(body, &b)
		} else if q, err := url.ParseQuery(rawQuery); err == nil {
			b.Query = q.Get("query") // GraphQL over GET
		}
		if b.Query != "" && len(c.queries[a.Name]) < maxCoverageQueries {
			mark(c.queries, a.Name, b.Query)
		}
		mark(c.answers, a.Name, fmt.Sprintf("HTTP %d", status))
		for _, code := range errorCodes(answer) {
			mark(c.answers, a.Name, "code "+code)
		}
		return
	}
	mark(c.rest, a.Name, fmt.Sprintf("%s %s %d", method, p, status))
	if q, err := url.ParseQuery(rawQuery); err == nil {
		for name := range q {
			mark(c.params, a.Name, method+" "+p+" "+name)
		}
	}
}

// errorCodes reads the extensions.code of a GraphQL answer's errors.
func errorCodes(answer []byte) []string {
	if !bytes.Contains(answer, []byte(`"errors"`)) {
		return nil
	}
	var r struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(answer, &r) != nil {
		return nil
	}
	var out []string
	for _, e := range r.Errors {
		if e.Extensions.Code != "" {
			out = append(out, e.Extensions.Code)
		}
	}
	return out
}

// REST returns the REST requests recorded for api, each as
// "METHOD path status".
func (c *Coverage) REST(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.rest[api])
}

// QueryParams returns the query parameters sent to api's REST paths,
// each as "METHOD path name".
func (c *Coverage) QueryParams(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.params[api])
}

// Queries returns the distinct GraphQL documents recorded for api.
func (c *Coverage) Queries(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.queries[api])
}

// GraphQLAnswers returns what api's GraphQL endpoint answered: "HTTP
// 200" for each status, "code FORBIDDEN" for each error code.
func (c *Coverage) GraphQLAnswers(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.answers[api])
}
