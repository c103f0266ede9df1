// Command conform runs the Standin conformance suite against real
// implementations of the bundled APIs, or, without a target, against the
// bundled mock started in-process.
//
//	go run ./cmd/conform [--config conform.yaml] [--target URL] [--api NAME]...
//	                     [--destructive] [--junit FILE] [--json FILE] [--html FILE] [--timeout 10s]
//	                     [--seed N] [--examples N] [--spec FILE --target URL --token T]...
//	                     [--max-records N]
//
// Exit status: 0 every selected check passed, 1 a check failed, 2 bad usage.
// See docs/conformance.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/suite"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	flags := conform.BindFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: conform [flags]\n\nChecks the bundled APIs' implementations against specs/ (without --target or --config: the bundled mock, in-process).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return suite.ExitPass
		}
		return suite.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "conform: unexpected arguments %q\n", fs.Args())
		return suite.ExitUsage
	}
	cfg, err := flags.Config()
	if err != nil {
		fmt.Fprintf(os.Stderr, "conform: %v\n", err)
		return suite.ExitUsage
	}
	return suite.Run(cfg)
}
