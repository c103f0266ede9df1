// Command mockserver serves every bundled API (admin, marketplace,
// clients-v0, clients-v2) on one port with deterministic, realistic data, and
// injects the documented error scenarios on demand.
//
// Usage:
//
//	go run ./cmd/mockserver [flags]
//
// mockserver --help lists the flags by group (serving, data, scenarios,
// state, operations) with examples; --version prints the module version
// and VCS revision. --spec serves the user's own OpenAPI 3.0/3.1 document
// or GraphQL SDL beside the bundled APIs, its collections inferred;
// --apis-dir adds folders of api.yaml-based APIs.
//
// Every flag also reads from STANDIN_<FLAG> (STANDIN_ADDR, STANDIN_SEED, …).
//
// Exit status: 0 after a clean shutdown, --help or --version; 1 when it
// cannot serve (a port taken, shared state unreachable); 2 for bad usage
// or a bad file (flag, configuration, spec, manifest, fixture, scenario),
// with the file's place.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/gctune"
	"github.com/standin/standin/internal/server"
	"github.com/standin/standin/internal/startup"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status. It serves
// until SIGINT or SIGTERM.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, getenv, stdout, stderr)
}

// serve is run until ctx ends, then it shuts the server down gracefully.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // --help prints to stdout below; a bad flag gets a hint
	flags := config.Bind(fs)
	about := cmdline.BindAbout(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h
			_ = help().Write(stdout, fs)
			return cmdline.ExitOK
		}
		fmt.Fprintln(stderr, "Run mockserver --help for the flags.")
		return cmdline.ExitUsage
	}
	switch {
	case about.Help:
		_ = help().Write(stdout, fs)
		return cmdline.ExitOK
	case about.Version:
		fmt.Fprint(stdout, cmdline.Version("mockserver"))
		return cmdline.ExitOK
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "mockserver: unexpected arguments %q (it takes flags only; see --help)\n", fs.Args())
		return cmdline.ExitUsage
	}
	cfg, err := flags.Resolve(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mockserver: %v\n", err)
		return cmdline.ExitUsage
	}
	logger := newLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	// The port opens at once: until the data is built, a gate answers
	// health (200), ready (503 with progress) and API requests (503 with
	// Retry-After in the API's shape).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintf(stderr, "mockserver: %v\n", err)
		return cmdline.ExitFailure
	}
	progress := startup.NewProgress()
	gate := startup.NewGate(progress)
	hs := server.HTTPServer(gate, logger)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	shutdown := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			logger.Warn("shutdown", "err", err)
			_ = hs.Close()
		}
	}
	type built struct {
		srv *server.Server
		err error
	}
	var report *startup.Reporter
	if cfg.LogFormat == "json" {
		// every line on stderr is then a JSON record
		report = startup.ReportLog(logger, progress, time.Second)
	} else {
		report = startup.Report(stderr, progress, startup.IsTerminal(stderr), time.Second)
	}
	builtc := make(chan built, 1)
	go func() {
		// read here, not before the select: a signal ends start-up however
		// long any read of the user's files takes
		if unavailable, err := server.Starting(cfg, server.Options{Progress: progress}); err == nil {
			gate.SetUnavailable(unavailable) // on error, server.New reports it
		}
		tuning := gctune.Loading(getenv)
		srv, err := server.New(cfg, server.Options{Logger: logger, Context: ctx, Progress: progress, Generating: tuning.Generating})
		if mem := tuning.Done(); mem.Tuned {
			logger.Debug("memory", "live_mib", mem.Live>>20, "soft_limit_mib", mem.Limit>>20)
		}
		builtc <- built{srv, err}
	}()
	// SIGINT or SIGTERM during generation ends server.New (Context).
	select {
	case b := <-builtc:
		report.Stop()
		if b.err != nil {
			code := cmdline.ExitFailure
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "mockserver: interrupted while loading data")
			} else {
				// a bad file (a *usererr.Error: manifest, fixture,
				// scenario, the config's API names) is the user's: 2
				err := flags.Locate(b.err)
				code = cmdline.ExitStatus(err)
				fmt.Fprintf(stderr, "mockserver: %v\n", err)
			}
			shutdown()
			return code
		}
		gate.Ready(b.srv)
		// after the shutdown: ends the shared state's goroutines (--state)
		defer b.srv.Close()
		hs.RegisterOnShutdown(b.srv.Journal().CloseSubscribers) // ends the dashboard's streams
		if cfg.Watch {
			stopWatch, err := watch(cfg, logger, gate, b.srv)
			if err != nil {
				fmt.Fprintf(stderr, "mockserver: --watch: %v\n", err)
				shutdown()
				return 1
			}
			defer stopWatch()
		}
		fmt.Fprint(stdout, b.srv.Summary("http://"+ln.Addr().String()))
	case err := <-errc:
		report.Stop()
		fmt.Fprintf(stderr, "mockserver: %v\n", err)
		return 1
	case <-ctx.Done():
		// server.New may be blocked in a read it cannot leave; the
		// process ends without it
		report.Stop()
		fmt.Fprintln(stderr, "mockserver: interrupted while loading data")
		shutdown()
		return 1
	}

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "mockserver: %v\n", err)
			return 1
		}
	case <-ctx.Done():
		logger.Info("shutting down")
		shutdown()
	}
	return 0
}

// newLogger returns the process's logger: logfmt-style text lines, or one
// JSON object per line for log collectors (--log-format json).
func newLogger(w io.Writer, format, lvl string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level(lvl)}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func level(s string) slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(s))
	return l
}
