package model

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// This file is the only place the model reads contract documents.

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
	var out []*API
	for _, m := range all {
		if !want[m.Name] {
			continue
		}
		a := &API{Name: m.Name, Hints: HintsFromManifest(m)}
		if m.REST != nil {
			data, err := fs.ReadFile(specs.FS, path.Join(m.Dir, m.REST.Spec))
			if err != nil {
				return nil, err
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.REST.Spec, err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				return nil, fmt.Errorf("%s: %w", m.REST.Spec, err)
			}
			a.OpenAPI = doc
		}
		if m.GraphQL != nil {
			file := path.Join(m.Dir, m.GraphQL.Schema)
			data, err := fs.ReadFile(specs.FS, file)
			if err != nil {
				return nil, err
			}
			schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: file, Input: string(data)})
			if gerr != nil {
				return nil, fmt.Errorf("%s: %w", file, gerr)
			}
			a.Schema, a.SchemaFile = schema, m.GraphQL.Schema
		}
		out = append(out, a)
	}
	return out, nil
}

// LoadFile loads the contract of an API that is not bundled from its file
// (--spec, or spec: in conform.yaml): an OpenAPI 3.0/3.1 document (YAML
// or JSON), a Swagger 2.0 one (converted, with a warning) or a GraphQL SDL (.graphql, .graphqls, .gql, or a file that
// does not start like an OpenAPI document). It has no hints, so only the
// generic checks have cases. Every error is the user's file's.
func LoadFile(name, file string) (*API, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("spec of %s: %v", name, err)
	}
	a := &API{Name: name}
	if IsSDL(file, data) {
		schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: file, Input: string(data)})
		if gerr != nil {
			return nil, fmt.Errorf("%s: %v", file, gerr)
		}
		a.Schema, a.SchemaFile = schema, filepath.Base(file)
		return a, nil
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	var doc *openapi3.T
	if IsSwagger2(data) {
		doc, err = convertSwagger2(loader, file, data)
		a.Warnings = append(a.Warnings, fmt.Sprintf("%s is a Swagger 2.0 document: checked against its OpenAPI 3.0 conversion (kin-openapi's openapi2conv); convert it to OpenAPI 3 to have it checked exactly as written", file))
	} else {
		doc, err = loader.LoadFromFile(file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	a.OpenAPI = doc
	return a, nil
}

// IsSDL tells a GraphQL SDL from an OpenAPI (or Swagger) document.
func IsSDL(file string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".graphql", ".graphqls", ".gql":
		return true
	case ".yaml", ".yml", ".json":
		return false
	}
	s := string(data)
	return !strings.Contains(s, "openapi:") && !strings.Contains(s, `"openapi"`) && !IsSwagger2(data)
}

// swagger2Key finds a document's swagger: "2.0" (YAML or JSON, at the
// start of a line or after a brace or comma).
var swagger2Key = regexp.MustCompile(`(?m)(?:^|[{,]\s*)["']?swagger["']?\s*:\s*["']?2\.0`)

// IsSwagger2 reports whether a document is Swagger 2.0 (swagger: "2.0").
func IsSwagger2(data []byte) bool { return swagger2Key.Match(data) }

// convertSwagger2 reads a Swagger 2.0 document (YAML or JSON) and
// converts it to OpenAPI 3.0 with kin-openapi's openapi2conv: definitions
// become components.schemas, body and formData parameters request
// bodies, securityDefinitions security schemes.
func convertSwagger2(loader *openapi3.Loader, file string, data []byte) (*openapi3.T, error) {
	var doc2 openapi2.T
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		if err := json.Unmarshal(data, &doc2); err != nil {
			return nil, err
		}
	} else if _, err := yaml.Unmarshal(data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	doc, err := openapi2conv.ToV3WithLoader(&doc2, loader, &url.URL{Path: abs})
	if err != nil {
		return nil, err
	}
	if doc.Paths == nil { // "paths: {}" converts to none; OpenAPI 3 wants an object
		doc.Paths = openapi3.NewPaths()
	}
	return doc, nil
}
