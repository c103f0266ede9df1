package main

import (
	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/config"
)

// help is what mockserver --help prints; the flags' groups are
// config.FlagGroups. Every example works as printed from the repository's
// root (TestHelpExamplesWork).
func help() cmdline.Help {
	return cmdline.Help{
		Usage: "go run ./cmd/mockserver [flags]",
		Description: "Serves every bundled API (admin, marketplace, clients-v0, clients-v2), REST and GraphQL, " +
			"on one port, backed by one store of deterministic, realistic data: the same id is the same record over " +
			"REST and GraphQL, unknown ids are 404, writes really change the data and POST /__standin/reset puts it back. " +
			"Your own OpenAPI 3.0/3.1 documents and GraphQL SDLs are served beside them (--spec, --apis-dir).\n\n" +
			"It prints what it serves (APIs, paths, tokens, the dashboard's URL) and serves until SIGINT or SIGTERM. " +
			"Documented errors are switched on per request (header X-Standin-Scenario: NAME), per API " +
			"(PUT /__standin/apis/API/scenario) or from the start (--scenario). A binary built with " +
			"go build ./cmd/mockserver takes the same flags.",
		Groups: config.FlagGroups(),
		Examples: []cmdline.Example{
			{Command: "go run ./cmd/mockserver", Does: "every bundled API on http://127.0.0.1:8080"},
			{Command: "go run ./cmd/mockserver --addr 127.0.0.1:0 --seed 7", Does: "a free port, and other (still deterministic) data"},
			{Command: "go run ./cmd/mockserver --scenario admin=no-clients --scenario clients-v0=rate-limited", Does: "two APIs in a documented error case from the start"},
			{Command: "go run ./cmd/mockserver --spec internal/rest/testdata/books/openapi.yaml", Does: "your own OpenAPI document beside the bundled APIs, its collections inferred"},
			{Command: "go run ./cmd/mockserver --apis-dir internal/rest/testdata --log-format json", Does: "a folder of api.yaml-based APIs, and JSON logs"},
			{Command: "go run ./cmd/mockserver --config docs/standin.example.yaml", Does: "the settings of a configuration file (flags and STANDIN_* still win)"},
			{Command: "STANDIN_ADDR=0.0.0.0:8080 go run ./cmd/mockserver --admin-token s3cret", Does: "every interface; the control API then needs Authorization: Bearer s3cret"},
		},
		Notes: "Every flag is also read from the environment variable STANDIN_<FLAG> (STANDIN_ADDR, STANDIN_JOURNAL_SIZE, …). " +
			"Precedence: defaults, then the --config file, then the environment, then flags.\n\n" +
			"Exit status: 0 after a clean shutdown (and for --help, --version); 1 when it cannot serve (the port is taken, " +
			"shared state unreachable); 2 for bad usage or a bad file (a flag, the configuration, a spec, manifest, " +
			"fixture or scenario), with the file's place as FILE:LINE:COLUMN.",
	}
}
