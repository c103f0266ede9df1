package conform

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RESTRateLimit: past the documented rate limit (the manifest's rateLimit,
// or "N queries per M minutes" in the 429 response's description) the API
// answers 429 with the documented body and a Retry-After header. It spends
// the whole budget of its own token (rateLimitToken in conform.yaml), so it
// is destructive and skipped without one.
var RESTRateLimit = &Check{
	Name:        "rest-rate-limit",
	Proto:       "rest",
	Destructive: true,
	Doc:         "past the documented rate limit: 429 with the documented body and Retry-After",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			if !o.documents(http.StatusTooManyRequests) || o.Method != http.MethodGet {
				continue
			}
			limit, window := documentedLimit(a, o)
			if limit == 0 {
				continue
			}
			title := fmt.Sprintf("%s %s answers 429 with Retry-After past %d requests per %s (spends rateLimitToken's budget)", o.Method, o.Path, limit, window)
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				values := map[string]string{}
				for _, p := range o.pathParams() {
					v, why := paramID(t, p)
					if v == "" {
						t.Skip("%s", why)
					}
					values[p] = v
				}
				token := a.Conf.RateLimitToken
				if token == "" {
					t.Skip("no rateLimitToken for %s: the check spends that token's whole budget (%d requests per %s); set rateLimitToken in conform.yaml to a token you can spare", a.Name, limit, window)
				}
				var resp Response
				for i := 0; i <= limit; i++ {
					t.exchanges = t.exchanges[:0]
					resp = t.Do(Request{Method: o.Method, Path: o.fill(values), Token: token})
					if resp.Status == http.StatusTooManyRequests {
						break
					}
				}
				if resp.Status != http.StatusTooManyRequests {
					t.Fatalf("status", "no 429 after %d requests with one token (documented limit: %d per %s); last status %d", limit+1, limit, window, resp.Status)
				}
				ra := resp.Header.Get("Retry-After")
				if n, err := strconv.Atoi(strings.TrimSpace(ra)); err != nil || n < 0 {
					if _, derr := http.ParseTime(ra); derr != nil {
						t.Errorf("header:Retry-After", "want a Retry-After of delay-seconds or an HTTP date, got %q", ra)
					}
				}
				checkContentType(t, o, resp)
				validateResponse(t, o, values, resp)
			}))
		}
		return out
	},
}

var limitText = regexp.MustCompile(`(\d+)\s+(?:queries|requests|calls)\s+per\s+(\d+)?\s*(second|minute|hour|day)s?`)

// documentedLimit reads the limit from the manifest, else from the 429
// response's description.
func documentedLimit(a *API, o restOp) (int, time.Duration) {
	if rl := a.Manifest.RateLimit; rl != nil && rl.Limit > 0 {
		return rl.Limit, time.Duration(rl.Window)
	}
	ref := o.Op.Responses.Status(http.StatusTooManyRequests)
	if ref == nil || ref.Value == nil || ref.Value.Description == nil {
		return 0, 0
	}
	m := limitText.FindStringSubmatch(*ref.Value.Description)
	if m == nil {
		return 0, 0
	}
	n, _ := strconv.Atoi(m[1])
	k := 1
	if m[2] != "" {
		k, _ = strconv.Atoi(m[2])
	}
	unit := map[string]time.Duration{"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[m[3]]
	return n, time.Duration(k) * unit
}
