package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
)

// maxCoverageQueries bounds the distinct GraphQL documents kept per API
// for the coverage table.
const maxCoverageQueries = 20000

// Coverage records what a run's requests exercised: REST method, path and
// status per API, and the distinct GraphQL documents sent. Package report
// turns it into the coverage table.
type Coverage struct {
	mu      sync.Mutex
	rest    map[string]map[string]bool // api -> "METHOD path status"
	queries map[string]map[string]bool // api -> query
}

// NewCoverage makes an empty record.
func NewCoverage() *Coverage {
	return &Coverage{rest: map[string]map[string]bool{}, queries: map[string]map[string]bool{}}
}

// record notes one request (path and query, body) and the status it got.
func (c *Coverage) record(a *API, pathQuery string, body []byte, method string, status int) {
	if c == nil || a == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, _, _ := strings.Cut(pathQuery, "?")
	if a.Schema != nil && p == a.GraphQLPath() && body != nil {
		var b struct {
			Query string `json:"query"`
		}
		if json.Unmarshal(body, &b) == nil && b.Query != "" {
			if c.queries[a.Name] == nil {
				c.queries[a.Name] = map[string]bool{}
			}
			if len(c.queries[a.Name]) < maxCoverageQueries {
				c.queries[a.Name][b.Query] = true
			}
		}
		return
	}
	if c.rest[a.Name] == nil {
		c.rest[a.Name] = map[string]bool{}
	}
	c.rest[a.Name][fmt.Sprintf("%s %s %d", method, p, status)] = true
}

// REST returns the REST requests recorded for api, each as
// "METHOD path status".
func (c *Coverage) REST(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.rest[api])
}

// Queries returns the distinct GraphQL documents recorded for api.
func (c *Coverage) Queries(api string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.queries[api])
}
