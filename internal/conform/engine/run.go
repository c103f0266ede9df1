package engine

import (
	"time"

	"github.com/standin/standin/internal/conform/kit"
)

// Plan generates every case of the given checks for the env's APIs, check
// by check.
func Plan(e *kit.Env, checks []*kit.Check) []*kit.Case {
	var out []*kit.Case
	for _, ch := range checks {
		for _, a := range e.APIs {
			out = append(out, ch.Cases(ch, e, a)...)
		}
	}
	return out
}

// RunStep runs one step of a case and returns its result. When the case
// is destructive and the env may not change data, the step is skipped.
func RunStep(e *kit.Env, c *kit.Case, s kit.Step) (res Result) {
	res = Result{Check: c.Check.Name, Class: c.Check.ClassOf(), API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation, Name: s.Name}
	if s.Name != c.Title {
		res.Name = c.Title + " / " + s.Name
	}
	if c.Destructive() && !e.Config.Destructive {
		res.Status, res.SkipReason = Skip, "changes data or spends a rate limit: run with --destructive"
		return res
	}
	t := kit.NewT(e, c.API)
	start := time.Now()
	t.Run(s.Run)
	res.Duration = time.Since(start)
	res.Exchanges = t.Exchanges()
	res.Violations = t.Violations()
	switch {
	case len(res.Violations) > 0:
		res.Status = Fail
	case t.SkipReason() != "":
		res.Status, res.SkipReason = Skip, t.SkipReason()
	default:
		res.Status = Pass
		res.Exchanges = nil
	}
	return res
}

// RunCases runs cases in order without Ginkgo (the mutation test): a
// failed step skips the rest of its case; destructive cases are followed
// by a reset of the target (AfterDestructive).
func RunCases(e *kit.Env, cases []*kit.Case) []Result {
	var out []Result
	for _, c := range cases {
		failed := false
		if err := BeforeDestructive(e, c); err != nil {
			out = append(out, Result{Check: c.Check.Name, Class: c.Check.ClassOf(), API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation,
				Name: "reset before " + c.Title, Status: Fail, Violations: []kit.Violation{{Where: kit.InTheRun("reset"), Message: err.Error()}}})
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
			if err := AfterDestructive(e, c); err != nil {
				out = append(out, Result{Check: c.Check.Name, Class: c.Check.ClassOf(), API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation, Name: "reset after " + c.Title, Status: Fail,
					Violations: []kit.Violation{{Where: kit.InTheRun("reset"), Message: err.Error()}}})
			}
		}
	}
	return out
}

// SkippedAfterFailure is the result of a step of a flow skipped because
// an earlier step failed.
func SkippedAfterFailure(c *kit.Case, s kit.Step) Result {
	return Result{Check: c.Check.Name, Class: c.Check.ClassOf(), API: c.API.Name, Proto: c.Check.Proto, Operation: c.Operation,
		Name: c.Title + " / " + s.Name, Status: Skip, SkipReason: "an earlier step of this flow failed"}
}

// BeforeDestructive runs the API's reset hook before a destructive case
// (when destructive checks run and the API has one).
func BeforeDestructive(e *kit.Env, c *kit.Case) error {
	if !c.Destructive() || !e.Config.Destructive || c.API.Conf.Reset == nil {
		return nil
	}
	e.Forget()
	return c.API.Conf.Reset.Run(e.Client, time.Duration(e.Config.Timeout))
}

// AfterDestructive puts the target back after a destructive case: the
// API's reset hook runs again (so that what the case changed, a deleted
// record listed in ids, never reaches a later read, in this run or the
// next), then the run's own reset (the in-process mock, or a Standin
// mock's control API), and what was discovered is forgotten.
func AfterDestructive(e *kit.Env, c *kit.Case) error {
	if !c.Destructive() || !e.Config.Destructive {
		return nil
	}
	if h := c.API.Conf.Reset; h != nil {
		if err := h.Run(e.Client, time.Duration(e.Config.Timeout)); err != nil {
			e.Forget()
			return err
		}
	}
	return e.ResetTarget()
}
