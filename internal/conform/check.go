package conform

import (
	"fmt"
	"time"
)

// Check is a named kind of check: one value that names the check, documents
// it and generates its cases, rather than a test function per case. Cases
// generates its instances for one API from the API's contracts; an API the
// check does not apply to yields none.
type Check struct {
	// Name identifies the check in reports, e.g. "rest-success".
	Name string
	// Proto is "rest" or "graphql".
	Proto string
	// Doc says what the check verifies.
	Doc string
	// Destructive checks change data or spend a rate limit.
	Destructive bool
	// Cases generates the check's cases for one API.
	Cases func(ch *Check, e *Env, a *API) []*Case
}

// Case is one instance of a check for an API and an operation. A case
// with several steps is a stateful flow: its steps run in order and the
// first failure skips the rest (Ginkgo: an Ordered container).
type Case struct {
	Check     *Check
	API       *API
	Operation string
	// Title is the human name, e.g. "GET /v2/clients/{client_id} answers 200 ...".
	Title string
	Steps []Step
}

// Step is one step of a case.
type Step struct {
	Name string
	Run  func(t *T)
}

// Destructive reports whether the case changes data or spends a limit.
func (c *Case) Destructive() bool { return c.Check.Destructive }

// Labels are the Ginkgo labels of the case.
func (c *Case) Labels() []string {
	l := []string{"api:" + c.API.Name, "proto:" + c.Check.Proto, "check:" + c.Check.Name}
	if c.Destructive() {
		l = append(l, "destructive")
	}
	return l
}

// single makes a one-step case.
func single(ch *Check, a *API, op, title string, run func(t *T)) *Case {
	return &Case{Check: ch, API: a, Operation: op, Title: title, Steps: []Step{{Name: title, Run: run}}}
}

// Checks lists every check, in the order their cases run: read-only
// checks first, then the destructive ones.
func Checks() []*Check {
	return []*Check{
		RESTSuccess, RESTNoToken, RESTBadToken, RESTForbidden, RESTNotFound,
		GraphQLSchema, GraphQLDocumentedQueries, GraphQLFullSelection, GraphQLErrorShape,
		GraphQLUnauthenticated, GraphQLPermissionDenied, GraphQLPagination, GraphQLLookups,
		RESTGraphQLAgree,
		RESTRole, GraphQLRole, RESTSecuritySchemes, GraphQLSecuritySchemes,
		RESTRecords, RESTLookups, GraphQLRecords, RESTPaging, RESTFilters, GraphQLFilter, GraphQLOrder, GraphQLPageInfo,
		RESTInvalidInput, GraphQLInvalidInput,
		GraphQLPropertySelection, GraphQLPropertyPagination, RESTPropertyParams,
		RESTRateLimit, GraphQLDeleteAccount,
	}
}

// Plan generates every case of the given checks for the env's APIs
// (nil checks: all of them).
func Plan(e *Env, checks []*Check) []*Case {
	if checks == nil {
		checks = Checks()
	}
	var out []*Case
	for _, ch := range checks {
		for _, a := range e.APIs {
			out = append(out, ch.Cases(ch, e, a)...)
		}
	}
	return out
}

// RunStep runs one step of a case and returns its result. When the case
// is destructive and the env may not change data, the step is skipped.
func RunStep(e *Env, c *Case, s Step) (res Result) {
	res = Result{Check: c.Check.Name, API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation, Name: s.Name}
	if s.Name != c.Title {
		res.Name = c.Title + " / " + s.Name
	}
	if c.Destructive() && !e.Config.Destructive {
		res.Status, res.SkipReason = Skip, "changes data or spends a rate limit: run with --destructive"
		return res
	}
	t := &T{env: e, api: c.API}
	start := time.Now()
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(stopSignal); !ok {
					t.Errorf("check", "panic: %v", r)
				}
			}
		}()
		s.Run(t)
	}()
	res.Duration = time.Since(start)
	res.Exchanges = t.exchanges
	res.Violations = t.violations
	switch {
	case len(t.violations) > 0:
		res.Status = Fail
	case t.skip != "":
		res.Status, res.SkipReason = Skip, t.skip
	default:
		res.Status = Pass
		res.Exchanges = nil
	}
	return res
}

// RunCases runs cases in order without Ginkgo (the mutation test): a
// failed step skips the rest of its case; destructive cases are followed
// by a reset of the target.
func RunCases(e *Env, cases []*Case) []Result {
	var out []Result
	for _, c := range cases {
		failed := false
		if err := e.BeforeDestructive(c); err != nil {
			out = append(out, Result{Check: c.Check.Name, API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation,
				Name: "reset before " + c.Title, Status: Fail, Violations: []Violation{{Where: "reset", Message: err.Error()}}})
			continue
		}
		for _, s := range c.Steps {
			if failed {
				out = append(out, SkippedAfterFailure(c, s))
				continue
			}
			r := RunStep(e, c, s)
			failed = r.Status == Fail
			out = append(out, r)
		}
		if c.Destructive() && e.Config.Destructive {
			if err := e.ResetTarget(); err != nil {
				out = append(out, Result{Check: c.Check.Name, API: c.API.Name, Name: "reset after " + c.Title, Status: Fail,
					Violations: []Violation{{Where: "reset", Message: err.Error()}}})
			}
		}
	}
	return out
}

// SkippedAfterFailure is the result of a step of a flow skipped because
// an earlier step failed.
func SkippedAfterFailure(c *Case, s Step) Result {
	return Result{Check: c.Check.Name, API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation,
		Name: c.Title + " / " + s.Name, Status: Skip, SkipReason: "an earlier step of this flow failed"}
}

// Failed lists the failed results.
func Failed(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if r.Status == Fail {
			out = append(out, r)
		}
	}
	return out
}

// Summary counts results by status.
func Summary(rs []Result) string {
	n := map[string]int{}
	for _, r := range rs {
		n[r.Status]++
	}
	return fmt.Sprintf("%d passed, %d failed, %d skipped", n[Pass], n[Fail], n[Skip])
}
