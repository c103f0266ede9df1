package config

import "testing"

// FuzzParse feeds arbitrary bytes to the config parser: it must never panic,
// and a configuration it accepts must validate or fail with an error.
func FuzzParse(f *testing.F) {
	f.Add([]byte("addr: 127.0.0.1:9090\nseed: 7\n"))
	f.Add([]byte("apis:\n  clients-v0:\n    rateLimit: {limit: 5, window: 1m}\n    counts: {clients: 3}\n"))
	f.Add([]byte("holdCap: 5s\njournalSize: -1\n"))
	f.Add([]byte("apis: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		_ = c.Validate()
	})
}
