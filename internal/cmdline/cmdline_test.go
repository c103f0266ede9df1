package cmdline

import (
	"bytes"
	"flag"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestHelpGroupsFlags(t *testing.T) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.String("addr", "", "listen address `HOST:PORT`")
	fs.Bool("watch", false, "reload changed files")
	fs.Duration("timeout", 10*time.Second, "timeout of each request")
	fs.String("stray", "", "a flag no group names")
	h := Help{
		Usage:       "demo [flags]",
		Description: "Demo serves things.\n\nA second paragraph that is long enough to be wrapped at eighty columns, so that the test sees it wrapped.",
		Groups:      []Group{{Title: "Serving", Flags: []string{"addr", "timeout"}}, {Title: "State", Flags: []string{"watch", "gone"}}},
		Examples:    []Example{{Command: "demo --addr 127.0.0.1:0", Does: "any free port"}},
		Notes:       "Exit status: 0 success.",
	}
	var b bytes.Buffer
	if err := h.Write(&b, fs); err != nil {
		t.Fatal(err)
	}
	want := `Usage: demo [flags]

Demo serves things.

A second paragraph that is long enough to be wrapped at eighty columns, so that
the test sees it wrapped.

Serving:
  --addr HOST:PORT
      listen address HOST:PORT
  --timeout duration
      timeout of each request (default 10s)

State:
  --watch
      reload changed files

Other flags:
  --stray string
      a flag no group names

Examples:
  # any free port
  demo --addr 127.0.0.1:0

Exit status: 0 success.
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := h.Ungrouped(fs); len(got) != 1 || got[0] != "stray" {
		t.Errorf("Ungrouped = %v", got)
	}
	if got := h.Unknown(fs); len(got) != 1 || got[0] != "gone" {
		t.Errorf("Unknown = %v", got)
	}
}

func TestVersion(t *testing.T) {
	base := debug.BuildInfo{GoVersion: "go1.26.8", Path: "example.com/m/cmd/x", Main: debug.Module{Path: "example.com/m", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}}
	stamped := base
	stamped.Main.Version = "v0.0.0-20260102030405-abcdef012345+dirty"
	stamped.Settings = append(stamped.Settings[:2:2], debug.BuildSetting{Key: "vcs", Value: "git"},
		debug.BuildSetting{Key: "vcs.revision", Value: "abcdef0123456789"}, debug.BuildSetting{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	empty := debug.BuildInfo{GoVersion: "go1.26.8", Path: "example.com/m/cmd/x"}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want []string
	}{
		{"go run: devel, no VCS", &base, true, []string{"x (devel)\n", "module:   example.com/m (devel) (built from a source tree", "revision: unknown (go run, go test and -buildvcs=false", "go:       go1.26.8 linux/amd64"}},
		{"go build in a checkout", &stamped, true, []string{"x v0.0.0-20260102030405-abcdef012345+dirty\n", "revision: abcdef0123456789 (modified", "time:     2026-01-02T03:04:05Z (the revision's commit time"}},
		{"no main module", &empty, true, []string{"x (devel)\n", "module:   example.com/m/cmd/x (devel)", "go:       go1.26.8\n"}},
		{"no build information", nil, false, []string{"x (unknown version: the binary carries no build information)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := version("x", tc.info, tc.ok)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("got:\n%s\nwant it to contain %q", got, w)
				}
			}
		})
	}
	if v := Version("x"); !strings.HasPrefix(v, "x ") {
		t.Errorf("Version = %q", v)
	}
}
