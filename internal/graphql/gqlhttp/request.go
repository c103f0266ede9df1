package gqlhttp

import (
	"context"
	"fmt"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/standin/standin/internal/graphql/exec"
)

// Request is one HTTP request as the Handler reads it before execution:
// the method and Accept header checked, the parameters read from the URL
// or the body, and the document looked up in (or parsed and validated
// into) the handler's cache, its operation selected. Read makes it once;
// a host that needs to know what a request asks for before serving it
// (RootFields) passes it on with NewContext, and ServeHTTP then neither
// reads the body nor looks the document up again.
type Request struct {
	h *Handler
	// fail, when set, is the answer: status, and plain for a
	// protocol-level error (405, 406, 413, 415) in application/json.
	fail   *exec.Response
	status int
	plain  bool
	allow  string

	media        string
	requestError int
	params       *Params
	cd           *cachedDoc
	op           *ast.OperationDefinition
}

type requestKey struct{}

// NewContext returns ctx carrying q, for the ServeHTTP of q's Handler.
func NewContext(ctx context.Context, q *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, q)
}

// ReadContext returns the Read of r that ctx carries for h, or reads r and
// returns ctx carrying the result, so that however many stages ask, r is
// read once.
func (h *Handler) ReadContext(ctx context.Context, w http.ResponseWriter, r *http.Request) (*Request, context.Context) {
	if q := h.Known(ctx); q != nil {
		return q, ctx
	}
	q := h.Read(w, r)
	return q, NewContext(ctx, q)
}

// Known returns the Request h already read for the request of ctx
// (ReadContext put it there), or nil when h has not read it.
func (h *Handler) Known(ctx context.Context) *Request {
	if q, ok := ctx.Value(requestKey{}).(*Request); ok && q.h == h {
		return q
	}
	return nil
}

// Params returns the request's parameters, or nil when the handler
// refuses the request before execution.
func (q *Request) Params() *Params {
	if q.fail != nil {
		return nil
	}
	return q.params
}

// Operation returns the kind of the operation the request runs (query,
// mutation, subscription), or "" when the handler refuses the request
// before execution.
func (q *Request) Operation() ast.Operation {
	if q.op == nil {
		return ""
	}
	return q.op.Operation
}

// Read reads r the way ServeHTTP does up to execution, with the same
// media-type, size and document rules (a request Read refuses is one
// ServeHTTP answers with that error). It consumes r's body.
func (h *Handler) Read(w http.ResponseWriter, r *http.Request) *Request {
	q := &Request{h: h}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		q.allow = "GET, POST"
		return q.refuse(http.StatusMethodNotAllowed, true, gqlErr(exec.CodeBadRequest, "Only GET and POST are supported."))
	}
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		return q.refuse(http.StatusNotAcceptable, true, gqlErr(exec.CodeBadRequest, "The Accept header accepts neither application/graphql-response+json nor application/json."))
	}
	q.media = media
	params, status, perr := h.readParams(w, r)
	if perr != nil {
		return q.refuse(status, status != http.StatusBadRequest, perr)
	}
	q.params = params
	q.requestError = http.StatusOK
	if media == MediaTypeGraphQLResponse {
		q.requestError = http.StatusBadRequest
	}
	if h.lim.MaxDocumentBytes > 0 && len(params.Query) > h.lim.MaxDocumentBytes {
		return q.refuse(q.requestError, false, gqlErr(exec.CodeTooLarge,
			fmt.Sprintf("Document of %d bytes exceeds the maximum of %d bytes.", len(params.Query), h.lim.MaxDocumentBytes)))
	}
	cd := h.document(params.Query)
	if cd.errs != nil {
		return q.refuse(q.requestError, false, cd.errs...)
	}
	q.cd = cd
	op, oerr := exec.GetOperation(cd.doc, params.OperationName)
	if oerr != nil {
		return q.refuse(q.requestError, false, exec.ToGQLError(oerr, nil, nil))
	}
	if r.Method == http.MethodGet && op.Operation != ast.Query {
		q.allow = "POST"
		return q.refuse(http.StatusMethodNotAllowed, false, gqlErr(exec.CodeBadRequest,
			fmt.Sprintf("Can only perform a %s operation from a POST request.", op.Operation)))
	}
	q.op = op
	return q
}

func (q *Request) refuse(status int, plain bool, errs ...*gqlerror.Error) *Request {
	q.fail, q.status, q.plain = exec.RequestError(errs...), status, plain
	return q
}

// RootFields returns the names of the root fields the request's operation
// selects (also through fragments at the root), in document order, once
// per name; none for a request the handler refuses before execution (bad
// method, Accept or media type, no valid document). For a document the
// handler repaired (Config.Repair) they are the repaired document's.
func (q *Request) RootFields() []string {
	if q.op == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	visited := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if !seen[s.Name] {
					seen[s.Name] = true
					out = append(out, s.Name)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if f := q.cd.doc.Fragments.ForName(s.Name); f != nil && !visited[s.Name] {
					visited[s.Name] = true
					walk(f.SelectionSet)
				}
			}
		}
	}
	walk(q.op.SelectionSet)
	return out
}
