package openapi

import (
	"bytes"
	"encoding/json"
	"net/url"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/standin/standin/internal/contract/diag"
)

// convert reads a Swagger 2.0 document and converts it to OpenAPI 3.0
// with openapi2conv (definitions become components.schemas, body and
// formData parameters request bodies, securityDefinitions security
// schemes, host and basePath servers), with a warning saying so.
func (l *loading) convert(loader *openapi3.Loader, data []byte) (*openapi3.T, error) {
	var doc2 openapi2.T
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		if err := json.Unmarshal(data, &doc2); err != nil {
			return nil, err
		}
	} else if _, err := yaml.Unmarshal(data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
		return nil, err
	}
	inheritProduces(&doc2)
	doc, err := openapi2conv.ToV3WithLoader(&doc2, loader, &url.URL{Path: l.file})
	if err != nil {
		return nil, err
	}
	if doc.Paths == nil { // "paths: {}" converts to none; OpenAPI 3 wants an object
		doc.Paths = openapi3.NewPaths()
	}
	l.add(diag.Diagnostic{Code: diag.CodeConverted, Severity: diag.Warning, File: l.file,
		Message: "a Swagger 2.0 document: served as its OpenAPI 3.0 conversion (kin-openapi's openapi2conv), without line numbers",
		Fix:     "convert it to OpenAPI 3 to have it served exactly as written"})
	return doc, nil
}

// inheritProduces gives each operation without its own "produces" the
// document's, as Swagger 2.0 says it inherits them: openapi2conv reads
// only the operation's and answers application/json for every other one,
// which turns a server that produces only a vendor type (go-swagger's
// examples) into a contract it never meets.
func inheritProduces(doc *openapi2.T) {
	if len(doc.Produces) == 0 {
		return
	}
	for _, item := range doc.Paths {
		if item == nil {
			continue
		}
		for _, op := range item.Operations() {
			if op != nil && len(op.Produces) == 0 {
				op.Produces = doc.Produces
			}
		}
	}
}
