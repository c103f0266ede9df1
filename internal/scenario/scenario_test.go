package scenario_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/scenario"
	"github.com/standin/standin/internal/usererr"
	"github.com/standin/standin/scenarios"
)

var common = []string{"connection-reset", "empty", "forbidden", "not-found", "rate-limited", "server-error", "slow", "timeout", "unauthorized"}

func TestBundledScenarios(t *testing.T) {
	reg, err := scenario.Load(scenarios.FS)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.CheckAPIs([]string{"admin", "clients-v0", "clients-v2", "marketplace"}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"admin":       append(slices.Clone(common), "no-clients", "permission-denied", "query-timeout"),
		"marketplace": common,
		"clients-v0":  common,
		"clients-v2":  common,
	}
	for api, names := range want {
		got := reg.Names(api)
		for _, n := range names {
			if !slices.Contains(got, n) {
				t.Errorf("%s: missing scenario %q (have %v)", api, n, got)
			}
		}
		for _, n := range got {
			s, _ := reg.Lookup(api, n)
			if s.Source == "" || s.Description == "" {
				t.Errorf("%s/%s: description and source are required", api, n)
			}
		}
	}
	checks := []struct {
		api, name string
		ok        func(e scenario.Effect) bool
	}{
		{"clients-v0", "unauthorized", func(e scenario.Effect) bool { return e.Status == 401 && e.Message == "Unauthorized" }},
		{"clients-v0", "rate-limited", func(e scenario.Effect) bool {
			return e.Status == 429 && e.Message == "Too many requests, please try again later" && e.Headers["Retry-After"] != ""
		}},
		{"clients-v2", "unauthorized", func(e scenario.Effect) bool { return e.Message == "Authentication required" }},
		{"clients-v2", "forbidden", func(e scenario.Effect) bool { return e.Message == "Insufficient permissions for this client" }},
		{"clients-v2", "not-found", func(e scenario.Effect) bool { return e.Status == 404 && e.Message == "Client not found" }},
		{"clients-v2", "server-error", func(e scenario.Effect) bool { return e.Status == 500 && e.Message == "Server error" }},
		{"admin", "no-clients", func(e scenario.Effect) bool { return e.DataSet == reqctx.DataEmpty }},
		{"admin", "permission-denied", func(e scenario.Effect) bool { return e.ActAs == "standin-readonly" && e.Status == 0 }},
		{"admin", "query-timeout", func(e scenario.Effect) bool { return e.DataSet == reqctx.DataLarge && e.QueryBudget > 0 }},
		{"marketplace", "timeout", func(e scenario.Effect) bool { return e.Hold && e.HoldLimit() == 30*time.Second }},
		{"marketplace", "slow", func(e scenario.Effect) bool { return e.Delay == 2*time.Second }},
		{"marketplace", "connection-reset", func(e scenario.Effect) bool { return e.Fault == scenario.FaultConnectionReset }},
		{"marketplace", "empty", func(e scenario.Effect) bool { return e.DataSet == reqctx.DataEmpty }},
	}
	for _, c := range checks {
		s, ok := reg.Lookup(c.api, c.name)
		if !ok || !c.ok(s.Effect) {
			t.Errorf("%s/%s: unexpected effect %+v", c.api, c.name, s)
		}
	}
	for _, api := range reg.APIs() {
		for _, n := range reg.Names(api) {
			s, _ := reg.Lookup(api, n)
			if s.Effect.Status == 429 && s.Effect.Headers["Retry-After"] == "" {
				t.Errorf("%s/%s: 429 without Retry-After", api, n)
			}
		}
	}
	all := reg.All()
	if !slices.IsSortedFunc(all, func(a, b *scenario.Scenario) int {
		return strings.Compare(a.API+"\x00"+a.Name, b.API+"\x00"+b.Name)
	}) {
		t.Error("All is not sorted by API then name")
	}
}

func TestLoadErrors(t *testing.T) {
	ok := "description: d\neffect:\n  status: 500\n"
	tests := []struct {
		name string
		path string
		data string
		want []string // substrings of the error
	}{
		{"unknown key", "a/x.yaml", "description: d\neffect:\n  status: 500\n  stauts: 1\n", []string{"a/x.yaml:4:3: ", `unknown key "stauts" in effect; did you mean "status"?`}},
		{"unknown top key", "a/x.yaml", "description: d\nefect: {}\n", []string{"a/x.yaml:2:1: ", "efect", "valid keys here: api, description, effect"}},
		{"bad fault", "a/x.yaml", "description: d\neffect:\n  fault: explode\n", []string{"a/x.yaml:3:10: ", "explode", "write one of connection-reset"}},
		{"bad status", "a/x.yaml", "description: d\neffect:\n  status: 200\n", []string{"a/x.yaml:3:11: ", "400-599", "write a status from 400 to 599"}},
		{"bad data set", "a/x.yaml", "description: d\neffect:\n  dataSet: huge\n", []string{"a/x.yaml:3:12: ", "huge", "write one of empty, large"}},
		{"bad duration", "a/x.yaml", "description: d\neffect:\n  delay: soon\n", []string{"a/x.yaml:3:10: ", `"soon" is not a duration; write a Go duration`}},
		{"negative duration", "a/x.yaml", "description: d\neffect:\n  delay: -1s\n", []string{"a/x.yaml:3:10: ", "negative"}},
		{"cap without hold", "a/x.yaml", "description: d\neffect:\n  holdCap: 1s\n", []string{"a/x.yaml:3:12: ", "hold", "add hold: true"}},
		{"no effect", "a/x.yaml", "description: d\neffect: {}\n", []string{"a/x.yaml:2:9: ", "does nothing; set at least one of"}},
		{"no description", "a/x.yaml", "effect:\n  status: 500\n", []string{"a/x.yaml:1:1: ", "description", "add description:"}},
		{"empty file", "a/x.yaml", "", []string{"a/x.yaml: ", "empty"}},
		{"not a mapping", "a/x.yaml", "- 1\n", []string{"a/x.yaml:1:1: ", "list"}},
		{"two documents", "a/x.yaml", ok + "---\n" + ok, []string{"a/x.yaml:4:1: ", "second", "one scenario per file"}},
		{"name mismatch", "a/x.yaml", "name: y\n" + ok, []string{"a/x.yaml:1:7: ", `"y"`, "rename the file"}},
		{"api mismatch", "a/x.yaml", "api: b\n" + ok, []string{"a/x.yaml:1:6: ", `"b"`, "move the file"}},
		{"bad file name", "a/X.yaml", ok, []string{"a/X.yaml", "file name"}},
		{"reserved name", "a/none.yaml", ok, []string{"a/none.yaml", "none"}},
		{"bad folder", "A_b/x.yaml", ok, []string{"A_b/x.yaml", "folder"}},
		{"yml", "a/x.yml", ok, []string{"a/x.yml", ".yaml"}},
		{"bad header", "a/x.yaml", "description: d\neffect:\n  status: 429\n  headers:\n    \"Retry After\": \"1\"\n", []string{"a/x.yaml:5:5: ", "header", "Retry-After"}},
		{"graphqlStatus alone", "a/x.yaml", "description: d\neffect:\n  graphqlStatus: 200\n", []string{"a/x.yaml:3:18: ", "status", "add status:"}},
		{"syntax", "a/x.yaml", "description: [\n", []string{"a/x.yaml:2:1: ", "not closed"}},
		// Regression: syntax errors named the line as yaml.v3 does ("yaml:
		// line 2: …"), not as file:line.
		{"syntax with line", "a/x.yaml", "description: d\n  effect: : :\n", []string{"a/x.yaml:2:9: "}},
		{"tab indentation", "a/x.yaml", "description: d\neffect:\n\tstatus: 500\n", []string{"a/x.yaml:3:1: ", "indent with spaces, not tabs"}},
		// Regression: yaml.v3 names the line where the mapping starts (1),
		// not the line of the list item that breaks it (2).
		{"list item among keys", "a/x.yaml", "description: d\n- effect\n", []string{"a/x.yaml:2:1: ", "did not find expected key"}},
		{"wrong type", "a/x.yaml", "description: d\neffect:\n  status: five hundred\n", []string{"a/x.yaml:3:11: ", `effect.status: want a whole number, not "five hundred"`}},
		{"empty operation", "a/x.yaml", "description: d\noperations: [listClients, \"\"]\neffect:\n  status: 500\n", []string{"a/x.yaml:2:27: ", "entry 1 is empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Load(fstest.MapFS{tc.path: {Data: []byte(tc.data)}})
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, scenario.ErrInvalid) {
				t.Errorf("error %v does not match ErrInvalid", err)
			}
			if _, ok := usererr.Find(err); !ok {
				t.Errorf("error %v is not a *usererr.Error (a bad file, exit status 2)", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadCollectsErrorsAndIgnoresOtherFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md":      {Data: []byte("# hi")},
		"embed.go":       {Data: []byte("package scenarios")},
		"a/good.yaml":    {Data: []byte("description: d\neffect:\n  status: 500\n")},
		"a/notes.txt":    {Data: []byte("ignored")},
		"a/bad1.yaml":    {Data: []byte("description: d\neffect:\n  status: 1\n")},
		"b/bad2.yaml":    {Data: []byte("nope: 1\n")},
		".hidden/x.yaml": {Data: []byte("garbage: [")},
	}
	_, err := scenario.Load(fsys)
	if err == nil || !strings.Contains(err.Error(), "a/bad1.yaml") || !strings.Contains(err.Error(), "b/bad2.yaml") {
		t.Fatalf("want both bad files reported, got %v", err)
	}
	delete(fsys, "a/bad1.yaml")
	delete(fsys, "b/bad2.yaml")
	reg, err := scenario.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := reg.Names("a"); !slices.Equal(got, []string{"good"}) {
		t.Fatalf("names %v", got)
	}
}

func testRegistry(t *testing.T) *scenario.Registry {
	t.Helper()
	reg, err := scenario.NewRegistry([]*scenario.Scenario{
		{API: "api", Name: "boom", Description: "d", Effect: scenario.Effect{Status: 500}},
		{API: "api", Name: "slow", Description: "d", Effect: scenario.Effect{Delay: time.Second}},
		{API: "api", Name: "gone", Description: "d", Operations: []string{"getThing"}, Effect: scenario.Effect{Status: 404}},
		{API: "other", Name: "boom", Description: "d", Effect: scenario.Effect{Status: 500}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name    string
		sticky  string
		header  *string
		query   string
		want    string
		unknown string
	}{
		{name: "nothing", want: ""},
		{name: "sticky", sticky: "boom", want: "boom"},
		{name: "header", header: ptr("slow"), want: "slow"},
		{name: "header beats sticky", sticky: "boom", header: ptr("slow"), want: "slow"},
		{name: "query", query: "__scenario=gone", want: "gone"},
		{name: "query beats sticky", sticky: "boom", query: "__scenario=slow", want: "slow"},
		{name: "header beats query", header: ptr("boom"), query: "__scenario=slow", want: "boom"},
		{name: "header none escapes sticky", sticky: "boom", header: ptr("none"), want: ""},
		{name: "empty header escapes sticky", sticky: "boom", header: ptr(""), want: ""},
		{name: "query none escapes sticky", sticky: "boom", query: "__scenario=none", want: ""},
		{name: "empty query escapes sticky", sticky: "boom", query: "__scenario=", want: ""},
		{name: "other query param", sticky: "boom", query: "x__scenario=slow", want: "boom"},
		{name: "spaces trimmed", header: ptr(" slow "), want: "slow"},
		{name: "unknown header", header: ptr("nope"), unknown: "nope"},
		{name: "unknown query", query: "__scenario=nope", unknown: "nope"},
		{name: "scenario of another API only", header: ptr("other"), unknown: "other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := testRegistry(t)
			if tc.sticky != "" {
				if err := reg.SetSticky("api", tc.sticky); err != nil {
					t.Fatal(err)
				}
			}
			req := httptest.NewRequest("GET", "/x?"+tc.query, nil)
			if tc.header != nil {
				req.Header.Set(scenario.Header, *tc.header)
			}
			s, err := reg.Select("api", req)
			if tc.unknown != "" {
				var ue *scenario.UnknownError
				if !errors.As(err, &ue) || ue.Name != tc.unknown || ue.API != "api" ||
					!slices.Equal(ue.Valid, []string{"boom", "gone", "slow"}) {
					t.Fatalf("want UnknownError for %q, got %v", tc.unknown, err)
				}
				if !strings.Contains(err.Error(), "boom, gone, slow") {
					t.Errorf("error %q does not list the valid names", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s != nil {
				got = s.Name
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestSticky(t *testing.T) {
	reg := testRegistry(t)
	if err := reg.SetSticky("api", "boom"); err != nil {
		t.Fatal(err)
	}
	if reg.Sticky("api") != "boom" || reg.Sticky("other") != "" {
		t.Fatal("sticky not per API")
	}
	var ue *scenario.UnknownError
	if err := reg.SetSticky("api", "nope"); !errors.As(err, &ue) {
		t.Fatalf("want UnknownError, got %v", err)
	}
	if reg.Sticky("api") != "boom" {
		t.Fatal("a failed SetSticky changed the sticky scenario")
	}
	if err := reg.SetSticky("nope", "boom"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "no scenarios") {
		t.Fatalf("unknown API: %v", err)
	}
	if err := reg.SetSticky("api", "none"); err != nil || reg.Sticky("api") != "" {
		t.Fatal("none does not clear")
	}
	_ = reg.SetSticky("api", "slow")
	reg.ClearSticky("api")
	if reg.Sticky("api") != "" {
		t.Fatal("ClearSticky")
	}
	_ = reg.SetSticky("api", "slow")
	_ = reg.SetSticky("other", "boom")
	reg.ClearAllSticky()
	if reg.Sticky("api")+reg.Sticky("other") != "" {
		t.Fatal("ClearAllSticky")
	}
}

func TestConcurrentSticky(t *testing.T) {
	reg := testRegistry(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				if (i+j)%3 == 0 {
					_ = reg.SetSticky("api", []string{"boom", "slow", "gone"}[j%3])
				} else if (i+j)%7 == 0 {
					reg.ClearSticky("api")
				}
				if _, err := reg.Select("api", httptest.NewRequest("GET", "/", nil)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestApplies(t *testing.T) {
	reg := testRegistry(t)
	all, _ := reg.Lookup("api", "boom")
	some, _ := reg.Lookup("api", "gone")
	for _, c := range []struct {
		s    *scenario.Scenario
		op   string
		want bool
	}{{all, "anything", true}, {all, "", true}, {some, "getThing", true}, {some, "listThings", false}} {
		if got := c.s.Applies(c.op); got != c.want {
			t.Errorf("%s.Applies(%q) = %v", c.s.Name, c.op, got)
		}
	}
}

func TestNewRegistryRejects(t *testing.T) {
	if _, err := scenario.NewRegistry([]*scenario.Scenario{
		{API: "a", Name: "x", Description: "d", Effect: scenario.Effect{Status: 500}},
		{API: "a", Name: "x", Description: "d", Effect: scenario.Effect{Status: 500}},
	}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("duplicate: %v", err)
	}
	if err := testRegistry(t).CheckAPIs([]string{"api"}); err == nil || !strings.Contains(err.Error(), "other") {
		t.Fatalf("CheckAPIs: %v", err)
	}
}

func TestDelayFor(t *testing.T) {
	tests := []struct {
		name   string
		effect scenario.Effect
		header string
		want   time.Duration
		err    bool
	}{
		{"no delay ignores header", scenario.Effect{Status: 500}, "5s", 0, false},
		{"default", scenario.Effect{Delay: 2 * time.Second}, "", 2 * time.Second, false},
		{"duration header", scenario.Effect{Delay: 2 * time.Second}, "250ms", 250 * time.Millisecond, false},
		{"milliseconds header", scenario.Effect{Delay: 2 * time.Second}, "1500", 1500 * time.Millisecond, false},
		{"zero header", scenario.Effect{Delay: 2 * time.Second}, "0", 0, false},
		{"capped", scenario.Effect{Delay: 2 * time.Second, MaxDelay: 3 * time.Second}, "10s", 3 * time.Second, false},
		{"default cap", scenario.Effect{Delay: 2 * time.Second}, "1h", scenario.DefaultMaxDelay, false},
		{"bad header", scenario.Effect{Delay: 2 * time.Second}, "soon", 0, true},
		{"negative", scenario.Effect{Delay: 2 * time.Second}, "-5", 0, true},
		{"negative duration", scenario.Effect{Delay: 2 * time.Second}, "-5s", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			if tc.header != "" {
				req.Header.Set(scenario.DelayHeader, tc.header)
			}
			got, err := tc.effect.DelayFor(req)
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("got %v, %v; want %v, error %v", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestEffectHelpers(t *testing.T) {
	e := scenario.Effect{Status: 404, GraphQLStatus: 200, Message: "m", Code: "C", Headers: map[string]string{"X": "1"}}
	if e.StatusFor(false) != 404 || e.StatusFor(true) != 200 {
		t.Fatal("StatusFor")
	}
	p := e.Problem()
	p.Headers["X"] = "changed"
	if p.Status != 404 || p.Message != "m" || p.Code != "C" || e.Headers["X"] != "1" {
		t.Fatalf("Problem %+v shares or loses data", p)
	}
	if (&scenario.Effect{Status: 500}).StatusFor(true) != 500 || (&scenario.Effect{}).StatusFor(true) != 0 {
		t.Fatal("StatusFor fallback")
	}
	if (&scenario.Effect{Hold: true}).HoldLimit() != scenario.DefaultHoldCap {
		t.Fatal("HoldLimit default")
	}
}

func TestParseAssignment(t *testing.T) {
	for _, c := range []struct{ in, api, name string }{
		{"admin=no-clients", "admin", "no-clients"},
		{" clients-v0 = slow ", "clients-v0", "slow"},
		{"admin=none", "admin", "none"},
		{"admin", "", ""}, {"=x", "", ""}, {"admin=", "", ""},
	} {
		api, name, err := scenario.ParseAssignment(c.in)
		if (err != nil) != (c.api == "") || api != c.api || name != c.name {
			t.Errorf("ParseAssignment(%q) = %q, %q, %v", c.in, api, name, err)
		}
	}
}

func TestReplaceKeepsStickyChoices(t *testing.T) {
	file := func(status int) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(fmt.Sprintf("description: d\neffect:\n  status: %d\n", status))}
	}
	reg, err := scenario.Load(fstest.MapFS{"a/x.yaml": file(500), "a/y.yaml": file(501), "b/z.yaml": file(502)})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.SetSticky("a", "x"); err != nil {
		t.Fatal(err)
	}
	if err := reg.SetSticky("b", "z"); err != nil {
		t.Fatal(err)
	}
	next, err := scenario.Load(fstest.MapFS{"a/x.yaml": file(503), "b/w.yaml": file(504)})
	if err != nil {
		t.Fatal(err)
	}
	cleared := reg.Replace(next)
	if !reflect.DeepEqual(cleared, []string{"b"}) {
		t.Errorf("cleared %v, want [b] (z is gone)", cleared)
	}
	if got := reg.Sticky("a"); got != "x" {
		t.Errorf("sticky a = %q, want x kept", got)
	}
	if got := reg.Sticky("b"); got != "" {
		t.Errorf("sticky b = %q, want cleared", got)
	}
	if s, ok := reg.Lookup("a", "x"); !ok || s.Effect.Status != 503 {
		t.Errorf("a/x after replace: %+v", s)
	}
	if _, ok := reg.Lookup("a", "y"); ok {
		t.Error("a/y survived the replace")
	}
	if got := reg.Names("b"); !reflect.DeepEqual(got, []string{"w"}) {
		t.Errorf("names of b %v", got)
	}
}

// recordingSync keeps what a Registry publishes.
type recordingSync struct{ got []string }

func (s *recordingSync) Publish(api, name string) error {
	s.got = append(s.got, api+"="+name)
	return nil
}

func TestStickySyncPublishesAndApplies(t *testing.T) {
	reg, err := scenario.NewRegistry([]*scenario.Scenario{{API: "a", Name: "down", Description: "the API is down", Effect: scenario.Effect{Status: 503}}})
	if err != nil {
		t.Fatal(err)
	}
	rs := &recordingSync{}
	reg.SetSync(rs)
	if err := reg.SetSticky("a", "down"); err != nil {
		t.Fatal(err)
	}
	if err := reg.SetSticky("a", "nope"); err == nil {
		t.Error("unknown scenario accepted")
	}
	reg.ClearSticky("a")
	if got, want := fmt.Sprint(rs.got), "[a=down a=]"; got != want {
		t.Errorf("published %s, want %s", got, want)
	}
	tests := []struct{ name, want string }{{"down", "down"}, {"gone", ""}, {"", ""}}
	for _, tt := range tests {
		reg.ApplySticky("a", tt.name)
		if got := reg.Sticky("a"); got != tt.want {
			t.Errorf("ApplySticky(%q): sticky %q, want %q", tt.name, got, tt.want)
		}
	}
	if len(rs.got) != 2 {
		t.Errorf("ApplySticky published again: %v", rs.got)
	}
}
