package rest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
)

// Security per operation, for APIs whose manifest says auth.fromSpec: each
// operation's security requirements (its own, else the document's) are
// compiled into an auth.Policy that the server's auth stage decides.

// securitySchemes compiles the document's security schemes once per
// engine, with the credentials the configuration pins.
type securitySchemes struct {
	e       *Engine
	schemes map[string]*auth.Scheme // nil: a scheme that is not checked
	seen    map[string]bool
}

// scheme is the compiled scheme of name; nil when it cannot be checked
// (undefined, mutualTLS), with a warning the first time.
func (ss *securitySchemes) scheme(name string) *auth.Scheme {
	if s, ok := ss.schemes[name]; ok {
		return s
	}
	var ref *openapi3.SecuritySchemeRef
	if c := ss.e.doc.Components; c != nil {
		ref = c.SecuritySchemes[name]
	}
	var s *auth.Scheme
	switch {
	case ref == nil || ref.Value == nil:
		ss.warn(jsonptr.Format("components", "securitySchemes"), "security scheme %q is not defined under components.securitySchemes: requirements naming it are met without it", name)
	default:
		v := ref.Value
		switch strings.ToLower(v.Type) {
		case "apikey":
			in := strings.ToLower(v.In)
			if (in == "header" || in == "query" || in == "cookie") && v.Name != "" {
				s = &auth.Scheme{Name: name, Kind: auth.APIKey, In: in, Param: v.Name}
			} else {
				ss.warn(jsonptr.Format("components", "securitySchemes", name), "security scheme %q: an apiKey needs in (header, query or cookie) and name; requirements naming it are met without it", name)
			}
		case "http":
			switch scheme := strings.ToLower(v.Scheme); scheme {
			case "basic":
				s = &auth.Scheme{Name: name, Kind: auth.Basic}
			case "bearer":
				s = &auth.Scheme{Name: name, Kind: auth.Bearer}
			case "":
				ss.warn(jsonptr.Format("components", "securitySchemes", name), "security scheme %q: http without a scheme; requirements naming it are met without it", name)
			default:
				s = &auth.Scheme{Name: name, Kind: auth.HTTP, HTTPScheme: v.Scheme}
			}
		case "oauth2", "openidconnect":
			s = &auth.Scheme{Name: name, Kind: auth.Bearer}
		default:
			ss.warn(jsonptr.Format("components", "securitySchemes", name), "security scheme %q (%s) is not checked: a mock on plain HTTP cannot; requirements naming it are met without it", name, v.Type)
		}
	}
	if s != nil {
		s.Pinned = ss.e.opts.Credentials[name]
	}
	ss.schemes[name] = s
	return s
}

func (ss *securitySchemes) warn(ptr, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if ss.seen[msg] {
		return
	}
	ss.seen[msg] = true
	ss.e.warnings = append(ss.e.warnings, diag.Diagnostic{Code: diag.CodeNotServed, Severity: diag.Warning, Pointer: ptr, Message: msg})
}

// policy compiles an operation's security: its own requirements when it
// declares any (an empty list: open), else the document's.
func (ss *securitySchemes) policy(o *openapi3.Operation) *auth.Policy {
	reqs := ss.e.doc.Security
	if o.Security != nil {
		reqs = *o.Security
	}
	if len(reqs) == 0 {
		return nil
	}
	p := &auth.Policy{}
	for _, r := range reqs {
		names := make([]string, 0, len(r))
		for n := range r {
			names = append(names, n)
		}
		slices.Sort(names)
		req := auth.Requirement{}
		for _, n := range names {
			if s := ss.scheme(n); s != nil {
				req = append(req, s)
			}
		}
		p.Alternatives = append(p.Alternatives, req)
	}
	return p
}

// pinnedUnknown warns about the configuration's credentials for schemes
// the document does not define.
func (ss *securitySchemes) pinnedUnknown() {
	names := make([]string, 0, len(ss.e.opts.Credentials))
	for n := range ss.e.opts.Credentials {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if c := ss.e.doc.Components; c == nil || c.SecuritySchemes[n] == nil {
			ss.warn(jsonptr.Format("components", "securitySchemes"), "the configuration pins a credential for security scheme %q, which the document does not define", n)
		}
	}
}
