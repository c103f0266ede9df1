package redisstate

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/store"
)

// FuzzDecodeLogEntry: every entry of the shared log is bytes from Redis.
// decode must refuse what is not an entry, never panic, keep the stream
// id, and what it accepts must encode back to bytes that decode the same.
func FuzzDecodeLogEntry(f *testing.F) {
	for _, s := range []string{
		`{"changes":[{"op":"insert","col":"marketplace.accounts","seq":54,"rec":{"id":"x","n":1.5,"tags":["a"],"nested":{"k":null}}}]}`,
		`{"changes":[{"op":"delete","col":"c","seq":3}]}`,
		`{"reset":true}`,
		`{}`, `null`, ``, `[]`, `{"changes":{}}`, `{"changes":[{"seq":-1}]}`, `{"changes":[{"seq":1e30}]}`,
		"{\"changes\":[{\"op\":\"\xff\",\"rec\":{\"\xfe\":1}}]}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		es, err := decode([]redis.XMessage{{ID: "7-1", Values: map[string]any{"e": raw}}})
		if err != nil {
			return
		}
		if len(es) != 1 || es[0].ID != "7-1" {
			t.Fatalf("decoded %d entries (%+v), want one with id 7-1", len(es), es)
		}
		once := encodeLogEntry(t, es[0])
		again, err := decode([]redis.XMessage{{ID: "7-2", Values: map[string]any{"e": string(once)}}})
		if err != nil {
			t.Fatalf("re-encoded entry %s does not decode: %v", once, err)
		}
		if twice := encodeLogEntry(t, again[0]); !bytes.Equal(once, twice) {
			t.Fatalf("entry changes through Redis:\n%s\n%s", once, twice)
		}
	})
}

func encodeLogEntry(t *testing.T, e store.Entry) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("decoded entry does not encode: %v", err)
	}
	return b
}

// FuzzDecodeJournalBatch: a batch of the shared journal is bytes from
// Redis too. decodeBatch must refuse or accept without panicking; what it
// accepts must go through every filter and encode back stably, and
// appendBatch must write what json.Marshal writes.
func FuzzDecodeJournalBatch(f *testing.F) {
	for _, s := range []string{
		`[{"time":"2026-12-01T23:00:00Z","method":"GET","path":"/v0/clients","api":"clients-v0","status":200,"durationMs":1.5,"token":"stan…","replica":"h/1/a"}]`,
		`[{"time":"2026-12-01T23:00:00+05:00","method":"POST","path":"/api/graphql","status":503,"request":{"headers":{"A":["b"]},"body":"{}"}}]`,
		`[]`, `null`, `{}`, `[null]`, `[{"status":-1,"durationMs":-5}]`, `[{"time":"not a time"}]`, `[{"durationMs":1e300}]`,
	} {
		f.Add(s)
	}
	filters := []journal.Filter{
		{}, {Path: "/v0/*"}, {Method: "get", StatusClass: 5}, {Scenario: journal.NoScenario},
		{Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, {API: "admin", Operation: "graphql", Status: 200, Scenario: "slow"},
	}
	f.Fuzz(func(t *testing.T, raw string) {
		batch, err := decodeBatch(raw)
		if err != nil {
			return
		}
		for i := range batch {
			for _, fl := range filters {
				_ = fl.Match(&batch[i])
			}
		}
		once := appendBatch(nil, batch)
		if std, err := json.Marshal(batch); batch != nil && (err != nil || !bytes.Equal(once, std)) { // nil: "[]", not "null"
			t.Fatalf("appendBatch differs from json.Marshal (%v):\n%s\n%s", err, once, std)
		}
		again, err := decodeBatch(string(once))
		if err != nil {
			t.Fatalf("re-encoded batch %s does not decode: %v", once, err)
		}
		twice := appendBatch(nil, again)
		if !bytes.Equal(once, twice) {
			t.Fatalf("batch changes through Redis:\n%s\n%s", once, twice)
		}
	})
}

// TestEncodeBatchIsJSONMarshal: entries as the server makes them (times
// with a monotonic reading, in any zone) encode as json.Marshal does.
func TestEncodeBatchIsJSONMarshal(t *testing.T) {
	now := time.Now()
	tests := []journal.Entry{
		{Time: now, Method: "GET", Path: "/v0/clients", API: "clients-v0", Operation: "listClients", Status: 200, Duration: 1234567, Token: "stan…", RequestID: "r1", Replica: "h/1/127.0.0.1:1"},
		{Time: now.In(time.FixedZone("x", 5*3600+1800)), Method: "POST", Path: "/api/graphql", Query: "a=<b>&c=\u2028", Scenario: "slow", Status: 503, Duration: -5},
		{Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Method: "DELETE", Path: "/x\"y\\z", Status: 204, Request: &journal.Message{Body: []byte("{}")}},
		{},
	}
	for i, e := range tests {
		want, err := json.Marshal([]journal.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendBatch([]byte("x"), []journal.Entry{e})[1:]; !bytes.Equal(got, want) {
			t.Errorf("entry %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
