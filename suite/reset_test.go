package suite

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
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
	destructive := []*conform.Check{conform.RESTRateLimit, conform.GraphQLDeleteAccount}
	for run := 1; run <= 2; run++ {
		results := conform.RunCases(env, conform.Plan(env, destructive))
		for _, r := range conform.Failed(results) {
			t.Errorf("run %d: unexpected failure:\n%s", run, r.Report())
		}
		if n := len(results); n == 0 {
			t.Fatalf("run %d: no destructive case ran", run)
		}
	}

	for _, a := range env.APIs {
		a.Conf.Reset = nil
	}
	results := conform.RunCases(env, conform.Plan(env, []*conform.Check{conform.GraphQLDeleteAccount}))
	if len(conform.Failed(results)) == 0 {
		t.Errorf("without a reset hook the second delete flow passed: %s", conform.Summary(results))
	}
}

// TestResetHookFailure: a hook the target refuses fails the destructive
// check with the hook's answer.
func TestResetHookFailure(t *testing.T) {
	mock := standintest.Start(t)
	env := envFor(t, mock, []string{"clients-v0"}, nil)
	env.Reset = nil
	env.APIs[0].Conf.Reset = &conform.ResetHook{URL: env.APIs[0].BaseURL() + "/__standin/no-such-reset"}
	results := conform.RunCases(env, conform.Plan(env, []*conform.Check{conform.RESTRateLimit}))
	failed := conform.Failed(results)
	if len(failed) != 1 || !strings.Contains(failed[0].Report(), "reset hook POST") {
		t.Fatalf("want one failure naming the reset hook, got %+v", results)
	}
}
