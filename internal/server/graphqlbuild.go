package server

// Building an API's GraphQL handler from its SDL and bindings.

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/gqlhttp"
	"github.com/standin/standin/internal/graphql/lenient"
	"github.com/standin/standin/internal/manifest"
)

// DefaultQueryTimeout bounds one GraphQL request when the manifest does not.
const DefaultQueryTimeout = 10 * time.Second

// buildGraphQL returns the API's GraphQL handler and the gqlhttp.Handler
// inside it, whose Read the scenario stage shares.
func (s *Server) buildGraphQL(a *manifest.API, opts Options, large *largeSets) (*gqlhttp.Handler, http.Handler, error) {
	schema, _, err := opts.docs.SDL(opts.Specs, path.Join(a.Dir, a.GraphQL.Schema), opts.files.options())
	if err != nil {
		return nil, nil, err
	}
	binder, err := gqlbind.New(a, schema, s.store, gqlbind.Options{Large: large.get})
	if err != nil {
		return nil, nil, err
	}
	timeout := time.Duration(a.GraphQL.QueryTimeout)
	if timeout <= 0 {
		timeout = DefaultQueryTimeout
	}
	var repair func(*ast.Schema, string) (*ast.QueryDocument, []string)
	if !s.cfg.StrictGraphQL {
		repair = lenient.RepairSource
	}
	var status func(*http.Request, *exec.Response, int) int
	if s.cfg.State != "" {
		status = unavailableStatus
	}
	h, err := gqlhttp.New(gqlhttp.Config{
		Status:       status,
		Schema:       schema,
		Repair:       repair,
		MaxBodyBytes: s.cfg.MaxBodyBytes,
		Timeout:      timeout,
		Prepare: func(r *http.Request, _ *gqlhttp.Params) (exec.Resolver, any, error) {
			return binder, map[string]any{}, nil
		},
		OnPanic: func(_ context.Context, f exec.FieldContext, recovered any, _ []byte) {
			s.log.Error("panic resolving field", "api", a.Name, "field", f.ParentType+"."+f.Name, "panic", fmt.Sprint(recovered))
		},
	})
	if err != nil {
		return nil, nil, err
	}
	if s.cfg.State == "" {
		return h, h, nil
	}
	return h, retryAfterOn503(h), nil
}
