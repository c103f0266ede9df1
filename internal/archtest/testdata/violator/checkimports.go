// Package violator is a check that imports the conform engine, which the
// checks-import rule must catch when it is checked as a package under
// internal/conform/checks.
package violator

import (
	_ "github.com/standin/standin/internal/conform/engine"
	_ "github.com/standin/standin/internal/conform/kit"
)
