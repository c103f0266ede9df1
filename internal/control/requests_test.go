package control_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/journal"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		query string
		want  journal.Filter
		bad   bool
	}{
		{"", journal.Filter{Limit: control.DefaultRequestsLimit}, false},
		{"api=admin&operation=graphql&method=post&path=/graphql", journal.Filter{API: "admin", Operation: "graphql", Method: "POST", Path: "/graphql", Limit: 100}, false},
		{"status=404&limit=0", journal.Filter{Status: 404}, false},
		{"status=5xx&scenario=none", journal.Filter{StatusClass: 5, Scenario: "none", Limit: 100}, false},
		{"since=2026-01-02T03:04:05.5Z", journal.Filter{Since: time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC), Limit: 100}, false},
		{"status=6xx", journal.Filter{}, true},
		{"status=-1", journal.Filter{}, true},
		{"since=2026-01-02", journal.Filter{}, true},
		{"limit=-3", journal.Filter{}, true},
		{"api=a&api=b", journal.Filter{}, true},
		{"apis=admin", journal.Filter{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			got, err := control.ParseFilter(q)
			if tc.bad {
				if err == nil {
					t.Errorf("no error, got %+v", got)
				}
				return
			}
			if err != nil || !got.Since.Equal(tc.want.Since) {
				t.Fatalf("ParseFilter: %+v %v", got, err)
			}
			got.Since, tc.want.Since = time.Time{}, time.Time{}
			if got != tc.want {
				t.Errorf("ParseFilter = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// ParseFilter never panics and a filter it accepts matches consistently.
func FuzzParseFilter(f *testing.F) {
	f.Add("api=admin&status=4xx&since=2026-01-02T03:04:05Z&limit=3")
	f.Add("path=/v2/*&scenario=none&method=get")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := control.ParseFilter(q)
		if err != nil {
			return
		}
		e := journal.Entry{API: flt.API, Operation: flt.Operation, Method: flt.Method, Path: flt.Path, Status: flt.Status, Time: flt.Since, Scenario: flt.Scenario}
		if flt.StatusClass != 0 {
			e.Status = flt.StatusClass * 100
		}
		if flt.Scenario == journal.NoScenario {
			e.Scenario = ""
		}
		if len(flt.Path) > 0 && flt.Path[len(flt.Path)-1] == '*' {
			e.Path = flt.Path[:len(flt.Path)-1] + "x"
		}
		if flt.Status != 0 && flt.StatusClass != 0 {
			return // cannot both hold unless consistent
		}
		if !flt.Match(&e) {
			t.Fatalf("filter %+v does not match the entry built from it %+v", flt, e)
		}
	})
}
