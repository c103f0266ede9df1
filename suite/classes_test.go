package suite

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/internal/defects"
	"github.com/standin/standin/standintest"
)

// TestClassesCatchAlone holds each check class of the second catalog to
// the defects planted for it (defects.Defect.Class): the whole suite (every
// check, destructive ones included, on the defect's APIs) fails on the
// defect, every failure is a check of that class and one names the defect;
// the same suite without that class's checks passes. So each class
// catches a family of bugs no other check sees.
func TestClassesCatchAlone(t *testing.T) {
	var planted []defects.Defect
	for _, d := range defects.Defects() {
		if d.Class != "" {
			planted = append(planted, d)
		}
	}
	if len(planted) == 0 {
		t.Fatal("no class defect")
	}
	for _, d := range planted {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			mock := standintest.Start(t)
			all := Checks().Checks()
			var without []*kit.Check
			for _, c := range all {
				if c.ClassOf() != d.Class {
					without = append(without, c)
				}
			}
			if len(without) == len(all) {
				t.Fatalf("no check has class %s", d.Class)
			}

			env := envFor(t, mock, d.APIs, d.Wrap)
			results := engine.RunCases(env, engine.Plan(env, all))
			caught := false
			for _, r := range engine.Failed(results) {
				text := report.Failure(r)
				if r.Class != d.Class {
					t.Errorf("a check of another class failed on the defect:\n%s", text)
				}
				if strings.Contains(text, d.Expect) {
					if !caught {
						t.Logf("caught by %s:\n%s", r.Check, text)
					}
					caught = true
				}
			}
			if !caught {
				t.Errorf("the suite did not catch %q (no failure says %q): %s", d.Name, d.Expect, engine.Summary(results))
			}

			mock.Reset()
			env = envFor(t, mock, d.APIs, d.Wrap)
			results = engine.RunCases(env, engine.Plan(env, without))
			for _, r := range engine.Failed(results) {
				t.Errorf("without class %s the suite still fails:\n%s", d.Class, report.Failure(r))
			}
			t.Logf("without class %s: %s", d.Class, engine.Summary(results))
		})
	}
}
