package specinfer

// Security: each operation is authenticated as the document's security
// requirements say (manifest auth.fromSpec); the REST engine compiles
// them per operation and warns about the schemes it cannot check.

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/manifest"
)

// inferAuth is the manifest's auth for a document: per operation from the
// document, and none at all when no operation asks for any.
func inferAuth(doc *openapi3.T) manifest.Auth {
	secured := len(doc.Security) > 0
	if doc.Paths != nil {
		for _, p := range doc.Paths.Map() {
			for _, o := range p.Operations() {
				if o.Security != nil && len(*o.Security) > 0 {
					secured = true
				}
			}
		}
	}
	return manifest.Auth{FromSpec: true, None: !secured}
}
