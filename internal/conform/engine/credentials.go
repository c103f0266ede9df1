package engine

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/kit"
)

// checkCredentials holds the configured credentials to the contracts
// they are for: a secret named after a security scheme that no API of
// the run declares is a mistake (a typo would silently send nothing),
// and an API whose contract requires credentials on an operation, run
// with none at all, would only fail each check with 401; both are usage
// errors that say what to give.
func checkCredentials(apis []*kit.API) error {
	declared := map[string]bool{}
	for _, a := range apis {
		for _, s := range a.OpenAPISchemes() {
			declared[s.Name] = true
		}
	}
	for _, a := range apis {
		for _, name := range slices.Sorted(maps.Keys(a.Conf.Credentials)) {
			// an SDL declares no schemes: a GraphQL-only API's
			// credentials are not held to any
			if a.OpenAPI != nil && !declared[name] {
				return fmt.Errorf("%w: API %s: credential %q names no security scheme of the contract (it declares %s)",
					conform.ErrUsage, a.Name, name, schemeList(a))
			}
		}
		if a.HasCredentials() || a.OpenAPI == nil {
			continue
		}
		for _, o := range a.Operations() {
			if !a.Security(o).Required() {
				continue
			}
			_, why := a.CredentialsFor(o)
			return fmt.Errorf("%w: API %s: %s", conform.ErrUsage, a.Name, why)
		}
	}
	return nil
}

// schemeList names the security schemes an API's contract declares.
func schemeList(a *kit.API) string {
	var names []string
	for _, s := range a.OpenAPISchemes() {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
