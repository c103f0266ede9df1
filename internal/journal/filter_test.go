package journal_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/journal"
)

func TestFilter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	j := journal.New(10)
	entries := []journal.Entry{
		{Time: t0, Method: "GET", Path: "/v2/clients/a", API: "clients-v2", Operation: "getClient", Status: 200},
		{Time: t0.Add(time.Minute), Method: "GET", Path: "/v2/clients/b", API: "clients-v2", Operation: "getClient", Status: 404},
		{Time: t0.Add(2 * time.Minute), Method: "GET", Path: "/v0/clients", API: "clients-v0", Operation: "listClients", Status: 429, Scenario: "rate-limited"},
		{Time: t0.Add(3 * time.Minute), Method: "POST", Path: "/graphql", API: "admin", Operation: "graphql", Status: 200, Token: "standin-admin"},
	}
	for _, e := range entries {
		j.Add(e)
	}
	tests := []struct {
		name  string
		f     journal.Filter
		paths []string // newest first
	}{
		{"all", journal.Filter{}, []string{"/graphql", "/v0/clients", "/v2/clients/b", "/v2/clients/a"}},
		{"api", journal.Filter{API: "clients-v2"}, []string{"/v2/clients/b", "/v2/clients/a"}},
		{"operation and status", journal.Filter{Operation: "getClient", Status: 404}, []string{"/v2/clients/b"}},
		{"class", journal.Filter{StatusClass: 4}, []string{"/v0/clients", "/v2/clients/b"}},
		{"method any case", journal.Filter{Method: "post"}, []string{"/graphql"}},
		{"path exact", journal.Filter{Path: "/v2/clients/a"}, []string{"/v2/clients/a"}},
		{"path prefix", journal.Filter{Path: "/v2/*"}, []string{"/v2/clients/b", "/v2/clients/a"}},
		{"scenario", journal.Filter{Scenario: "rate-limited"}, []string{"/v0/clients"}},
		{"no scenario", journal.Filter{Scenario: journal.NoScenario, Limit: 2}, []string{"/graphql", "/v2/clients/b"}},
		{"since", journal.Filter{Since: t0.Add(2 * time.Minute)}, []string{"/graphql", "/v0/clients"}},
		{"nothing", journal.Filter{API: "marketplace"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := j.Select(tc.f)
			paths := make([]string, len(got))
			for i, e := range got {
				paths[i] = e.Path
				if e.Token != "" && e.Token != journal.Redact("standin-admin") {
					t.Errorf("token not redacted: %q", e.Token)
				}
			}
			if strings.Join(paths, " ") != strings.Join(tc.paths, " ") {
				t.Errorf("Select = %v, want %v", paths, tc.paths)
			}
			want := len(tc.paths)
			if tc.f.Limit > 0 {
				want = -1 // Count ignores the limit: checked below
			}
			if n := j.Count(tc.f); want >= 0 && n != want {
				t.Errorf("Count = %d, want %d", n, want)
			}
		})
	}
	if n := j.Count(journal.Filter{Scenario: journal.NoScenario, Limit: 2}); n != 3 {
		t.Errorf("Count ignores Limit: %d, want 3", n)
	}
}

func TestBody(t *testing.T) {
	tests := []struct {
		max    int
		writes []string
		want   string
		trunc  bool
	}{
		{10, []string{"abc", "def"}, "abcdef", false},
		{4, []string{"abc", "def"}, "abcd", true},
		{4, []string{"abcd"}, "abcd", false},
		{4, []string{"abcd", ""}, "abcd", false},
		{4, []string{"abcd", "e"}, "abcd", true},
		{0, []string{strings.Repeat("x", journal.DefaultMaxBody+1)}, strings.Repeat("x", journal.DefaultMaxBody), true},
	}
	for _, tc := range tests {
		b := journal.NewBody(tc.max)
		for _, w := range tc.writes {
			if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
				t.Errorf("Write(%d bytes) = %d, %v", len(w), n, err)
			}
		}
		if string(b.Bytes()) != tc.want || b.Truncated() != tc.trunc {
			t.Errorf("max %d writes %d: kept %d bytes truncated %v, want %d %v", tc.max, len(tc.writes), len(b.Bytes()), b.Truncated(), len(tc.want), tc.trunc)
		}
	}
}

func TestRedactSecrets(t *testing.T) {
	h := http.Header{
		"Authorization": {"Bearer standin-admin"}, "X-Api-Key": {"standin-admin"}, "Cookie": {"session=abcdefghijkl"},
		"X-Refresh-Token": {"rt-0123456789"}, "Accept": {"application/json"},
	}
	got := journal.RedactHeaders(h)
	want := map[string]string{"Authorization": "Bearer stan…", "X-Api-Key": "stan…", "Cookie": "sessio…", "X-Refresh-Token": "rt-0…", "Accept": "application/json"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, got.Get(k), v)
		}
	}
	if h.Get("Authorization") != "Bearer standin-admin" {
		t.Error("RedactHeaders changed its argument")
	}
	bodies := []struct{ ct, in, want string }{
		{"application/json", `{"password":"hunter2hunter2","name":"x"}`, `{"password":"hunt…","name":"x"}`},
		{"application/json; charset=utf-8", `{"a":{"access_token" : "abcdefghijkl"}}`, `{"a":{"access_token" : "abcd…"}}`},
		{"application/json", `{"token":"ab\"cdefghijklmnop"}`, `{"token":"ab…"}`},
		{"application/json", `{"client_secret":"abcdefghijklmnopqrstuvwxyz`, `{"client_secret":"abcdefgh…`},
		{"application/json", `{"enrollment_token":{"value":"enroll_x"}}`, `{"enrollment_token":{"value":"enroll_x"}}`},
		{"application/x-www-form-urlencoded", `user=bob&password=hunter2hunter2`, `user=bob&password=hunt%E2%80%A6`},
		{"text/plain", `password=hunter2`, `password=hunter2`},
		{"", `{"apiKey":"k-1234567890"}`, `{"apiKey":"k-12…"}`},
	}
	for _, tc := range bodies {
		if got := string(journal.RedactBody(tc.ct, []byte(tc.in))); got != tc.want {
			t.Errorf("RedactBody(%q, %s) = %s, want %s", tc.ct, tc.in, got, tc.want)
		}
	}
}

func TestMessageJSON(t *testing.T) {
	for _, m := range []journal.Message{
		{Headers: http.Header{"A": {"b"}}, Body: []byte(`{"x":1}`), Truncated: true},
		{Body: []byte{0xff, 0xfe, 0}},
		{},
	} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back journal.Message
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if string(back.Body) != string(m.Body) || back.Truncated != m.Truncated || back.Headers.Get("A") != m.Headers.Get("A") {
			t.Errorf("round trip of %s: %+v", b, back)
		}
	}
}

// Redaction keeps a JSON body valid JSON and keeps no secret whole.
func FuzzRedactBody(f *testing.F) {
	f.Add(`{"password":"hunter2hunter2"}`)
	f.Add(`{"a":[{"token":"x\\"yzzzzzzzzzzzz"}],"b":"c"}`)
	f.Add(`{"api_key":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}`)
	f.Fuzz(func(t *testing.T, in string) {
		out := journal.RedactBody("application/json", []byte(in))
		if json.Valid([]byte(in)) && !json.Valid(out) {
			t.Fatalf("valid %q became invalid %q", in, out)
		}
		var v map[string]any
		if json.Unmarshal([]byte(in), &v) != nil {
			return
		}
		for k, val := range v {
			s, ok := val.(string)
			lk := strings.ToLower(k)
			if !ok || len(s) < 12 || !(strings.Contains(lk, "token") || strings.Contains(lk, "password")) || strings.ContainsAny(s, `\"`) {
				continue
			}
			if strings.Contains(string(out), s) {
				t.Fatalf("secret %q of %q kept whole: %s", s, k, out)
			}
		}
	})
}

func TestBeginFinish(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		before int // entries added after Begin
		clear  bool
		want   bool // Finish applies
	}{
		{"at once", 3, 0, false, true},
		{"after others", 3, 2, false, true},
		{"dropped", 3, 3, false, false},
		{"cleared", 3, 0, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := journal.New(tc.size)
			j.Add(journal.Entry{Path: "/old"})
			id := j.Begin(journal.Entry{Path: "/begun", Status: 200})
			for range tc.before {
				j.Add(journal.Entry{Path: "/later"})
			}
			if tc.clear {
				j.Reset()
				j.Add(journal.Entry{Path: "/after-clear"})
			}
			if got := j.Finish(id, journal.Entry{Path: "/begun", Status: 201}); got != tc.want {
				t.Errorf("Finish = %v, want %v", got, tc.want)
			}
			applied := false
			for _, e := range j.List(0) {
				if e.Path == "/begun" && e.Status == 201 {
					applied = true
				}
				if e.Path != "/begun" && e.Status == 201 {
					t.Errorf("Finish changed another entry: %+v", e)
				}
			}
			if applied != tc.want {
				t.Errorf("applied %v, want %v", applied, tc.want)
			}
		})
	}
}
