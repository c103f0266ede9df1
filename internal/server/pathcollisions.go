package server

// Two APIs serving one path: refused at start-up.

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var paramSegment = regexp.MustCompile(`\{[^}]*\}`)

// checkPaths refuses two APIs serving the same path: the same template
// once parameters are unnamed (/pets/{id} is /pets/{petId}), whatever the
// methods. The error names both APIs and both templates.
func checkPaths(apis []*apiRuntime) error {
	type owner struct{ api, path string }
	seen := map[string]owner{}
	var errs []error
	for _, a := range apis {
		mine := map[string]bool{}
		for _, mp := range a.paths {
			_, p, _ := strings.Cut(mp, " ")
			key := paramSegment.ReplaceAllString(p, "{}")
			if mine[key] {
				continue
			}
			mine[key] = true
			if o, ok := seen[key]; ok && o.api != a.m.Name {
				errs = append(errs, fmt.Errorf("path %s of API %s collides with path %s of API %s: mount one under a prefix (apis.%s.prefix in the config) or turn one off", p, a.m.Name, o.path, o.api, a.m.Name))
				continue
			}
			seen[key] = owner{a.m.Name, p}
		}
	}
	return errors.Join(errs...)
}
