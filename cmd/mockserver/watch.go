package main

import (
	"log/slog"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/reload"
	"github.com/standin/standin/internal/server"
	"github.com/standin/standin/internal/startup"
	"github.com/standin/standin/internal/usererr"
)

// watch starts reloading the folders on disk of cfg and its --spec files
// (--watch) into the server behind gate; each server a rebuild replaces is
// closed. It returns a stop function, which also closes the last rebuilt
// server; with nothing on disk it says so and watches nothing.
func watch(cfg config.Config, logger *slog.Logger, gate *startup.Gate, srv *server.Server) (func(), error) {
	var dirs []reload.Dir
	for _, d := range []reload.Dir{{Kind: reload.Specs, Path: cfg.SpecsDir}, {Kind: reload.Fixtures, Path: cfg.FixturesDir}, {Kind: reload.Scenarios, Path: cfg.ScenariosDir}} {
		if d.Path != "" {
			dirs = append(dirs, d)
		}
	}
	for _, v := range cfg.Specs {
		_, file := config.SplitSpec(v)
		dirs = append(dirs, reload.Dir{Kind: reload.Spec, Path: file})
	}
	if len(dirs) == 0 {
		logger.Warn("--watch: nothing to watch: the bundled files are built in; serve a contract with --spec, or set specsDir, fixturesDir or scenariosDir in the config to serve folders on disk")
		return func() {}, nil
	}
	cur := srv // only the watcher's goroutine changes it
	w, err := reload.Watch(reload.Options{
		Dirs:   dirs,
		Logger: logger,
		Scenarios: func() error {
			if cfg.ScenariosDir == "" {
				return nil
			}
			// usererr.DirFS: errors name the files by their paths on disk
			return cur.ReloadScenarios(usererr.DirFS(cfg.ScenariosDir))
		},
		All: func() error {
			next, err := server.New(cfg, server.Options{Logger: logger, Metrics: cur.Metrics(), Journal: cur.Journal()})
			if err != nil {
				return err
			}
			next.AdoptSticky(cur)
			gate.Ready(next)
			// the replaced server's shared state (--state) would
			// otherwise keep following Redis for good
			if err := cur.Close(); err != nil {
				logger.Warn("--watch: closing the replaced server's shared state", "err", err)
			}
			cur = next
			return nil
		},
		Observed: func(kind string, files []string, err error) {
			cur.Metrics().Reloaded(kind, files, err, time.Now())
		},
	})
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if d.Kind == reload.Spec {
			logger.Info("watching for changes", "kind", d.Kind, "file", d.Path)
			continue
		}
		logger.Info("watching for changes", "kind", d.Kind, "dir", d.Path)
	}
	return func() {
		_ = w.Close()
		if cur != srv { // the first server is closed by its owner
			_ = cur.Close()
		}
	}, nil
}
