package engine

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/manifest"
)

func check(name string, phase kit.Phase, destructive bool, run func(t *kit.T)) kit.Check {
	return kit.Check{Name: name, Proto: kit.REST, Phase: phase, Destructive: destructive, Doc: name,
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return []*kit.Case{kit.Single(ch, a, "op", name+" title", run)}
		}}
}

func TestRegistryOrdersAndRefuses(t *testing.T) {
	noop := func(*kit.T) {}
	r, err := NewRegistry(
		check("rest-z", kit.PhaseAnswers, true, noop),
		check("rest-b", kit.PhaseBehaviour, false, noop),
		check("rest-a", kit.PhaseBehaviour, false, noop),
		check("rest-y", kit.PhaseAnswers, false, noop),
	)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range r.Checks() {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "rest-y rest-a rest-b rest-z" {
		t.Errorf("run order %s: by phase, then name, destructive last", got)
	}
	sel, err := r.Select("rest-z", "rest-a")
	if err != nil || len(sel) != 2 || sel[0].Name != "rest-a" {
		t.Errorf("Select: %v %v", sel, err)
	}
	if _, err := r.Select("no-such"); err == nil {
		t.Error("Select of an unknown check")
	}
	for _, bad := range [][]kit.Check{
		{check("", kit.PhaseAnswers, false, noop)},
		{check("rest-a", kit.PhaseAnswers, false, noop), check("rest-a", kit.PhaseAnswers, false, noop)},
		{{Name: "x", Proto: "soap", Cases: check("x", 0, false, noop).Cases}},
		{{Name: "x", Proto: kit.REST}},
	} {
		if _, err := NewRegistry(bad...); err == nil {
			t.Errorf("registered %+v", bad)
		}
	}
}

// TestRunStep: a step passes, fails with its violations and exchanges,
// is skipped with its reason, or, destructive without --destructive, is
// skipped unrun; a panic in a check is its failure, not the run's.
func TestRunStep(t *testing.T) {
	env := kit.NewEnv(conform.Config{}, []*kit.API{{API: &model.API{Name: "x"}}}, nil)
	ran := false
	for _, tc := range []struct {
		ch     kit.Check
		status string
		want   string
	}{
		{check("rest-pass", 0, false, func(*kit.T) {}), Pass, ""},
		{check("rest-fail", 0, false, func(t *kit.T) { t.Errorf(kit.Status(), "want HTTP 200, got 500"); t.Errorf(kit.Body("/a"), "second") }), Fail, "status: want HTTP 200, got 500"},
		{check("rest-skip", 0, false, func(t *kit.T) { t.Skip("no id for %s", "x") }), Skip, "no id for x"},
		{check("rest-panic", 0, false, func(*kit.T) { panic("boom") }), Fail, "check: panic: boom"},
		{check("rest-destructive", 0, true, func(*kit.T) { ran = true }), Skip, "run with --destructive"},
	} {
		t.Run(tc.ch.Name, func(t *testing.T) {
			r := MustRegistry(tc.ch)
			cases := Plan(env, r.Checks())
			if len(cases) != 1 {
				t.Fatalf("%d cases", len(cases))
			}
			res := RunStep(env, cases[0], cases[0].Steps[0])
			if res.Status != tc.status || res.Check != tc.ch.Name || res.API != "x" || res.Name != tc.ch.Name+" title" {
				t.Fatalf("result %+v", res)
			}
			text := res.SkipReason
			if len(res.Violations) > 0 {
				text = res.Violations[0].String()
			}
			if !strings.Contains(text, tc.want) {
				t.Errorf("%q does not say %q", text, tc.want)
			}
		})
	}
	if ran {
		t.Error("a destructive step ran without --destructive")
	}
}

// TestRunCasesSkipsAfterAFailure: a failed step of a flow skips the rest.
func TestRunCasesSkipsAfterAFailure(t *testing.T) {
	env := kit.NewEnv(conform.Config{}, []*kit.API{{API: &model.API{Name: "x"}}}, nil)
	flow := kit.Check{Name: "graphql-flow", Proto: kit.GraphQL, Doc: "flow",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return []*kit.Case{{Check: ch, API: a, Operation: "op", Title: "flow", Steps: []kit.Step{
				{Name: "one", Run: func(t *kit.T) { t.Errorf(kit.Status(), "no") }},
				{Name: "two", Run: func(t *kit.T) {}},
			}}}
		}}
	rs := RunCases(env, Plan(env, MustRegistry(flow).Checks()))
	if len(rs) != 2 || rs[0].Status != Fail || rs[1].Status != Skip || rs[1].Name != "flow / two" || Summary(rs) != "0 passed, 1 failed, 1 skipped" {
		t.Fatalf("results %+v", rs)
	}
}

// TestResetHookAroundDestructiveCases: an API's reset hook runs before
// and after each of its destructive cases, so that what a case deleted
// reaches no later read, in this run or the next.
func TestResetHookAroundDestructiveCases(t *testing.T) {
	calls := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))
	defer hook.Close()
	cfg := conform.Config{Destructive: true, Timeout: manifest.Duration(time.Second)}
	api := &kit.API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{Reset: &conform.ResetHook{URL: hook.URL}}}
	env := kit.NewEnv(cfg, []*kit.API{api}, nil)
	ran := 0
	cases := Plan(env, MustRegistry(
		check("rest-reads", kit.PhaseAnswers, false, func(*kit.T) { ran++ }),
		check("rest-deletes", kit.PhaseBehaviour, true, func(*kit.T) { ran++ }),
	).Checks())
	rs := RunCases(env, cases)
	if Summary(rs) != "2 passed, 0 failed, 0 skipped" || ran != 2 {
		t.Fatalf("results %s, %d ran", Summary(rs), ran)
	}
	if calls != 2 {
		t.Errorf("the hook ran %d times around one destructive case, want 2 (before and after)", calls)
	}
}
