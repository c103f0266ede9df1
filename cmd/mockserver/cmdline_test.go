package main

import (
	"context"
	"flag"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/docblock"
)

var update = flag.Bool("update", false, "rewrite the README's transcripts of mockserver --help and --version")

// TestHelpAndVersion: --help (-h, -help) and --version print to stdout
// and exit 0; usage mistakes exit 2 with a hint on stderr.
func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args        []string
		code        int
		out, errOut string // substrings of stdout and stderr ("" for empty)
	}{
		{[]string{"--help"}, 0, "Usage: go run ./cmd/mockserver [flags]", ""},
		{[]string{"-h"}, 0, "\nServing:\n  --addr HOST:PORT\n", ""},
		{[]string{"-help"}, 0, "\nExamples:\n", ""},
		{[]string{"--help", "--addr", "nonsense"}, 0, "Exit status: 0", ""},
		{[]string{"--version"}, 0, "mockserver (devel)\n  module:   github.com/standin/standin (devel)", ""},
		{[]string{"--bogus"}, 2, "", "flag provided but not defined: -bogus\nRun mockserver --help for the flags."},
		{[]string{"--seed"}, 2, "", "flag needs an argument: -seed"},
		{[]string{"serve"}, 2, "", `unexpected arguments ["serve"]`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr syncBuf
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := serve(ctx, tc.args, env(nil), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, stderr.String())
			}
			check := func(what, got, want string) {
				if want == "" && got != "" || !strings.Contains(got, want) {
					t.Errorf("%s:\n%s\nwant %q", what, got, want)
				}
			}
			check("stdout", stdout.String(), tc.out)
			check("stderr", stderr.String(), tc.errOut)
		})
	}
}

// TestPortTakenExits1: a port another process holds is a failure at run
// time (exit 1), not bad usage.
func TestPortTakenExits1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr syncBuf
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code := serve(ctx, []string{"--addr", ln.Addr().String()}, env(nil), &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// TestHelpGroupsEveryFlag: every flag is in exactly one group of --help,
// and every group names only flags that exist.
func TestHelpGroupsEveryFlag(t *testing.T) {
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	config.Bind(fs)
	cmdline.BindAbout(fs)
	h := help()
	if u := h.Ungrouped(fs); len(u) > 0 {
		t.Errorf("flags in no group of --help: %v (add each to config.FlagGroups)", u)
	}
	if u := h.Unknown(fs); len(u) > 0 {
		t.Errorf("config.FlagGroups names flags that do not exist: %v", u)
	}
	seen := map[string]bool{}
	for _, g := range h.Groups {
		for _, n := range g.Flags {
			if seen[n] {
				t.Errorf("flag %s in two groups", n)
			}
			seen[n] = true
		}
	}
}

// TestHelpExamplesWork runs every example of --help from the repository's
// root, as printed but on a free port: each configuration is valid and the
// server starts and stops cleanly.
func TestHelpExamplesWork(t *testing.T) {
	t.Chdir("../..")
	for _, ex := range help().Examples {
		t.Run(ex.Command, func(t *testing.T) {
			vars := map[string]string{}
			fields := strings.Fields(ex.Command)
			for len(fields) > 0 && strings.Contains(fields[0], "=") && !strings.HasPrefix(fields[0], "-") {
				k, v, _ := strings.Cut(fields[0], "=")
				vars[k] = v
				fields = fields[1:]
			}
			if len(fields) < 3 || strings.Join(fields[:3], " ") != "go run ./cmd/mockserver" {
				t.Fatalf("example %q does not run go run ./cmd/mockserver", ex.Command)
			}
			args := fields[3:]
			// as printed: the configuration resolves
			fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			flags := config.Bind(fs)
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			if _, err := flags.Resolve(env(vars)); err != nil {
				t.Fatalf("as printed: %v", err)
			}
			// and serves, on a free loopback port
			delete(vars, "STANDIN_ADDR")
			var stdout, stderr syncBuf
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int, 1)
			go func() { done <- serve(ctx, append(args, "--addr", "127.0.0.1:0"), env(vars), &stdout, &stderr) }()
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stdout.String(), "Standin mock server on http://"); time.Sleep(20 * time.Millisecond) {
				select {
				case code := <-done:
					t.Fatalf("exit %d before serving:\n%s", code, stderr.String())
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("not serving after 30s:\n%s", stderr.String())
				}
			}
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("exit %d after SIGINT, want 0:\n%s", code, stderr.String())
			}
		})
	}
}

// goVersion is the toolchain part of --version's "go:" line, which
// differs between machines.
var goVersion = regexp.MustCompile(`(?m)^(  go:\s+)\S+( \S+/\S+)?$`)

// TestREADMETranscripts: the README shows what go run ./cmd/mockserver
// --help and --version print in a fresh clone (go run records no VCS
// revision), except for the Go toolchain's version and platform. Refresh
// with go test ./cmd/mockserver -run TestREADMETranscripts -update.
func TestREADMETranscripts(t *testing.T) {
	const readme = "../../README.md"
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, args := range [][]string{{"--help"}, {"--version"}} {
		var stdout, stderr syncBuf
		if code := serve(context.Background(), args, env(nil), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		command := "go run ./cmd/mockserver " + strings.Join(args, " ")
		if *update {
			if doc, err = docblock.Replace(doc, command, stdout.String()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		shown, _, _, err := docblock.Transcript(doc, command)
		if err != nil {
			t.Fatalf("README.md: %v", err)
		}
		if got, want := goVersion.ReplaceAllString(shown, "${1}GO"), goVersion.ReplaceAllString(stdout.String(), "${1}GO"); got != want {
			t.Errorf("README.md shows for %s:\n%s\nbut it prints:\n%s\n(go test ./cmd/mockserver -run TestREADMETranscripts -update rewrites it)", command, got, want)
		}
	}
	if *update {
		if err := os.WriteFile(readme, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestREADMEFlagTable: every flag has a row in the README's table of
// cmd/mockserver flags.
func TestREADMEFlagTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "`cmd/mockserver` flags")
	end := strings.Index(doc, "`cmd/conform` flags")
	if start < 0 || end < start {
		t.Fatal("README.md has no table of cmd/mockserver flags before the cmd/conform one")
	}
	table := doc[start:end]
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	config.Bind(fs)
	cmdline.BindAbout(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(table, "| `--"+f.Name+" ") && !strings.Contains(table, "| `--"+f.Name+"`") {
			t.Errorf("README.md: the cmd/mockserver flags table has no row for --%s", f.Name)
		}
	})
}
