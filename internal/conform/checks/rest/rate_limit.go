package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// RateLimit is rest-rate-limit: past the documented rate limit (the
// manifest's rateLimit, or "N queries per M minutes" in the 429 response's
// description) the API answers 429 with the documented body and a
// Retry-After header. It spends the whole budget of its own token
// (rateLimitToken in conform.yaml), so it is destructive and skipped
// without one.
func (Catalog) RateLimit() kit.Check {
	return kit.Check{
		Name:        "rest-rate-limit",
		Class:       kit.ClassRateLimit,
		Proto:       kit.REST,
		Phase:       kit.PhaseBehaviour,
		Destructive: true,
		Doc:         "past the documented rate limit: 429 with the documented body and Retry-After",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, rl := range rateLimitedGETs(a) {
				o, limit, window := rl.op, rl.limit, rl.window
				title := fmt.Sprintf("%s %s answers 429 with Retry-After past %d requests per %s (spends rateLimitToken's budget)", o.Method, o.Path, limit, window)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					values := map[string]string{}
					for _, p := range o.PathParams() {
						v, why := kit.ParamID(t, p)
						if v == "" {
							t.Skip("%s", why)
						}
						values[p] = v
					}
					token := a.Conf.RateLimitToken
					if token == "" {
						t.Skip("no rateLimitToken for %s: the check spends that token's whole budget (%d requests per %s); set rateLimitToken in conform.yaml to a token you can spare", a.Name, limit, window)
					}
					var resp kit.Response
					for i := 0; i <= limit; i++ {
						t.DropExchanges()
						resp = t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: a.CredentialsAs(o, token)})
						if resp.Status == http.StatusTooManyRequests {
							break
						}
					}
					if resp.Status != http.StatusTooManyRequests {
						t.Fatalf(kit.Status(), "no 429 after %d requests with one token (documented limit: %d per %s); last status %d", limit+1, limit, window, resp.Status)
					}
					ra := resp.Header.Get("Retry-After")
					if n, err := strconv.Atoi(strings.TrimSpace(ra)); err != nil || n < 0 {
						if _, derr := http.ParseTime(ra); derr != nil {
							t.Errorf(kit.Header("Retry-After"), "want a Retry-After of delay-seconds or an HTTP date, got %q", ra)
						}
					}
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
