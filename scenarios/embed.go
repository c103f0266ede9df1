// Package scenarios holds the bundled scenario files, one per named behaviour
// of an API, at <api>/<name>.yaml. README.md describes the format; package
// internal/scenario reads them.
package scenarios

import "embed"

// FS holds every <api>/<name>.yaml; pass it to scenario.Load.
//
//go:embed */*.yaml
var FS embed.FS
