// Command conform runs the Standin conformance suite against real
// implementations of the bundled APIs (or of any OpenAPI document or
// GraphQL SDL, --spec), or, without a target, against the bundled mock
// started in-process.
//
//	go run ./cmd/conform [flags]
//
// conform --help lists the flags by group (targets, selection,
// credentials, reports, generation) with examples; --version prints the
// module version and VCS revision.
//
// Exit status: 0 every selected check passed (and --help, --version); 1 a
// check failed, or the target could not be reached or reset; 2 bad usage
// or a bad file (flags, conform.yaml, a contract), with the file's place.
// See docs/conformance.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/suite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it parses args and runs the suite,
// returning the exit status. --help and --version print to stdout, usage
// errors to stderr; the suite's report goes to the process's stdout.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // --help prints to stdout below; a bad flag gets a hint
	flags := conform.BindFlags(fs)
	about := cmdline.BindAbout(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h
			_ = help().Write(stdout, fs)
			return cmdline.ExitOK
		}
		fmt.Fprintln(stderr, "Run conform --help for the flags.")
		return cmdline.ExitUsage
	}
	switch {
	case about.Help:
		_ = help().Write(stdout, fs)
		return cmdline.ExitOK
	case about.Version:
		fmt.Fprint(stdout, cmdline.Version("conform"))
		return cmdline.ExitOK
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "conform: unexpected arguments %q (it takes flags only; see --help)\n", fs.Args())
		return cmdline.ExitUsage
	}
	cfg, err := flags.Config()
	if err != nil {
		fmt.Fprintf(stderr, "conform: %v\n", err)
		return cmdline.ExitUsage
	}
	cfg.Command = append([]string{"conform"}, args...)
	return suite.Run(cfg)
}
