package model

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/standin/standin/internal/contract"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/sdl"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// This file is the only place the model reads contract documents, through
// the contract layer (internal/contract): the mock and the suite read every
// contract with the same loader settings, folder confinement and
// diagnostics.

// DefaultGraphQLPath is where the GraphQL endpoint of an API is asked
// when no hint names another path.
const DefaultGraphQLPath = "/graphql"

// LoadBundled loads the contracts of the bundled APIs (specs/<api>/, as
// their manifests name them) whose names are in want, sorted by name,
// with the manifests' hints.
func LoadBundled(want map[string]bool) ([]*API, error) {
	all, err := manifest.LoadAll(specs.FS)
	if err != nil {
		return nil, err
	}
	opts := source.Options{Dir: "specs"}
	var out []*API
	for _, m := range all {
		if !want[m.Name] {
			continue
		}
		a := &API{Name: m.Name, Hints: HintsFromManifest(m)}
		if m.REST != nil {
			doc, _, err := openapi.Load(specs.FS, path.Join(m.Dir, m.REST.Spec), opts)
			if err != nil {
				return nil, err
			}
			a.OpenAPI = doc
		}
		if m.GraphQL != nil {
			schema, _, err := sdl.Load(specs.FS, path.Join(m.Dir, m.GraphQL.Schema), opts)
			if err != nil {
				return nil, err
			}
			a.Schema, a.SchemaFile = schema, m.GraphQL.Schema
		}
		out = append(out, a)
	}
	return out, nil
}

// LoadFile loads the contract of an API that is not bundled from its file
// (--spec, or spec: in conform.yaml): an OpenAPI 3.0/3.1 document (YAML
// or JSON), a Swagger 2.0 one (converted with kin-openapi's openapi2conv,
// with a warning) or a GraphQL SDL, told apart by their content (the
// contract layer's Detect). Its $refs may name files in its own folder.
// It has no hints, so only the generic checks have cases. Every error is
// the user's file's, with its place.
func LoadFile(name, file string) (*API, error) {
	doc, err := contract.LoadFile(file, contract.Options{})
	if err != nil {
		return nil, fmt.Errorf("spec of %s: %w", name, err)
	}
	a := &API{Name: name, OpenAPI: doc.OpenAPI}
	if doc.SDL != nil {
		a.Schema, a.SchemaFile = doc.SDL, filepath.Base(file)
	}
	for _, w := range doc.Warnings {
		if w.Code == diag.CodeConverted {
			a.Warnings = append(a.Warnings, fmt.Sprintf("%s is a Swagger 2.0 document: checked against its OpenAPI 3.0 conversion (kin-openapi's openapi2conv); convert it to OpenAPI 3 to have it checked exactly as written", file))
			continue
		}
		a.Warnings = append(a.Warnings, w.String())
	}
	return a, nil
}
