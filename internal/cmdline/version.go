package cmdline

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Version is what --version prints for the command name: the module's
// version, the VCS revision and its commit time, and the Go toolchain, as
// the binary's build information (debug.ReadBuildInfo) records them.
//
// What is recorded depends on how the binary was built: go build and go
// install in a git checkout record the revision, its time and whether the
// tree had changes (and, since Go 1.24, a version derived from them); go
// run, go test and builds with -buildvcs=false record none of it, and the
// module version is then "(devel)". Go records no build time: the commit
// time stands for it (builds are reproducible).
func Version(name string) string {
	info, ok := debug.ReadBuildInfo()
	return version(name, info, ok)
}

func version(name string, info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return name + " (unknown version: the binary carries no build information)\n"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", name, v)
	module := info.Main.Path
	if module == "" {
		module = info.Path
	}
	note := ""
	if v == "(devel)" {
		note = " (built from a source tree, not a released version)"
	}
	fmt.Fprintf(&b, "  module:   %s %s%s\n", module, v, note)
	if rev := settings["vcs.revision"]; rev != "" {
		modified := ""
		if settings["vcs.modified"] == "true" {
			modified = " (modified: the tree had uncommitted changes)"
		}
		fmt.Fprintf(&b, "  revision: %s%s\n", rev, modified)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "  time:     %s (the revision's commit time; Go records no build time)\n", t)
		}
	} else {
		fmt.Fprintf(&b, "  revision: unknown (go run, go test and -buildvcs=false builds record none; go build -buildvcs=true in a git checkout does)\n")
	}
	goos, goarch := settings["GOOS"], settings["GOARCH"]
	platform := ""
	if goos != "" && goarch != "" {
		platform = " " + goos + "/" + goarch
	}
	fmt.Fprintf(&b, "  go:       %s%s\n", info.GoVersion, platform)
	return b.String()
}
