package journal_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/internal/journal"
)

func TestRingNewestFirst(t *testing.T) {
	tests := []struct {
		name  string
		size  int
		adds  int
		limit int
		want  []int // statuses, newest first
	}{
		{"empty", 3, 0, 0, []int{}},
		{"partial", 3, 2, 0, []int{2, 1}},
		{"full", 3, 3, 0, []int{3, 2, 1}},
		{"wrapped", 3, 7, 0, []int{7, 6, 5}},
		{"limit", 3, 7, 2, []int{7, 6}},
		{"limit above count", 5, 2, 10, []int{2, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := journal.New(tc.size)
			for i := 1; i <= tc.adds; i++ {
				j.Add(journal.Entry{Status: i})
			}
			got := j.List(tc.limit)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d entries, want %d", len(got), len(tc.want))
			}
			for i, e := range got {
				if e.Status != tc.want[i] {
					t.Fatalf("entry %d: status %d, want %d", i, e.Status, tc.want[i])
				}
			}
		})
	}
}

func TestDefaultSizeAndReset(t *testing.T) {
	j := journal.New(0)
	if j.Cap() != journal.DefaultSize {
		t.Fatalf("cap %d", j.Cap())
	}
	for range 1500 {
		j.Add(journal.Entry{Status: 200})
	}
	if j.Len() != 1000 || len(j.List(0)) != 1000 {
		t.Fatal("not bounded")
	}
	j.Reset()
	if j.Len() != 0 || len(j.List(0)) != 0 {
		t.Fatal("Reset")
	}
	j.Add(journal.Entry{Status: 201})
	if l := j.List(0); len(l) != 1 || l[0].Status != 201 {
		t.Fatalf("after Reset: %+v", l)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ab", "…"},
		{"standin-admin", "stan…"},
		{"a-very-long-secret-token-value", "a-very-l…"},
		{"ééééé", "é…"},
	}
	for _, tc := range tests {
		if got := journal.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	j := journal.New(2)
	j.Add(journal.Entry{Token: "standin-admin"})
	if got := j.List(1)[0].Token; got != "stan…" {
		t.Fatalf("List token %q", got)
	}
}

func TestJSON(t *testing.T) {
	e := journal.Entry{
		Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Method: "GET", Path: "/v0/clients", Query: "a=1",
		API: "clients-v0", Operation: "listClients", Scenario: "slow", Status: 200,
		Duration: 1500 * time.Microsecond, Token: "stan…",
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"time":"2026-01-02T03:04:05Z"`, `"method":"GET"`, `"path":"/v0/clients"`, `"query":"a=1"`,
		`"api":"clients-v0"`, `"operation":"listClients"`, `"scenario":"slow"`, `"status":200`, `"durationMs":1.5`, `"duration":"1.5ms"`, `"token":"stan…"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
	var back journal.Entry
	if err := json.Unmarshal(b, &back); err != nil || back != e {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestConcurrent(t *testing.T) {
	j := journal.New(50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				j.Add(journal.Entry{Path: fmt.Sprint("/", g), Status: i})
				if i%50 == 0 {
					_ = j.List(10)
				}
			}
		}()
	}
	wg.Wait()
	if j.Len() != 50 {
		t.Fatalf("len %d", j.Len())
	}
}

func TestAddDoesNotAllocate(t *testing.T) {
	j := journal.New(100)
	e := journal.Entry{Time: time.Now(), Method: "GET", Path: "/graphql", API: "admin", Status: 200, Token: "standin-admin"}
	if n := testing.AllocsPerRun(1000, func() { j.Add(e) }); n != 0 {
		t.Fatalf("Add allocates %v times", n)
	}
}

func BenchmarkAdd(b *testing.B) {
	j := journal.New(1000)
	e := journal.Entry{Time: time.Now(), Method: "GET", Path: "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50",
		API: "clients-v2", Operation: "getClient", Status: 200, Duration: time.Millisecond, Token: "standin-admin"}
	b.ReportAllocs()
	for b.Loop() {
		j.Add(e)
	}
}

// TestRedactQuery: secrets sent in a query string never leave the journal
// whole; other parameters are kept byte for byte.
func TestRedactQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"page=1&size=5", "page=1&size=5"},
		{"access_token=standin-admin-secret", "access_token=standi%E2%80%A6"},
		{"page=1&token=abcdefghijkl&x=%20y", "page=1&token=abcd%E2%80%A6&x=%20y"},
		{"API_KEY=abcdefghijkl", "API_KEY=abcd%E2%80%A6"},
		{"api-key=abcdefghijkl&key=zzzzzzzzzzzz", "api-key=abcd%E2%80%A6&key=zzzz%E2%80%A6"},
		{"client_secret=s3cr3t&password=hunter22", "client_secret=s3%E2%80%A6&password=hu%E2%80%A6"},
		{"access%5Ftoken=abcdefghijkl", "access%5Ftoken=abcd%E2%80%A6"},
		{"token=&token", "token=&token"},
		{"keyboard=qwerty", "keyboard=qwerty"},
	}
	for _, tc := range tests {
		if got := journal.RedactQuery(tc.in); got != tc.want {
			t.Errorf("journal.RedactQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	j := journal.New(2)
	j.Add(journal.Entry{Path: "/v0/clients", Query: "access_token=standin-admin&page=2"})
	if q := j.List(0)[0].Query; strings.Contains(q, "standin-admin") || !strings.Contains(q, "page=2") {
		t.Errorf("listed query %q", q)
	}
}

// FuzzRedactQuery: RedactQuery never panics, keeps the number of
// parameters, leaves a query without secret names as it is, and never
// returns a secret parameter's value whole when it is 3 bytes or more.
func FuzzRedactQuery(f *testing.F) {
	f.Add("access_token=standin-admin&page=2")
	f.Add("a=1&b=%zz&token=&api-key=x")
	f.Add("KEY=abcdef;x=1")
	f.Fuzz(func(t *testing.T, q string) {
		got := journal.RedactQuery(q)
		if strings.Count(got, "&") != strings.Count(q, "&") {
			t.Fatalf("RedactQuery(%q) = %q: parameters lost or added", q, got)
		}
		for i, part := range strings.Split(q, "&") {
			name, value, _ := strings.Cut(part, "=")
			out := strings.Split(got, "&")[i]
			if strings.EqualFold(name, "access_token") && len(value) >= 3 && !strings.Contains(value, "%") && out == part {
				t.Fatalf("RedactQuery(%q) = %q: %s kept whole", q, got, name)
			}
			if !strings.EqualFold(name, "access_token") && !strings.ContainsAny(strings.ToLower(name), "tkpsacb%") && out != part {
				t.Fatalf("RedactQuery(%q) = %q: %q changed", q, got, part)
			}
		}
	})
}
