package control

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/journal"
)

// filterParams are the query parameters of GET /__standin/requests and
// /__standin/requests/count.
var filterParams = []string{"api", "operation", "method", "path", "status", "scenario", "since", "limit"}

// ParseFilter reads a journal filter from query parameters: api, operation,
// method, path (exact, or a prefix ending in "*"), status (a code such as
// 404 or a class such as 4xx), scenario ("none" for requests without one),
// since (an RFC 3339 time) and limit (0 = all; default DefaultRequestsLimit).
// An unknown parameter or a bad value is an error naming it.
func ParseFilter(q url.Values) (journal.Filter, error) {
	f := journal.Filter{Limit: DefaultRequestsLimit}
	for k, vs := range q {
		if !slices.Contains(filterParams, k) {
			return f, fmt.Errorf("unknown filter %q; filters: %s", k, strings.Join(filterParams, ", "))
		}
		if len(vs) > 1 {
			return f, fmt.Errorf("filter %s given %d times; give it once", k, len(vs))
		}
	}
	f.API, f.Operation, f.Scenario = q.Get("api"), q.Get("operation"), q.Get("scenario")
	f.Method, f.Path = strings.ToUpper(q.Get("method")), q.Get("path")
	if v := q.Get("status"); v != "" {
		if len(v) == 3 && strings.EqualFold(v[1:], "xx") && v[0] >= '1' && v[0] <= '5' {
			f.StatusClass = int(v[0] - '0')
		} else if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 999 {
			f.Status = n
		} else {
			return f, fmt.Errorf("status %q must be a status code (404) or a class (4xx)", v)
		}
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, fmt.Errorf("since %q must be an RFC 3339 time such as 2026-01-02T15:04:05Z", v)
		}
		f.Since = t
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, fmt.Errorf("limit %q must be a non-negative integer (0 = all)", v)
		}
		f.Limit = n
	}
	return f, nil
}

// filter parses the request's filter, answering 400 when it is bad.
func (h *handler) filter(w http.ResponseWriter, r *http.Request) (journal.Filter, bool) {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return f, false
	}
	if f.API != "" && !h.knownAPI(f.API) {
		writeError(w, http.StatusBadRequest, "api filter: "+h.unknownAPI(f.API))
		return f, false
	}
	return f, true
}

func (h *handler) requestsCount(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	f, ok := h.filter(w, r)
	if !ok {
		return
	}
	n := 0
	if sj, ok := h.b.(SharedJournal); ok {
		if c, ok := sj.CountRequests(f); ok {
			writeJSON(w, http.StatusOK, map[string]int{"count": c})
			return
		}
	}
	if j := h.b.Journal(); j != nil {
		n = j.Count(f)
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
}
