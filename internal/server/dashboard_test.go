package server

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestJournalKeepsHeadersAndReplays: every journal entry has its request's
// and response's headers (redacted), bodies only with journalBodies; the
// control API's curl line for it carries the mock's own token and, run,
// gets the same answer; the traffic counts the request.
func TestJournalKeepsHeadersAndReplays(t *testing.T) {
	for _, bodies := range []bool{false, true} {
		t.Run(fmt.Sprintf("journalBodies %v", bodies), func(t *testing.T) {
			s := stStart(t, func(c *config.Config) { c.JournalBodies = bodies })
			if r := s.do(t, stReq{path: "/v0/clients?limit=1", token: stAdmin, header: map[string]string{"X-Trace": "t-1"}}); r.status != 200 {
				t.Fatalf("%v", r)
			}
			list := s.do(t, stReq{path: "/__standin/requests?limit=1"}).json(t).(map[string]any)["requests"].([]any)
			e := list[0].(map[string]any)
			req, _ := e["request"].(map[string]any)
			resp, _ := e["response"].(map[string]any)
			if req == nil || resp == nil {
				t.Fatalf("no headers in %v", e)
			}
			h := req["headers"].(map[string]any)
			if fmt.Sprint(h["Authorization"]) != "[Bearer stan…]" || fmt.Sprint(h["X-Trace"]) != "[t-1]" {
				t.Errorf("request headers %v", h)
			}
			if fmt.Sprint(resp["headers"].(map[string]any)["Content-Type"]) != "[application/json]" {
				t.Errorf("response headers %v", resp["headers"])
			}
			if notKept, _ := resp["bodyNotKept"].(bool); notKept == bodies {
				t.Errorf("bodyNotKept %v with journalBodies %v", resp["bodyNotKept"], bodies)
			}
			if _, hasBody := resp["body"]; hasBody != bodies {
				t.Errorf("response body present %v with journalBodies %v", hasBody, bodies)
			}
			seq, _ := e["seq"].(float64)
			if seq < 1 {
				t.Fatalf("seq %v", e["seq"])
			}
			c := s.do(t, stReq{path: fmt.Sprintf("/__standin/requests/%d/curl?requestId=%s", int(seq), e["requestId"])})
			if c.status != 200 {
				t.Fatalf("curl: %v", c)
			}
			line := c.json(t).(map[string]any)["curl"].(string)
			if !strings.Contains(line, "'Authorization: Bearer standin-admin'") || !strings.Contains(line, s.URL+"/v0/clients?limit=1") {
				t.Fatalf("curl line %s", line)
			}
			if curl, err := exec.LookPath("curl"); err == nil {
				out, err := exec.Command("sh", "-c", line+" -sS -o /dev/null -w '%{http_code}'").Output()
				if err != nil || string(out) != "200" {
					t.Errorf("running %s (%s): %s %v", line, curl, out, err)
				}
			} else {
				t.Log("no curl on this machine: the line is not run")
			}
			tr := s.do(t, stReq{path: "/__standin/traffic?api=clients-v0"}).json(t).(map[string]any)
			total := tr["apis"].([]any)[0].(map[string]any)["total"].(map[string]any)
			if total["requests"].(float64) < 1 {
				t.Errorf("traffic %v", total)
			}
		})
	}
}
