package rest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Bounds of rest-rate-limit-window: a limit it can spend in a run, a
// window it can judge over HTTP, the requests past the limit of a burst.
const (
	maxSpentLimit   = 1000
	minJudgedWindow = 10 * time.Second
	burstExtra      = 5
	// clockSlack is the rounding a header in whole seconds may add
	// (RateLimit-Reset and Retry-After round up).
	clockSlack = 2 * time.Second
)

// RateLimitWindow is rest-rate-limit-window: the documented rate limit
// judged exactly, on a fresh window of rateLimitToken. Every one of the
// first N requests succeeds (a limit that bites early fails);
// RateLimit-Remaining, when sent, falls by exactly one per request;
// RateLimit-Reset and a 429's Retry-After are never 0 while limited, never
// later than the end of a window that holds the first request, agree with
// each other, and name one window end; the request after the N-th and the
// one after it are refused; the valid token's budget is untouched by the
// spending (its Remaining falls by its own one request). A second case
// sends a concurrent burst of N+5 requests on a fresh window: exactly N
// succeed. A window is fresh when the run resets the target before each
// destructive case (a reset hook that also resets rate limits, or the
// bundled mock's reset), or when the first answer's RateLimit-Remaining
// says N-1; otherwise the case is skipped with the reason.
func (Catalog) RateLimitWindow() kit.Check {
	return kit.Check{
		Name:        "rest-rate-limit-window",
		Proto:       kit.REST,
		Phase:       kit.PhaseBehaviour,
		Class:       kit.ClassRateLimit,
		Destructive: true,
		Doc:         "the documented rate limit exactly: N of a fresh window succeed, Remaining falls by one, Reset and Retry-After agree with the window, a burst of N+5 gives N, the budget is per token",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, rl := range rateLimitedGETs(a) {
				o, limit, window := rl.op, rl.limit, rl.window
				other := ""
				if tok := a.Conf.Token; tok != "" && tok != a.Conf.RateLimitToken {
					other = ", and the valid token keeps its own budget"
				}
				title := fmt.Sprintf("%s %s: the first %d requests of a fresh window succeed, RateLimit-Remaining falls by one each, Reset and Retry-After agree with the %s window%s (spends rateLimitToken's budget)",
					o.Method, o.Path, limit, window, other)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) { windowSequence(t, o, limit, window) }))
				title = fmt.Sprintf("%s %s: a concurrent burst of %d requests on a fresh window gives exactly %d successes (spends rateLimitToken's budget)",
					o.Method, o.Path, limit+burstExtra, limit)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) { windowBurst(t, o, limit, window) }))
			}
			return out
		},
	}
}

// rateLimited is an operation with its documented rate limit.
type rateLimited struct {
	op     model.Operation
	limit  int
	window time.Duration
}

// rateLimitedGETs are the API's GET operations that document 429 and
// whose rate limit is known: the ones the rate-limit checks spend.
func rateLimitedGETs(a *kit.API) []rateLimited {
	var out []rateLimited
	for _, o := range a.Operations() {
		if !o.Documents(http.StatusTooManyRequests) || o.Method != http.MethodGet {
			continue
		}
		if limit, window := a.RateLimit(o); limit > 0 {
			out = append(out, rateLimited{o, limit, window})
		}
	}
	return out
}

// rateLimitTarget prepares a case: the path values, the token to spend,
// or a skip with the reason.
func rateLimitTarget(t *kit.T, o model.Operation, limit int, window time.Duration) (map[string]string, string) {
	a := t.API()
	token := a.Conf.RateLimitToken
	if token == "" {
		t.Skip("no rateLimitToken for %s: the check spends that token's whole budget (%d requests per %s); set rateLimitToken in conform.yaml to a token you can spare", a.Name, limit, window)
	}
	switch {
	case limit > maxSpentLimit:
		t.Skip("the documented limit (%d per %s) is more than the %d requests this check spends in a run", limit, window, maxSpentLimit)
	case window < minJudgedWindow:
		t.Skip("the documented window (%s) is shorter than %s: too short to judge exactly over HTTP", window, minJudgedWindow)
	}
	values := map[string]string{}
	for _, p := range o.PathParams() {
		v, why := kit.ParamID(t, p)
		if v == "" {
			t.Skip("%s", why)
		}
		values[p] = v
	}
	t.DropExchanges()
	return values, token
}

// intHeader reads a header's leading integer (RateLimit-Limit may carry
// a policy after it: "100, 100;w=900"); ok is false when it is absent.
func intHeader(h http.Header, name string) (n int, present, ok bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false, false
	}
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end == 0 {
		return 0, true, false
	}
	if end > 0 {
		v = v[:end]
	}
	n, err := strconv.Atoi(v)
	return n, true, err == nil
}

// retryAfter reads Retry-After as a delay (delay-seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if d, err := http.ParseTime(v); err == nil {
		return d.Sub(now), true
	}
	return 0, false
}

// freshness skips the case unless its window is fresh: a reset ran before
// it, or the first answer says N-1 remain. A first answer of 429, or one
// whose RateLimit-Remaining says the window was already used, skips with
// what the configuration lacks.
func freshness(t *kit.T, resp kit.Response, limit int) {
	reset := t.Env().ResetBeforeEach(t.API())
	rem, present, ok := intHeader(resp.Header, "RateLimit-Remaining")
	switch {
	case resp.Status == http.StatusTooManyRequests:
		t.Skip("the first request of rateLimitToken was already refused (429): its window was spent before the check; give %s a reset hook (conform.yaml reset) that also resets rate limits", t.API().Name)
	case present && ok && rem < limit-1:
		if reset {
			t.Skip("RateLimit-Remaining is %d on the first request after the reset: the reset hook does not reset rate limits; make it do so for this check", rem)
		}
		t.Skip("rateLimitToken's window is not fresh (RateLimit-Remaining %d of %d on the first request) and no reset runs before the check: give %s a reset hook (conform.yaml reset) that also resets rate limits", rem, limit, t.API().Name)
	case !reset && !(present && ok):
		t.Skip("cannot tell that rateLimitToken's window is fresh: no reset runs before the check and the answer has no RateLimit-Remaining; give %s a reset hook (conform.yaml reset) that also resets rate limits", t.API().Name)
	}
}

// windowSequence spends one window request by request.
func windowSequence(t *kit.T, o model.Operation, limit int, window time.Duration) {
	a := t.API()
	values, token := rateLimitTarget(t, o, limit, window)
	path := kit.Target(o, values)
	other := a.Conf.Token
	if other == token {
		other = ""
	}
	otherBefore, otherKnown := -1, false
	if other != "" {
		resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(other)})
		otherBefore, _, otherKnown = intHeader(resp.Header, "RateLimit-Remaining")
		t.DropExchanges()
	}
	success := o.SuccessStatus()
	var t0 time.Time
	// end bounds: the window holds the first request, so it ends by
	// t0+window; RateLimit-Reset names when it ends.
	var endLo, endHi time.Time
	remainingWrong := false
	for i := 0; i < limit; i++ {
		sent := time.Now()
		if i == 0 {
			t0 = sent
		}
		resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(token)})
		if i == 0 {
			freshness(t, resp, limit)
		}
		if resp.Status == http.StatusTooManyRequests {
			t.KeepLastExchange()
			t.Fatalf(kit.Status(), "request %d of a fresh window answered 429: the limit bites early (documented: %d per %s, so every one of the first %d succeeds)", i+1, limit, window, limit)
		}
		if resp.Status != success {
			t.KeepLastExchange()
			t.Fatalf(kit.Status(), "request %d of the window: want HTTP %d, got %d", i+1, success, resp.Status)
		}
		if n, present, ok := intHeader(resp.Header, "RateLimit-Limit"); present && (!ok || n != limit) {
			t.KeepLastExchange()
			t.Fatalf(kit.Header("RateLimit-Limit"), "request %d: RateLimit-Limit %q, want %d (the documented limit)", i+1, resp.Header.Get("RateLimit-Limit"), limit)
		}
		if rem, present, ok := intHeader(resp.Header, "RateLimit-Remaining"); present && !remainingWrong {
			want := limit - 1 - i
			if !ok || rem != want {
				remainingWrong = true
				t.Errorf(kit.Header("RateLimit-Remaining"), "request %d of the window: RateLimit-Remaining %q, want %d (one less per request: %d - %d)", i+1, resp.Header.Get("RateLimit-Remaining"), want, limit, i+1)
			}
		}
		if reset, present, ok := intHeader(resp.Header, "RateLimit-Reset"); present {
			if !ok || reset < 1 {
				t.Fatalf(kit.Header("RateLimit-Reset"), "request %d: RateLimit-Reset %q while the window is open, want 1-%d seconds", i+1, resp.Header.Get("RateLimit-Reset"), int(window.Seconds()))
			}
			end := sent.Add(time.Duration(reset) * time.Second)
			if end.After(t0.Add(window).Add(clockSlack)) {
				t.Fatalf(kit.Header("RateLimit-Reset"), "request %d: RateLimit-Reset %d puts the window's end %s after its first request, longer than the %s window", i+1, reset, end.Sub(t0).Round(time.Second), window)
			}
			if endLo.IsZero() || end.Before(endLo) {
				endLo = end
			}
			if end.After(endHi) {
				endHi = end
			}
		}
	}
	if endHi.Sub(endLo) > clockSlack {
		t.Errorf(kit.Header("RateLimit-Reset"), "RateLimit-Reset named window ends %s apart over the %d requests of one window; one window has one end", endHi.Sub(endLo).Round(time.Second), limit)
	}
	t.DropExchanges()
	for extra := 1; extra <= 2; extra++ {
		resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(token)})
		now := time.Now()
		if resp.Status != http.StatusTooManyRequests {
			t.KeepLastExchange()
			t.Fatalf(kit.Status(), "request %d of the window (%d past the limit of %d per %s): want HTTP 429, got %d", limit+extra, extra, limit, window, resp.Status)
		}
		ra, ok := retryAfter(resp.Header, now)
		left := t0.Add(window).Sub(now)
		switch {
		case !ok:
			t.Errorf(kit.Header("Retry-After"), "request %d (429): Retry-After %q is neither delay-seconds nor an HTTP date", limit+extra, resp.Header.Get("Retry-After"))
		case ra <= 0:
			t.Errorf(kit.Header("Retry-After"), "request %d (429): Retry-After %q while the token is limited: a client told to retry now is refused again", limit+extra, resp.Header.Get("Retry-After"))
		case ra > left+clockSlack:
			t.Errorf(kit.Header("Retry-After"), "request %d (429): Retry-After %s, but the window, which holds the first request, ends in at most %s", limit+extra, ra, left.Round(time.Second))
		}
		if reset, present, rok := intHeader(resp.Header, "RateLimit-Reset"); present && rok && ok {
			if reset < 1 {
				t.Errorf(kit.Header("RateLimit-Reset"), "request %d (429): RateLimit-Reset %d while the token is limited", limit+extra, reset)
			}
			if d := time.Duration(reset)*time.Second - ra; math.Abs(d.Seconds()) > clockSlack.Seconds() {
				t.Errorf(kit.Header("Retry-After"), "request %d (429): Retry-After %s and RateLimit-Reset %ds disagree about when the window ends", limit+extra, ra, reset)
			}
		}
		if rem, present, rok := intHeader(resp.Header, "RateLimit-Remaining"); present && (!rok || rem != 0) {
			t.Errorf(kit.Header("RateLimit-Remaining"), "request %d (429): RateLimit-Remaining %q, want 0", limit+extra, resp.Header.Get("RateLimit-Remaining"))
		}
		if t.Failed() {
			t.KeepLastExchange()
			return
		}
	}
	if other == "" {
		return
	}
	resp := t.Do(kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(other)})
	if resp.Status == http.StatusTooManyRequests {
		t.KeepLastExchange()
		t.Fatalf(kit.Status(), "the valid token was refused (429) after rateLimitToken spent its budget: the limit is not per token")
	}
	if rem, _, ok := intHeader(resp.Header, "RateLimit-Remaining"); ok && otherKnown && rem != otherBefore-1 {
		t.KeepLastExchange()
		t.Errorf(kit.Header("RateLimit-Remaining"), "the valid token's RateLimit-Remaining went from %d to %d over its one request while rateLimitToken spent %d: the budget is not per token", otherBefore, rem, limit+2)
	}
}

// windowBurst sends N+5 requests at once on a fresh window.
func windowBurst(t *kit.T, o model.Operation, limit int, window time.Duration) {
	a := t.API()
	values, token := rateLimitTarget(t, o, limit, window)
	path := kit.Target(o, values)
	req := kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(token)}
	allowed := limit
	if !t.Env().ResetBeforeEach(a) {
		// The window is fresh only if the first answer says so: it is
		// then one of the window's requests.
		resp := t.Do(req)
		freshness(t, resp, limit)
		if resp.Status != o.SuccessStatus() {
			t.Fatalf(kit.Status(), "the first request of a fresh window: want HTTP %d, got %d", o.SuccessStatus(), resp.Status)
		}
		allowed--
	}
	t.DropExchanges()
	n := allowed + burstExtra
	statuses := make([]int, n)
	zeroRetry := make([]bool, n)
	t.Concurrently(n, func(i int, c *kit.T) {
		resp := c.Do(req)
		statuses[i] = resp.Status
		if resp.Status == http.StatusTooManyRequests {
			if ra, ok := retryAfter(resp.Header, time.Now()); !ok || ra <= 0 {
				zeroRetry[i] = true
			}
		}
	})
	ok, limited, other := 0, 0, map[int]int{}
	for _, s := range statuses {
		switch s {
		case o.SuccessStatus():
			ok++
		case http.StatusTooManyRequests:
			limited++
		default:
			other[s]++
		}
	}
	if len(other) > 0 {
		t.Errorf(kit.Status(), "a concurrent burst of %d requests: statuses other than %d and 429: %v", n, o.SuccessStatus(), other)
	}
	if ok != allowed {
		verb := "admitted"
		if ok < allowed {
			verb = "admitted only"
		}
		t.Errorf(kit.Status(), "a concurrent burst of %d requests on a fresh window %s %d (%d refused with 429): want exactly %d of the documented %d per %s; concurrent requests are counted one by one", n, verb, ok, limited, allowed, limit, window)
	}
	for i, z := range zeroRetry {
		if z {
			t.Errorf(kit.Header("Retry-After"), "a 429 of the burst (request %d) has no positive Retry-After", i+1)
			break
		}
	}
}
