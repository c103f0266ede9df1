package suite

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/standintest"
)

// TestResetHookRepeats runs the destructive checks twice in a row against
// one mock with only a reset hook (POST /__standin/reset) to put the data
// back: both runs pass. Without the hook the second delete flow fails.
func TestResetHookRepeats(t *testing.T) {
	mock := standintest.Start(t)
	mock.Reset()
	env := envFor(t, mock, []string{"marketplace", "clients-v0"}, nil)
	env.Reset = nil // only the hooks reset
	for _, a := range env.APIs {
		a.Conf.Reset = &conform.ResetHook{URL: a.BaseURL() + "/__standin/reset"}
	}
	destructive := checksNamed(t, "rest-rate-limit", "graphql-delete-account")
	for run := 1; run <= 2; run++ {
		results := engine.RunCases(env, engine.Plan(env, destructive))
		for _, r := range engine.Failed(results) {
			t.Errorf("run %d: unexpected failure:\n%s", run, report.Failure(r))
		}
		if n := len(results); n == 0 {
			t.Fatalf("run %d: no destructive case ran", run)
		}
	}

	// Without hooks, two delete flows in a row: the first deletes the
	// account (whatever the runs above left: each API's hook resets the
	// whole mock), the second finds it gone.
	for _, a := range env.APIs {
		a.Conf.Reset = nil
	}
	deleteFlow := checksNamed(t, "graphql-delete-account")
	engine.RunCases(env, engine.Plan(env, deleteFlow))
	results := engine.RunCases(env, engine.Plan(env, deleteFlow))
	if len(engine.Failed(results)) == 0 {
		t.Errorf("without a reset hook the second delete flow passed: %s", engine.Summary(results))
	}
}

// TestResetHookFailure: a hook the target refuses fails the destructive
// check with the hook's answer.
func TestResetHookFailure(t *testing.T) {
	mock := standintest.Start(t)
	env := envFor(t, mock, []string{"clients-v0"}, nil)
	env.Reset = nil
	env.APIs[0].Conf.Reset = &conform.ResetHook{URL: env.APIs[0].BaseURL() + "/__standin/no-such-reset"}
	results := engine.RunCases(env, engine.Plan(env, checksNamed(t, "rest-rate-limit")))
	failed := engine.Failed(results)
	if len(failed) != 1 || !strings.Contains(report.Failure(failed[0]), "reset hook POST") {
		t.Fatalf("want one failure naming the reset hook, got %+v", results)
	}
}

// TestDestructiveRunRepeats runs the whole suite, destructive checks
// included, twice in a row against one mock whose only reset is the
// hooks of conform.reset.yaml's APIs (POST /__standin/reset for
// clients-v0 and marketplace): both runs pass, because every read-only
// check runs before any destructive one and each destructive check is
// followed by its API's hook, so the first run leaves no deleted record
// or spent window for the second.
func TestDestructiveRunRepeats(t *testing.T) {
	mock := standintest.Start(t)
	mock.Reset()
	env := envFor(t, mock, nil, nil)
	env.Reset = nil // only the hooks reset
	for _, a := range env.APIs {
		if a.Name == "clients-v0" || a.Name == "marketplace" {
			a.Conf.Reset = &conform.ResetHook{URL: a.BaseURL() + "/__standin/reset"}
		}
	}
	for run := 1; run <= 2; run++ {
		results := engine.RunCases(env, engine.Plan(env, Checks().Checks()))
		for _, r := range engine.Failed(results) {
			t.Errorf("run %d: unexpected failure:\n%s", run, report.Failure(r))
		}
		p, _, s := engine.Counts(results)
		if p == 0 || s > 0 {
			t.Errorf("run %d: %s", run, engine.Summary(results))
		}
		t.Logf("run %d: %s", run, engine.Summary(results))
	}
}
