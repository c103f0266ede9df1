// Package checks lists the conformance checks: every method of the REST
// and GraphQL catalogs (packages rest and graphql, one check per file).
// Adding a check is adding a file with one method of a Catalog; its kit
// Check says its name, protocol, phase and cases, and the engine's
// registry orders the run.
package checks

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/standin/standin/internal/conform/checks/graphql"
	"github.com/standin/standin/internal/conform/checks/rest"
	"github.com/standin/standin/internal/conform/kit"
)

// catalogs are the values whose methods are the checks.
func catalogs() []any { return []any{rest.Catalog{}, graphql.Catalog{}} }

// All returns every check of the catalogs, each catalog's in method name
// order (the engine's registry sets the run order). A method of another
// shape is left out; TestCatalogs fails on it.
func All() []kit.Check {
	var out []kit.Check
	for _, c := range catalogs() {
		checks, _ := methods(c)
		out = append(out, checks...)
	}
	return out
}

// methods calls every method of a catalog that takes nothing and returns
// one kit.Check, and names every other method in the error.
func methods(catalog any) ([]kit.Check, error) {
	v := reflect.ValueOf(catalog)
	want := reflect.TypeFor[kit.Check]()
	var out []kit.Check
	var errs []error
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		if m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0) != want {
			errs = append(errs, fmt.Errorf("%s.%s: a catalog method takes nothing and returns one kit.Check, it is %s", v.Type(), m.Name, m.Type))
			continue
		}
		out = append(out, v.Method(i).Call(nil)[0].Interface().(kit.Check))
	}
	return out, errors.Join(errs...)
}
