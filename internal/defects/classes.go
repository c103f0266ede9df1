package defects

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/standin/standin/internal/conform/kit"
)

// classDefects returns the defects of the second catalog, each caught by
// one check class alone (Defect.Class): the suite fails on it, and passes
// with that class's checks left out.
func classDefects() []Defect {
	return []Defect{
		{Name: "overlapping requests slip past the rate limit (clients-v0)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "concurrent requests are counted one by one", Wrap: overlapSlipsPastLimit},
		{Name: "the rate limit bites one request early (clients-v0 refuses the 100th)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "the limit bites early", Wrap: limitBitesEarly},
		{Name: "Retry-After 0 while limited (clients-v0)", APIs: []string{"clients-v0"}, Class: kit.ClassRateLimit,
			Checks: []string{"rest-rate-limit-window"}, Expect: "a client told to retry now is refused again", Wrap: retryAfterZero},
		{Name: "a repeated delete answers success (marketplace deleteAccountMembership of a deleted membership)", APIs: []string{"marketplace"}, Class: kit.ClassWrites,
			Checks: []string{"graphql-write-readback"}, Expect: "it was already done, and a repeat must be refused", Wrap: repeatedDeleteSucceeds},
		{Name: "concurrent deletes of one record all succeed (marketplace deleteAccount, check then delete)", APIs: []string{"marketplace"}, Class: kit.ClassWrites,
			Checks: []string{"graphql-write-readback"}, Expect: "want exactly one", Wrap: racingDeletesSucceed},
		{Name: "an update's field not stored (marketplace terminateSubscription: endedOn in the payload, null when read)", APIs: []string{"marketplace"}, Class: kit.ClassWrites,
			Checks: []string{"graphql-write-readback"}, Expect: "sets it to the time of the write", Wrap: endedOnNotStored},
		{Name: "a refused write done anyway (marketplace readonly deleteAccountMembership: FORBIDDEN, yet deleted)", APIs: []string{"marketplace"}, Class: kit.ClassRoles,
			Checks: []string{"graphql-role-writes"}, Expect: "no longer finds the record", Wrap: refusedWriteDone},
		{Name: "a role may write what it must not (marketplace readonly terminates subscriptions)", APIs: []string{"marketplace"}, Class: kit.ClassRoles,
			Checks: []string{"graphql-role-writes"}, Expect: "role readonly did Mutation.terminateSubscription", Wrap: readonlyTerminates},
		{Name: "the auth scheme name matched case-sensitively (clients-v2 refuses \"bearer <token>\")", APIs: []string{"clients-v2"}, Class: kit.ClassHTTP,
			Checks: []string{"rest-auth-scheme-case"}, Expect: "the scheme name is case-insensitive", Wrap: schemeCaseSensitive},
		{Name: "JSON in windows-1251 (clients-v0 declares and sends another charset)", APIs: []string{"clients-v0"}, Class: kit.ClassHTTP,
			Checks: []string{"rest-media-type"}, Expect: "JSON between systems is UTF-8", Wrap: windows1251},
		{Name: "GraphQL over GET ignores the variables (admin)", APIs: []string{"admin"}, Class: kit.ClassHTTP,
			Checks: []string{"graphql-get"}, Expect: "GET answers other data than POST", Wrap: getDropsVariables},
		{Name: "a next link skips a page (marketplace companies)", APIs: []string{"marketplace"}, Class: kit.ClassHTTP,
			Checks: []string{"rest-paging-links"}, Expect: "are never reached", Wrap: nextSkipsAPage},
		{Name: "a lookup matching case-insensitively (marketplace accountByExternalId, documented exact and case-sensitive)", APIs: []string{"marketplace"}, Class: kit.ClassNearMiss,
			Checks: []string{"graphql-near-miss"}, Expect: "so a near miss must not find it", Wrap: externalIDFolded},
		{Name: "a filter matching case-insensitively (marketplace companies ?name=, documented exact)", APIs: []string{"marketplace"}, Class: kit.ClassNearMiss,
			Checks: []string{"rest-near-miss"}, Expect: "so the near miss must not match it", Wrap: nameFilterFolded},
	}
}

// externalIDVar finds the variable an accountByExternalId lookup takes.
var externalIDVar = regexp.MustCompile(`accountByExternalId\(\s*externalId:\s*\$(\w+)`)

// externalIDFolded looks accounts up by external id without regard to
// case (the external ids are lower case: the value is lowered).
func externalIDFolded(h http.Handler) http.Handler {
	return rewriteGraphQL(func(q *gqlRequest) {
		for _, m := range externalIDVar.FindAllStringSubmatch(q.Query, -1) {
			if s, ok := q.Variables[m[1]].(string); ok {
				q.Variables[m[1]] = strings.ToLower(s)
			}
		}
	})(h)
}

// nameFilterFolded filters companies by name without regard to case: the
// value is replaced by the company name it equals but for case.
func nameFilterFolded(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if r.URL.Path != "/api/account/v2/companies" || name == "" {
			h.ServeHTTP(w, r)
			return
		}
		all := r.Clone(r.Context())
		all.URL.RawQuery = "page=0&size=100"
		var list struct {
			Content []struct {
				Name string `json:"name"`
			} `json:"content"`
		}
		_ = json.Unmarshal(record(h, all).Body.Bytes(), &list)
		for _, c := range list.Content {
			if strings.EqualFold(c.Name, name) {
				q := r.URL.Query()
				q.Set("name", c.Name)
				r.URL.RawQuery = q.Encode()
				break
			}
		}
		h.ServeHTTP(w, r)
	})
}

// schemeCaseSensitive refuses an Authorization header whose scheme is
// not spelt "Bearer", as a server comparing the scheme name byte by byte
// would.
func schemeCaseSensitive(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("Authorization"); strings.HasPrefix(r.URL.Path, "/v2/clients/") && v != "" && !strings.HasPrefix(v, "Bearer ") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":"unauthorized","message":"Authentication required"}}`))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// windows1251 sends clients-v0's JSON in the windows-1251 code page, and
// says so in its Content-Type.
func windows1251(h http.Handler) http.Handler {
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := record(h, r)
		var out []byte
		for _, c := range rec.Body.String() {
			switch {
			case c < 0x80:
				out = append(out, byte(c))
			case c >= 0x410 && c <= 0x44f:
				out = append(out, byte(c-0x410+0xc0))
			case c == 0x401:
				out = append(out, 0xa8)
			case c == 0x451:
				out = append(out, 0xb8)
			default:
				out = append(out, '?')
			}
		}
		copyHeader(w.Header(), rec.Header())
		w.Header().Set("Content-Type", "application/json; charset=windows-1251")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})(h)
}

// getDropsVariables runs a GraphQL GET without its variables.
func getDropsVariables(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "graphql") {
			q := r.URL.Query()
			q.Del("variables")
			r.URL.RawQuery = q.Encode()
		}
		h.ServeHTTP(w, r)
	})
}

// nextSkipsAPage points every next link of the companies list two pages
// on instead of one.
func nextSkipsAPage(h http.Handler) http.Handler {
	return editJSON(restPath("/api/account/v2/companies"), func(v any) bool {
		links, ok := at(v, "links").([]any)
		if !ok {
			return false
		}
		for _, l := range links {
			m, _ := l.(map[string]any)
			href, _ := m["href"].(string)
			if m["rel"] != "next" || href == "" {
				continue
			}
			u, err := url.Parse(href)
			if err != nil {
				continue
			}
			q := u.Query()
			page, _ := strconv.Atoi(q.Get("page"))
			q.Set("page", strconv.Itoa(page+1))
			u.RawQuery = q.Encode()
			m["href"] = u.String()
		}
		return true
	})(h)
}

// gqlPost reads a GraphQL POST (its query and variables) and puts the
// body back for the handler; ok is false for any other request.
func gqlPost(r *http.Request) (gqlRequest, bool) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "graphql") {
		return gqlRequest{}, false
	}
	data, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(data))
	var q gqlRequest
	if json.Unmarshal(data, &q) != nil {
		return gqlRequest{}, false
	}
	return q, true
}

// withBody is r with its body read again from data.
func withBody(r *http.Request, data []byte) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(data))
	r2.ContentLength = int64(len(data))
	return r2
}

// mutationAnswer decodes a recorded GraphQL answer: the field's value and
// the error codes.
func mutationAnswer(rec *httptest.ResponseRecorder, field string) (any, []string) {
	var m struct {
		Data   map[string]any `json:"data"`
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	var codes []string
	for _, e := range m.Errors {
		if c, ok := e.Extensions["code"].(string); ok {
			codes = append(codes, c)
		}
	}
	return m.Data[field], codes
}

// answerSuccess writes {"data": {field: {"success": true}}}.
func answerSuccess(w http.ResponseWriter, field string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"data":{"` + field + `":{"success":true}}}`))
}

// repeatedDeleteSucceeds answers success to a deleteAccountMembership of a
// membership it already deleted, instead of NOT_FOUND.
func repeatedDeleteSucceeds(h http.Handler) http.Handler {
	var mu sync.Mutex
	done := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, ok := gqlPost(r)
		if !ok || !strings.Contains(q.Query, "deleteAccountMembership(") {
			h.ServeHTTP(w, r)
			return
		}
		key := canonical(q.Variables)
		rec := record(h, r)
		v, codes := mutationAnswer(rec, "deleteAccountMembership")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case v != nil:
			done[key] = true
		case done[key] && slices.Contains(codes, "NOT_FOUND"):
			answerSuccess(w, "deleteAccountMembership")
			return
		}
		replay(w, rec)
	})
}

// racingDeletesSucceed answers success to a deleteAccount that found the
// account already deleted by a request that ran at the same time: each
// read the account before either deleted it.
func racingDeletesSucceed(h http.Handler) http.Handler {
	var mu sync.Mutex
	inFlight := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, ok := gqlPost(r)
		if !ok || !strings.Contains(q.Query, "deleteAccount(") {
			h.ServeHTTP(w, r)
			return
		}
		key := canonical(q.Variables)
		mu.Lock()
		inFlight[key]++
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight[key]--
			mu.Unlock()
		}()
		time.Sleep(2 * time.Millisecond) // the read before the delete
		rec := record(h, r)
		_, codes := mutationAnswer(rec, "deleteAccount")
		mu.Lock()
		overlapped := inFlight[key] > 1
		mu.Unlock()
		if overlapped && slices.Contains(codes, "NOT_FOUND") {
			answerSuccess(w, "deleteAccount")
			return
		}
		replay(w, rec)
	})
}

// endedOnNotStored answers terminateSubscription as the correct server
// does, but later reads show endedOn null for the subscriptions it
// terminated: the payload was built before the write, which lost a field.
func endedOnNotStored(h http.Handler) http.Handler {
	var mu sync.Mutex
	terminated := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, ok := gqlPost(r)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		rec := record(h, r)
		if strings.Contains(q.Query, "terminateSubscription(") {
			if v, _ := mutationAnswer(rec, "terminateSubscription"); v != nil {
				mu.Lock()
				if id, ok := q.Variables["id"].(string); ok {
					terminated[id] = true
				}
				mu.Unlock()
			}
			replay(w, rec)
			return
		}
		mu.Lock()
		ids := maps.Clone(terminated)
		mu.Unlock()
		var v any
		dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
		dec.UseNumber()
		if len(ids) == 0 || dec.Decode(&v) != nil {
			replay(w, rec)
			return
		}
		var clear func(v any)
		clear = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if id, ok := x["id"].(string); ok && ids[id] {
					if _, has := x["endedOn"]; has {
						x["endedOn"] = nil
					}
				}
				for _, e := range x {
					clear(e)
				}
			case []any:
				for _, e := range x {
					clear(e)
				}
			}
		}
		clear(v)
		body, _ := json.Marshal(v)
		copyHeader(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// refusedWriteDone refuses the readonly token's deleteAccountMembership
// with the documented FORBIDDEN, after doing it.
func refusedWriteDone(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, ok := gqlPost(r)
		if ok && strings.Contains(q.Query, "deleteAccountMembership(") && bearerValue(r) == readonlyToken {
			data, _ := io.ReadAll(r.Body)
			r = withBody(r, data)
			done := withBody(r, data)
			done.Header.Set("Authorization", "Bearer "+adminToken)
			record(h, done)
		}
		h.ServeHTTP(w, r)
	})
}

// readonlyTerminates lets the readonly token terminate subscriptions (the
// WRITE permission not checked on that mutation).
func readonlyTerminates(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, ok := gqlPost(r)
		if ok && strings.Contains(q.Query, "terminateSubscription(") && bearerValue(r) == readonlyToken {
			r.Header.Set("Authorization", "Bearer "+adminToken)
		}
		h.ServeHTTP(w, r)
	})
}

// record runs h on r and returns what it answered.
func record(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// replay writes a recorded answer to w.
func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	copyHeader(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// onPath applies wrap only to requests for path; others pass through.
func onPath(path string, wrap func(h http.Handler, w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				h.ServeHTTP(w, r)
				return
			}
			wrap(h, w, r)
		})
	}
}

// overlapSlipsPastLimit serves a request refused by the limit as if it
// were under it when another request of the same token is in flight: a
// counter read and written apart, so that concurrent requests are not all
// counted. One request at a time sees the limit exactly.
func overlapSlipsPastLimit(h http.Handler) http.Handler {
	var mu sync.Mutex
	inFlight := map[string]int{}
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Authorization")
		mu.Lock()
		inFlight[tok]++
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight[tok]--
			mu.Unlock()
		}()
		time.Sleep(time.Millisecond) // the gap between reading and writing the counter
		rec := record(h, r)
		mu.Lock()
		overlapped := inFlight[tok] > 1
		mu.Unlock()
		if rec.Code == http.StatusTooManyRequests && overlapped {
			r2 := r.Clone(r.Context())
			r2.Header.Set("Authorization", "Bearer "+adminToken)
			rec = record(h, r2)
		}
		replay(w, rec)
	})(h)
}

// limitBitesEarly refuses the request that spends a window's last
// allowance (RateLimit-Remaining 0) with the documented 429.
func limitBitesEarly(h http.Handler) http.Handler {
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := record(h, r)
		if rec.Code == http.StatusOK && rec.Header().Get("RateLimit-Remaining") == "0" {
			copyHeader(w.Header(), rec.Header())
			w.Header().Set("Retry-After", rec.Header().Get("RateLimit-Reset"))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"success":false,"error":"Too many requests, please try again later"}`))
			return
		}
		replay(w, rec)
	})(h)
}

// retryAfterZero tells a limited client to retry at once.
func retryAfterZero(h http.Handler) http.Handler {
	return onPath("/v0/clients", func(h http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := record(h, r)
		if rec.Code == http.StatusTooManyRequests {
			rec.Header().Set("Retry-After", "0")
		}
		replay(w, rec)
	})(h)
}

// bearerValue is the token of an Authorization header ("" when none).
func bearerValue(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if i := strings.IndexByte(v, ' '); i > 0 {
		return v[i+1:]
	}
	return ""
}
