// Command profmock serves the mock as cmd/mockserver does for bench/run.sh
// (config file, address, log level, shared state), and net/http/pprof on a second
// loopback address, so that `PPROF=DIR bench/run.sh` can take CPU and
// allocation profiles of the mock under the benchmark's own load.
package main

import (
	"flag"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address of the mock")
	pprofAddr := flag.String("pprof", "127.0.0.1:0", "address of the profiling endpoints (loopback)")
	cfgFile := flag.String("config", "", "config file")
	state := flag.String("state", "", "shared state, as mockserver --state (redis://HOST:PORT/DB)")
	flag.Parse()
	cfg := config.Default()
	if *cfgFile != "" {
		var err error
		if cfg, err = config.Load(*cfgFile); err != nil {
			log.Fatal(err)
		}
	}
	cfg.LogLevel = "warn"
	if *state != "" {
		cfg.State = *state
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(cfg, server.Options{Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	host, _, err := net.SplitHostPort(*pprofAddr)
	if err != nil || !config.IsLoopback(host) {
		log.Fatalf("-pprof %q: profiling is served on loopback only", *pprofAddr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go func() { log.Fatal(http.ListenAndServe(*pprofAddr, mux)) }()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(server.HTTPServer(srv, logger).Serve(ln))
}
