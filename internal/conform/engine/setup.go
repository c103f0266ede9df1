package engine

import (
	"fmt"
	"time"

	"github.com/standin/standin/internal/conform/kit"
)

// Setup runs the setup hook of every API that has one (setup: in
// conform.yaml), once, before the checks: it seeds the data they read. A
// failed hook is an error naming the API.
func Setup(e *kit.Env) error {
	for _, a := range e.APIs {
		if a.Conf.Setup == nil {
			continue
		}
		if err := a.Conf.Setup.Run(e.Client, time.Duration(e.Config.Timeout)); err != nil {
			return fmt.Errorf("API %s: setup: %w", a.Name, err)
		}
	}
	return nil
}
