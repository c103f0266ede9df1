package server

// Scenarios read again (--watch) and sticky choices kept over a rebuild.

import (
	"fmt"
	"io/fs"

	"github.com/standin/standin/internal/scenario"
)

// ReloadScenarios reads the scenarios of fsys again and puts them in place
// of the running ones, keeping sticky choices whose scenario still exists.
// On any error the running scenarios stay as they were.
func (s *Server) ReloadScenarios(fsys fs.FS) error {
	next, err := scenario.Load(overlay(fsys, s.scenarioMounts))
	if err != nil {
		return err
	}
	for _, api := range s.registry.Replace(next) {
		s.log.Warn("sticky scenario cleared: its file is gone", "api", api)
	}
	return nil
}

// AdoptSticky makes the sticky scenarios of old (the server this one
// replaces) sticky here too, where they still exist.
func (s *Server) AdoptSticky(old *Server) {
	for _, a := range old.apis {
		name := old.registry.Sticky(a.m.Name)
		if name == "" {
			continue
		}
		if err := s.registry.SetSticky(a.m.Name, name); err != nil {
			s.log.Warn("sticky scenario not kept after reload", "api", a.m.Name, "scenario", name, "err", fmt.Sprint(err))
		}
	}
}
