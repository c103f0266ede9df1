package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBounds: every size has a documented maximum, and Validate names it.
func TestBounds(t *testing.T) {
	tests := []struct {
		name, yaml, want string // want "" = valid
	}{
		{"journal at the maximum", "journalSize: 100000\n", ""},
		{"journal over", "journalSize: 1000000000000\n", "journalSize 1000000000000: want 0 to 100000 entries"},
		{"count at the maximum", "apis: {m: {counts: {accounts: 5000000}}}\n", ""},
		{"count absurd", "apis: {m: {counts: {accounts: 1000000000000}}}\n", "apis.m.counts.accounts 1000000000000: want 0 to 5000000 records"},
		{"counts over in all", "apis: {a: {counts: {x: 3000000}}, b: {counts: {y: 3000000}}}\n", "6000000 records in all, more than the maximum of 5000000"},
		{"body over", "maxBodyBytes: 1000000000\n", "maxBodyBytes 1000000000: want 1 to 67108864"},
		{"hold cap over", "holdCap: 2h\n", "holdCap 2h0m0s: want 0 to 1h0m0s"},
		{"rate limit over", "apis: {a: {rateLimit: {limit: 5, window: 720h}}}\n", "apis.a.rateLimit: want a limit of at most 1000000000 per a window of at most 168h0m0s"},
		{"state in Redis", "state: redis://127.0.0.1:6379/0\n", ""},
		{"state not a Redis URL", "state: mysql://db\n", `state "mysql://db": want redis://HOST:PORT/DB`},
		{"prefix with a parameter", "apis: {a: {prefix: \"/x{y}\"}}\n", "character '{'"},
		{"prefix with a query", "apis: {a: {prefix: \"/a?b\"}}\n", "character '?'"},
		{"prefix with a percent", "apis: {a: {prefix: \"/%zz\"}}\n", "character '%'"},
		{"prefix with ..", "apis: {a: {prefix: \"/..\"}}\n", ". or .. segment"},
		{"prefix with an empty segment", "apis: {a: {prefix: \"/a//b\"}}\n", "empty"},
		{"prefix hiding the control API", "apis: {a: {prefix: /__standin}}\n", "control API"},
		{"prefix fine", "apis: {a: {prefix: /mp/v-1.2_x~}}\n", ""},
		{"admin token too long", "adminToken: " + strings.Repeat("x", 5000) + "\n", "adminToken: 5000 bytes, more than the maximum of 4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("valid config refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLoadRefusesNonRegularAndHugeFiles: --config /dev/zero once grew at
// 700 MB/s until killed, and a 100 MB file was read whole.
func TestLoadRefusesNonRegularAndHugeFiles(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.yaml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxConfigFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tests := []struct{ path, want string }{
		{"/dev/zero", "not a regular file"},
		{dir, "not a regular file"},
		{huge, "4194305 bytes, more than the maximum of 4194304"},
		{filepath.Join(dir, "missing.yaml"), "no such file"},
	}
	for _, tc := range tests {
		if _, err := os.Stat(tc.path); tc.path == "/dev/zero" && err != nil {
			t.Logf("skipping %s: %v", tc.path, err)
			continue
		}
		_, err := Load(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
}
