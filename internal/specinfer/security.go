package specinfer

// Security: the document's security schemes as the manifest's auth.

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/manifest"
)

// inferAuth maps the document's security schemes to the manifest's auth.
func inferAuth(doc *openapi3.T, warn warnFunc) manifest.Auth {
	var reqs []openapi3.SecurityRequirement
	reqs = append(reqs, doc.Security...)
	open := false
	for _, p := range doc.Paths.Map() {
		for _, o := range p.Operations() {
			if o.Security != nil {
				if len(*o.Security) == 0 {
					open = true
				}
				reqs = append(reqs, *o.Security...)
			}
		}
	}
	names := map[string]bool{}
	for _, r := range reqs {
		for n := range r {
			names[n] = true
		}
	}
	if len(names) == 0 {
		return manifest.Auth{None: true}
	}
	if open {
		warn(CodeSecurity, "some operations declare no security: the mock authenticates every operation of the API alike")
	}
	var a manifest.Auth
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		var ss *openapi3.SecurityScheme
		if doc.Components != nil {
			if ref := doc.Components.SecuritySchemes[n]; ref != nil {
				ss = ref.Value
			}
		}
		if ss == nil {
			warn(CodeSecurity, "security scheme %q is not defined under components.securitySchemes", n)
			continue
		}
		switch {
		case ss.Type == "http" && strings.EqualFold(ss.Scheme, "bearer"), ss.Type == "oauth2", ss.Type == "openIdConnect":
			a.Bearer = true
		case ss.Type == "apiKey" && ss.In == "header":
			if a.APIKeyHeader == "" {
				a.APIKeyHeader = ss.Name
			} else if !strings.EqualFold(a.APIKeyHeader, ss.Name) {
				warn(CodeSecurity, "security scheme %q: only one API key header is served (%s); %s is not", n, a.APIKeyHeader, ss.Name)
			}
		default:
			warn(CodeSecurity, "security scheme %q (%s %s%s) is not served: the mock takes bearer tokens and API keys in a header", n, ss.Type, ss.Scheme, ss.In)
		}
	}
	if !a.Bearer && a.APIKeyHeader == "" {
		warn(CodeSecurity, "no security scheme the mock serves: the API takes bearer tokens")
		a.Bearer = true
	}
	return a
}
