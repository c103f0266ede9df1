package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/docblock"
)

var update = flag.Bool("update", false, "rewrite the README's transcript of conform --help")

// TestHelpVersionAndUsageErrors: --help (-h) and --version print to
// stdout and exit 0; bad usage and bad files exit 2 with the reason on
// stderr. None of these cases runs the suite (Ginkgo runs one suite per
// process: TestReportsAgree's).
func TestHelpVersionAndUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badSpec := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(badSpec, []byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	specInConfig := filepath.Join(dir, "conform.yaml")
	if err := os.WriteFile(specInConfig, []byte("apis:\n  mine:\n    baseURL: http://127.0.0.1:1\n    token: x\n    spec: "+badSpec+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badYAML := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badYAML, []byte("apis:\n  admin: baseURL: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		args        []string
		code        int
		out, errOut string // substrings ("" for empty; "(suite)": the suite's own stderr)
	}{
		{"help", []string{"--help"}, 0, "Usage: go run ./cmd/conform [flags]", ""},
		{"-h", []string{"-h"}, 0, "\nTargets:\n  --target URL\n", ""},
		{"version", []string{"--version"}, 0, "conform (devel)\n", ""},
		{"unknown flag", []string{"--bogus"}, 2, "", "flag provided but not defined: -bogus\nRun conform --help for the flags."},
		{"argument", []string{"run"}, 2, "", `unexpected arguments ["run"]`},
		{"bad value", []string{"--timeout", "soon"}, 2, "", `invalid value "soon" for flag -timeout`},
		{"bad target", []string{"--target", "ftp://x"}, 2, "", "must be an absolute http(s) URL"},
		{"unknown API", []string{"--api", "nope"}, 2, "", `--api "nope": not a configured API`},
		{"missing config", []string{"--config", filepath.Join(dir, "missing.yaml")}, 2, "", "missing.yaml"},
		{"bad conform.yaml", []string{"--config", badYAML}, 2, "", "bad.yaml"},
		{"bad --spec file", []string{"--spec", badSpec, "--target", "http://127.0.0.1:1", "--token", "x"}, 2, "", "(suite)"},
		// a contract named in conform.yaml is read after the flags:
		// still bad usage, as with --spec (it exited 1)
		{"bad spec in conform.yaml", []string{"--config", specInConfig}, 2, "", "(suite)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, stderr.String())
			}
			if tc.out == "" && stdout.Len() > 0 || !strings.Contains(stdout.String(), tc.out) {
				t.Errorf("stdout:\n%s\nwant %q", stdout.String(), tc.out)
			}
			if tc.errOut != "(suite)" { // the suite reports its own errors on os.Stderr
				if tc.errOut == "" && stderr.Len() > 0 || !strings.Contains(stderr.String(), tc.errOut) {
					t.Errorf("stderr:\n%s\nwant %q", stderr.String(), tc.errOut)
				}
			}
		})
	}
}

// TestHelpGroupsEveryFlag: every flag is in exactly one group of --help,
// and every group names only flags that exist.
func TestHelpGroupsEveryFlag(t *testing.T) {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	conform.BindFlags(fs)
	cmdline.BindAbout(fs)
	h := help()
	if u := h.Ungrouped(fs); len(u) > 0 {
		t.Errorf("flags in no group of --help: %v (add each to conform.FlagGroups)", u)
	}
	if u := h.Unknown(fs); len(u) > 0 {
		t.Errorf("conform.FlagGroups names flags that do not exist: %v", u)
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

// TestHelpExamplesAreValid: the flags of every example of --help parse and
// make a valid configuration as printed, from the repository's root. (The
// runs themselves need their targets; docs/conformance.md's figures test
// runs the first.)
func TestHelpExamplesAreValid(t *testing.T) {
	t.Chdir("../..")
	for _, ex := range help().Examples {
		t.Run(ex.Command, func(t *testing.T) {
			fields := strings.Fields(ex.Command)
			for len(fields) > 0 && strings.Contains(fields[0], "=") && !strings.HasPrefix(fields[0], "-") {
				k, v, _ := strings.Cut(fields[0], "=")
				t.Setenv(k, v)
				fields = fields[1:]
			}
			if len(fields) < 3 || strings.Join(fields[:3], " ") != "go run ./cmd/conform" {
				t.Fatalf("example %q does not run go run ./cmd/conform", ex.Command)
			}
			fs := flag.NewFlagSet("conform", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			flags := conform.BindFlags(fs)
			if err := fs.Parse(fields[3:]); err != nil {
				t.Fatal(err)
			}
			if _, err := flags.Config(); err != nil {
				t.Errorf("as printed: %v", err)
			}
		})
	}
}

// TestREADMETranscript: the README shows what go run ./cmd/conform --help
// prints. Refresh with go test ./cmd/conform -run TestREADMETranscript
// -update.
func TestREADMETranscript(t *testing.T) {
	const readme, command = "../../README.md", "go run ./cmd/conform --help"
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if *update {
		doc, err := docblock.Replace(string(data), command, stdout.String())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readme, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	shown, _, _, err := docblock.Transcript(string(data), command)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if shown != stdout.String() {
		t.Errorf("README.md shows for %s:\n%s\nbut it prints:\n%s\n(go test ./cmd/conform -run TestREADMETranscript -update rewrites it)", command, shown, stdout.String())
	}
}

// TestREADMEFlagTable: every flag has a row in the README's table of
// cmd/conform flags.
func TestREADMEFlagTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "`cmd/conform` flags")
	if start < 0 {
		t.Fatal("README.md has no table of cmd/conform flags")
	}
	table := doc[start:]
	if end := strings.Index(table, "\n\n"); end >= 0 {
		if next := strings.Index(table[end+2:], "\n\n"); next >= 0 {
			table = table[:end+2+next] // the heading line, then the table
		}
	}
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	conform.BindFlags(fs)
	cmdline.BindAbout(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(table, "`--"+f.Name+" ") && !strings.Contains(table, "`--"+f.Name+"`") {
			t.Errorf("README.md: the cmd/conform flags table has no row for --%s", f.Name)
		}
	})
}
