package journal_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/standin/standin/internal/journal"
)

func TestHeadsRoundTrip(t *testing.T) {
	long := strings.Repeat("v", 300) // a length over one varint byte
	tests := []struct {
		name      string
		req, resp http.Header
	}{
		{"both empty", http.Header{}, http.Header{}},
		{"nil maps", nil, nil},
		{"one each", http.Header{"Accept": {"application/json"}}, http.Header{"Content-Type": {"application/json"}}},
		{"repeated values and a long one", http.Header{"X-A": {"1", "2", ""}, "X-Long": {long}}, http.Header{"Set-Cookie": {"a=1", "b=2"}}},
		{"odd bytes", http.Header{"X-\x00": {"\xff\x80 é"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := journal.HeadsOf(tc.req, tc.resp)
			if got, want := h.Request(), orEmpty(tc.req); !reflect.DeepEqual(got, want) {
				t.Errorf("request %v, want %v", got, want)
			}
			if got, want := h.Response(), orEmpty(tc.resp); !reflect.DeepEqual(got, want) {
				t.Errorf("response %v, want %v", got, want)
			}
		})
	}
	if journal.Heads("").Request() != nil {
		t.Error("empty Heads give headers")
	}
}

func orEmpty(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h
}

// TestHeadsOfAllocatesOnce: the server packs every request's headers, so
// the packing is one allocation whatever the number of headers.
func TestHeadsOfAllocatesOnce(t *testing.T) {
	req := http.Header{"Authorization": {"Bearer standin-admin"}, "Accept": {"*/*"}, "User-Agent": {"curl/8"}}
	resp := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"abc"}, "Ratelimit-Remaining": {"99"}}
	if n := testing.AllocsPerRun(100, func() { _ = journal.HeadsOf(req, resp) }); n != 1 {
		t.Fatalf("HeadsOf allocates %v times, want 1", n)
	}
}

// TestReadersGetHeadersRedacted: List, Select and Publish turn the packed
// headers of an entry without bodies into Request and Response messages,
// secrets cut, marked bodyNotKept; Get returns them as presented.
func TestReadersGetHeadersRedacted(t *testing.T) {
	j := journal.New(10)
	ch, stop := j.Subscribe(4)
	defer stop()
	req := http.Header{"Authorization": {"Bearer standin-admin"}, "Accept": {"application/json"}}
	resp := http.Header{"Content-Type": {"application/json"}}
	e := journal.Entry{Method: "GET", Path: "/v0/clients", Status: 200, Token: "standin-admin", Heads: journal.HeadsOf(req, resp)}
	seq := j.Begin(e)
	e.Seq = seq
	j.Publish(e)

	check := func(name string, got journal.Entry) {
		t.Helper()
		if got.Heads != "" {
			t.Errorf("%s: packed headers leave the journal", name)
		}
		if got.Request == nil || got.Response == nil {
			t.Fatalf("%s: no messages: %+v", name, got)
		}
		if a := got.Request.Headers.Get("Authorization"); a != "Bearer stan…" {
			t.Errorf("%s: Authorization %q", name, a)
		}
		if got.Request.Headers.Get("Accept") != "application/json" || got.Response.Headers.Get("Content-Type") != "application/json" {
			t.Errorf("%s: headers %v %v", name, got.Request.Headers, got.Response.Headers)
		}
		if !got.Request.BodyNotKept || !got.Response.BodyNotKept {
			t.Errorf("%s: bodyNotKept not set", name)
		}
		if got.Seq != seq {
			t.Errorf("%s: seq %d, want %d", name, got.Seq, seq)
		}
	}
	check("List", j.List(1)[0])
	check("Select", j.Select(journal.Filter{})[0])
	check("Publish", <-ch)

	raw, ok := j.Get(seq)
	if !ok || raw.Token != "standin-admin" || raw.Heads.Request().Get("Authorization") != "Bearer standin-admin" {
		t.Fatalf("Get: %+v %v", raw, ok)
	}
}

// TestKeptBodiesWin: an entry whose bodies were kept keeps its own
// messages; the packed headers are only dropped.
func TestKeptBodiesWin(t *testing.T) {
	j := journal.New(2)
	msg := &journal.Message{Headers: http.Header{"A": {"1"}}, Body: []byte(`{}`)}
	j.Add(journal.Entry{Request: msg, Response: msg, Heads: journal.HeadsOf(http.Header{"B": {"2"}}, nil)})
	got := j.List(0)[0]
	if got.Request != msg || got.Request.BodyNotKept || got.Heads != "" {
		t.Fatalf("%+v", got)
	}
}

func TestSeqAndGet(t *testing.T) {
	j := journal.New(3)
	var seqs []uint64
	for i := range 5 {
		seqs = append(seqs, j.Begin(journal.Entry{Status: 200 + i}))
	}
	tests := []struct {
		name   string
		seq    uint64
		ok     bool
		status int
	}{
		{"zero", 0, false, 0},
		{"dropped", seqs[1], false, 0},
		{"oldest held", seqs[2], true, 202},
		{"newest", seqs[4], true, 204},
		{"not yet given", seqs[4] + 1, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := j.Get(tc.seq)
			if ok != tc.ok || e.Status != tc.status || (ok && e.Seq != tc.seq) {
				t.Fatalf("Get(%d) = %+v, %v", tc.seq, e, ok)
			}
		})
	}
	// Finish keeps the number.
	j.Finish(seqs[4], journal.Entry{Status: 500})
	if e, _ := j.Get(seqs[4]); e.Seq != seqs[4] || e.Status != 500 {
		t.Fatalf("after Finish: %+v", e)
	}
	j.Reset()
	if _, ok := j.Get(seqs[4]); ok {
		t.Fatal("Get after Reset")
	}
}

func TestReplayHeaders(t *testing.T) {
	known := func(c string) bool { return c == "standin-admin" }
	h := journal.HeadsOf(http.Header{
		"Authorization": {"Bearer standin-admin"},
		"X-Api-Key":     {"someone-elses-key"},
		"Cookie":        {"session=abcdefghijkl"},
		"Accept":        {"application/json"},
	}, nil)
	got := h.ReplayHeaders(known)
	want := http.Header{
		"Authorization": {"Bearer standin-admin"},
		"X-Api-Key":     {"someo…"},
		"Cookie":        {"sessio…"},
		"Accept":        {"application/json"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	other := journal.HeadsOf(http.Header{"Authorization": {"Bearer not-a-mock-token"}}, nil).ReplayHeaders(known)
	if a := other.Get("Authorization"); a != "Bearer not-a…" {
		t.Fatalf("unknown token kept: %q", a)
	}
	apiKey := journal.HeadsOf(http.Header{"X-Api-Key": {"standin-admin"}}, nil).ReplayHeaders(known)
	if a := apiKey.Get("X-Api-Key"); a != "standin-admin" {
		t.Fatalf("a mock token as an API key: %q", a)
	}
}

// FuzzHeads: any headers survive the packing; any string unpacks without
// panicking.
func FuzzHeads(f *testing.F) {
	f.Add("Accept", "application/json", "Content-Type", "text/plain", "")
	f.Add("", "", "X", strings.Repeat("é", 100), "\x05\x01")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, packed string) {
		req, resp := http.Header{k1: {v1, v2}}, http.Header{k2: {v2}}
		h := journal.HeadsOf(req, resp)
		if !reflect.DeepEqual(h.Request(), req) || !reflect.DeepEqual(h.Response(), resp) {
			t.Fatalf("round trip: %q", h)
		}
		_ = journal.Heads(packed).Request()
		_ = journal.Heads(packed).ReplayHeaders(func(string) bool { return true })
	})
}

// TestReadersGetBodiesRedacted: a body is kept as sent (Capture does not
// scan it) and every way out of the journal redacts it: List, Select,
// Publish and the JSON of the message (the shared journal ships that).
func TestReadersGetBodiesRedacted(t *testing.T) {
	j := journal.New(10)
	ch, stop := j.Subscribe(4)
	defer stop()
	secret := `{"name":"Rex","password":"hunter2-secret-value","card":{"token":"tok_4242424242424242"}}`
	b := journal.NewBody(0)
	_, _ = b.Write([]byte(secret))
	msg := journal.Capture(http.Header{"Content-Type": {"application/json"}}, b)
	if string(msg.Body) != secret {
		t.Fatalf("Capture changed the body it keeps: %s", msg.Body)
	}
	e := journal.Entry{Method: "POST", Path: "/pets", Status: 201, Request: msg, Response: journal.Capture(http.Header{}, nil)}
	e.Seq = j.Begin(e)
	j.Publish(e)

	check := func(name string, body []byte) {
		t.Helper()
		for _, s := range []string{"hunter2-secret-value", "tok_4242424242424242"} {
			if strings.Contains(string(body), s) {
				t.Errorf("%s: the secret %q left the journal: %s", name, s, body)
			}
		}
		if !strings.Contains(string(body), "Rex") {
			t.Errorf("%s: the rest of the body is gone: %s", name, body)
		}
	}
	check("List", j.List(1)[0].Request.Body)
	check("Select", j.Select(journal.Filter{})[0].Request.Body)
	check("Publish", (<-ch).Request.Body)
	raw, _ := j.Get(e.Seq)
	js, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	check("MarshalJSON", js)
	check("Redacted", raw.Request.Redacted().Body)
	if string(raw.Request.Body) != secret {
		t.Errorf("reading changed the stored message: %s", raw.Request.Body)
	}
}
