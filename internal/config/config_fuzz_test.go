package config

import (
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to the config parser. It must never
// panic, and a configuration that Validate accepts must have every size
// within its documented maximum, so that no accepted value can make the
// runtime allocate without bound (the journal ring, the generated records,
// request bodies) or hold a request for ever.
func FuzzParse(f *testing.F) {
	f.Add([]byte("addr: 127.0.0.1:9090\nseed: 7\n"))
	f.Add([]byte("apis:\n  clients-v0:\n    rateLimit: {limit: 5, window: 1m}\n    counts: {clients: 3}\n"))
	f.Add([]byte("holdCap: 5s\njournalSize: -1\n"))
	f.Add([]byte("apis: [1, 2]\n"))
	f.Add([]byte("journalSize: 1000000000000\n"))
	f.Add([]byte("apis: {marketplace: {counts: {accounts: 1000000000000}}}\n"))
	f.Add([]byte("apis: {a: {counts: {x: 4000000}}, b: {counts: {y: 4000000}}}\n"))
	f.Add([]byte("maxBodyBytes: 9223372036854775807\nholdCap: 2562047h\n"))
	f.Add([]byte("apis: {a: {rateLimit: {limit: 9223372036854775807, window: 1ns}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		if c.Validate() != nil {
			return
		}
		if c.JournalSize < 0 || c.JournalSize > MaxJournalSize {
			t.Fatalf("accepted journalSize %d", c.JournalSize)
		}
		if c.MaxBodyBytes <= 0 || c.MaxBodyBytes > MaxBodyBytesLimit {
			t.Fatalf("accepted maxBodyBytes %d", c.MaxBodyBytes)
		}
		if c.HoldCap < 0 || time.Duration(c.HoldCap) > MaxHoldCap {
			t.Fatalf("accepted holdCap %v", c.HoldCap)
		}
		total := 0
		for name, a := range c.APIs {
			for col, n := range a.Counts {
				if n < 0 || n > MaxRecords {
					t.Fatalf("accepted %s.%s count %d", name, col, n)
				}
				total += n
			}
			if rl := a.RateLimit; rl != nil && (rl.Limit <= 0 || rl.Limit > MaxRateLimit || rl.Window <= 0 || time.Duration(rl.Window) > MaxRateWindow) {
				t.Fatalf("accepted rate limit %+v", *rl)
			}
			if len(a.Prefix) > MaxTextLen || len(a.Scenario) > MaxTextLen {
				t.Fatalf("accepted %s prefix/scenario of %d/%d bytes", name, len(a.Prefix), len(a.Scenario))
			}
		}
		if total > MaxRecords {
			t.Fatalf("accepted %d records in all", total)
		}
		if len(c.AdminToken) > MaxTextLen {
			t.Fatalf("accepted an admin token of %d bytes", len(c.AdminToken))
		}
	})
}
