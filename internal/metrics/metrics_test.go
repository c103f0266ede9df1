package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

type fakeSource struct{}

func (fakeSource) Collections() []Collection {
	return []Collection{{API: "a", Name: "x", Records: 3}, {API: "b", Name: "y", Records: 0}}
}
func (fakeSource) JournalLen() int { return 2 }
func (fakeSource) JournalCap() int { return 10 }

func TestMetrics(t *testing.T) {
	m := New()
	m.SetSource(fakeSource{})
	for _, o := range []struct {
		api, op  string
		status   int
		scenario string
	}{{"a", "list", 200, ""}, {"a", "list", 200, ""}, {"a", "list", 429, "rate-limited"}, {"b", "graphql", 200, ""}} {
		m.Observe(o.api, o.op, o.status, o.scenario, time.Millisecond)
	}
	m.RateLimited("a")
	m.Ready(1500 * time.Millisecond)
	m.Reloaded("scenarios", []string{"scenarios:a/x.yaml"}, nil, time.Unix(100, 0))
	m.Reloaded("all", []string{"specs:a/api.yaml"}, errors.New("a/api.yaml:3: bad"), time.Unix(200, 0))

	want := `
# HELP standin_requests_total API requests answered, by API, operation, HTTP status (0: a fault was injected, 499: the client left) and scenario ("" for none).
# TYPE standin_requests_total counter
standin_requests_total{api="a",operation="list",scenario="",status="200"} 2
standin_requests_total{api="a",operation="list",scenario="rate-limited",status="429"} 1
standin_requests_total{api="b",operation="graphql",scenario="",status="200"} 1
# HELP standin_records Records held per collection now.
# TYPE standin_records gauge
standin_records{api="a",collection="x"} 3
standin_records{api="b",collection="y"} 0
# HELP standin_journal_entries Requests held in the journal now.
# TYPE standin_journal_entries gauge
standin_journal_entries 2
# HELP standin_startup_seconds Seconds from start-up until the data was built and the APIs served.
# TYPE standin_startup_seconds gauge
standin_startup_seconds 1.5
# HELP standin_reloads_total Reloads of changed files (--watch), by kind (scenarios, all) and result (ok, error).
# TYPE standin_reloads_total counter
standin_reloads_total{kind="all",result="error"} 1
standin_reloads_total{kind="scenarios",result="ok"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"standin_requests_total", "standin_records", "standin_journal_entries", "standin_startup_seconds", "standin_reloads_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(m.duration); n != 2 {
		t.Errorf("%d latency series, want 2", n)
	}
	ev := m.Reloads()
	if len(ev) != 2 || ev[0].Kind != "all" || ev[0].Error == "" || ev[1].Error != "" {
		t.Errorf("reloads newest first: %+v", ev)
	}
	for range MaxReloadEvents + 5 {
		m.Reloaded("scenarios", nil, nil, time.Now())
	}
	if len(m.Reloads()) != MaxReloadEvents {
		t.Errorf("%d reload events kept, want %d", len(m.Reloads()), MaxReloadEvents)
	}
}

func TestObserveAllocatesNothingWhenRepeated(t *testing.T) {
	m := New()
	m.Observe("a", "list", 200, "", time.Millisecond)
	if n := testing.AllocsPerRun(100, func() { m.Observe("a", "list", 200, "", time.Millisecond) }); n != 0 {
		t.Errorf("%v allocations per repeated Observe", n)
	}
}

func BenchmarkObserve(b *testing.B) {
	m := New()
	b.ReportAllocs()
	for b.Loop() {
		m.Observe("clients-v0", "listClients", 200, "", time.Millisecond)
	}
}

func BenchmarkObserveAt(b *testing.B) {
	m := New()
	at := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveAt(at, "clients-v0", "listClients", 200, "", time.Millisecond)
	}
}
