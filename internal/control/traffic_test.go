package control_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/metrics"
)

func TestTraffic(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tr := metrics.NewTraffic(func() time.Time { return now })
	for _, s := range []int{200, 200, 429, 500} {
		tr.Observe(now, "clients-v0", s, 2*time.Millisecond)
	}
	tr.Observe(now, "", 404, time.Millisecond)

	apiNames := func(body map[string]any) []string {
		var out []string
		for _, a := range body["apis"].([]any) {
			out = append(out, a.(map[string]any)["api"].(string))
		}
		return out
	}
	tests := []struct {
		name   string
		opts   control.Options
		call   call
		status int
		check  func(t *testing.T, body map[string]any)
	}{
		{"every API, then requests of none", control.Options{Traffic: tr}, call{method: "GET", path: "/__standin/traffic"}, 200, func(t *testing.T, body map[string]any) {
			if got := apiNames(body); len(got) != 3 || got[0] != "admin" || got[1] != "clients-v0" || got[2] != "" {
				t.Fatalf("apis %v", got)
			}
			v0 := body["apis"].([]any)[1].(map[string]any)
			total := v0["total"].(map[string]any)
			if total["requests"] != 4.0 || total["429"] != 1.0 || total["4xx"] != 1.0 || total["5xx"] != 1.0 || total["p50Ms"].(float64) < 1.7 || total["p50Ms"].(float64) > 2.3 {
				t.Errorf("clients-v0 total %v", total)
			}
			series := v0["series"].(map[string]any)["requests"].([]any)
			if len(series) != metrics.TrafficSteps || series[len(series)-1] != 4.0 {
				t.Errorf("series %v", series)
			}
			if body["stepSeconds"] != metrics.TrafficStep.Seconds() {
				t.Errorf("stepSeconds %v", body["stepSeconds"])
			}
		}},
		{"one API", control.Options{Traffic: tr}, call{method: "GET", path: "/__standin/traffic?api=admin"}, 200, func(t *testing.T, body map[string]any) {
			if got := apiNames(body); len(got) != 1 || got[0] != "admin" {
				t.Fatalf("apis %v", got)
			}
			if n := body["apis"].([]any)[0].(map[string]any)["total"].(map[string]any)["requests"]; n != 0.0 {
				t.Errorf("admin requests %v", n)
			}
		}},
		{"unknown API", control.Options{Traffic: tr}, call{method: "GET", path: "/__standin/traffic?api=nope"}, 404, nil},
		{"unknown parameter", control.Options{Traffic: tr}, call{method: "GET", path: "/__standin/traffic?apis=admin"}, 400, nil},
		{"wrong method", control.Options{Traffic: tr}, call{method: "POST", path: "/__standin/traffic"}, 405, nil},
		{"without traffic", control.Options{}, call{method: "GET", path: "/__standin/traffic"}, 404, nil},
		{"token required, missing", control.Options{Traffic: tr, AdminToken: "s3cret", RequireToken: true}, call{method: "GET", path: "/__standin/traffic"}, 401, nil},
		{"token required, given", control.Options{Traffic: tr, AdminToken: "s3cret", RequireToken: true}, call{method: "GET", path: "/__standin/traffic", auth: "Bearer s3cret"}, 200, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := control.New(newBackend(t), tc.opts)
			resp, body := do(t, h, tc.call)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if tc.status != http.StatusOK {
				if _, ok := body["error"].(string); !ok {
					t.Errorf("error body %v", body)
				}
				return
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}
