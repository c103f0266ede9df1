package exec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options configures an Executor.
type Options struct {
	// Limits are checked before executing an operation. The zero value
	// disables every limit; use DefaultLimits.
	Limits Limits
	// OnPanic, when set, is called with the recovered value and the stack
	// when a resolver panics. The panic becomes a field error with code
	// INTERNAL_SERVER_ERROR whose message does not include the value.
	OnPanic func(ctx context.Context, f FieldContext, recovered any, stack []byte)
}

// Executor executes operations against one schema. It is immutable after
// New and safe for concurrent use.
type Executor struct {
	schema     *ast.Schema
	opts       Options
	enums      map[string]map[string]struct{}
	typeNames  []string
	directives []*ast.DirectiveDefinition
	// introBound is the introspection cost bound of the limits for the
	// schema (0: none), computed once.
	introBound int
}

// New returns an Executor for schema, which must have been loaded by
// gqlparser (gqlparser.LoadSchema) so that it contains the prelude.
func New(schema *ast.Schema, opts Options) *Executor {
	e := &Executor{schema: schema, opts: opts, enums: map[string]map[string]struct{}{}}
	for name, def := range schema.Types {
		e.typeNames = append(e.typeNames, name)
		if def.Kind == ast.Enum {
			set := make(map[string]struct{}, len(def.EnumValues))
			for _, v := range def.EnumValues {
				set[v.Name] = struct{}{}
			}
			e.enums[name] = set
		}
	}
	sort.Strings(e.typeNames)
	for _, d := range schema.Directives {
		if d.Name == "defer" && d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue // incremental delivery is not implemented: do not advertise it
		}
		e.directives = append(e.directives, d)
	}
	sort.Slice(e.directives, func(i, j int) bool { return e.directives[i].Name < e.directives[j].Name })
	e.introBound = introBound(schema, opts.Limits)
	return e
}

// Schema returns the executor's schema.
func (e *Executor) Schema() *ast.Schema { return e.schema }

// Limits returns the configured limits.
func (e *Executor) Limits() Limits { return e.opts.Limits }

// Request is one execution request.
type Request struct {
	// Document must have been parsed and validated against the executor's
	// schema by gqlparser. It is only read, so a cached document may be
	// executed concurrently.
	Document      *ast.QueryDocument
	OperationName string
	// Variables are the raw variable values as decoded from JSON.
	Variables map[string]any
	// Root is the value passed as FieldContext.Parent to root fields.
	Root any
	// Resolver resolves fields; nil resolves every field with the default
	// resolver (parent map lookup).
	Resolver Resolver
	// Plans, when non-nil, must have been created for Document; it caches
	// field collection across executions (see PlanCache).
	Plans *PlanCache
	// Buffer, when non-nil, is reused for Response.Data (the data is
	// appended to Buffer[:0]), so a caller can pool output buffers.
	Buffer []byte
}

// Response is the result of an execution. It encodes to the GraphQL
// response JSON: {"errors":[...],"data":...,"extensions":{...}} with
// absent members omitted.
type Response struct {
	// Errors are the request or field errors, in the order they occurred.
	Errors gqlerror.List
	// Data is the JSON of the data entry; nil when execution did not start
	// (request error), "null" when a null propagated to the root.
	Data json.RawMessage
	// Extensions are optional response extensions.
	Extensions map[string]any
	// Operation is the executed operation kind ("query", "mutation"), or ""
	// when no operation was selected.
	Operation ast.Operation
}

// HasData reports whether the response has a data entry, i.e. whether
// execution started.
func (r *Response) HasData() bool { return r.Data != nil }

// MarshalJSON encodes the response.
func (r Response) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, len(r.Data)+64))
}

// AppendJSON appends the response JSON to b.
func (r *Response) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	sep := false
	if len(r.Errors) > 0 {
		enc, err := json.Marshal(r.Errors)
		if err != nil {
			return b, err
		}
		b = append(b, `"errors":`...)
		b = append(b, enc...)
		sep = true
	}
	if r.Data != nil {
		if sep {
			b = append(b, ',')
		}
		b = append(b, `"data":`...)
		b = append(b, r.Data...)
		sep = true
	}
	if len(r.Extensions) > 0 {
		enc, err := json.Marshal(r.Extensions)
		if err != nil {
			return b, err
		}
		if sep {
			b = append(b, ',')
		}
		b = append(b, `"extensions":`...)
		b = append(b, enc...)
	}
	return append(b, '}'), nil
}

// RequestError returns a response with only errors (no data entry).
func RequestError(errs ...*gqlerror.Error) *Response {
	return &Response{Errors: errs}
}

// Execute runs req. It never panics: an internal failure becomes an
// INTERNAL_SERVER_ERROR error.
func (e *Executor) Execute(ctx context.Context, req Request) (resp *Response) {
	defer func() {
		if r := recover(); r != nil {
			resp = RequestError(newGQLError(CodeInternal, "internal error during execution", nil, nil))
		}
	}()
	op, oerr := GetOperation(req.Document, req.OperationName)
	if oerr != nil {
		return RequestError(ToGQLError(oerr, nil, nil))
	}
	root := RootType(e.schema, op)
	if op.Operation == ast.Subscription {
		return &Response{Errors: gqlerror.List{newGQLError(CodeBadRequest, "Subscriptions are not supported by this executor.", op.Position, nil)}, Operation: op.Operation}
	}
	if root == nil {
		return &Response{Errors: gqlerror.List{newGQLError(CodeValidationFailed, fmt.Sprintf("Schema is not configured to execute %s operation.", op.Operation), op.Position, nil)}, Operation: op.Operation}
	}
	vars, verrs := CoerceVariables(e.schema, op, req.Variables)
	if len(verrs) > 0 {
		return &Response{Errors: verrs, Operation: op.Operation}
	}
	// The limits of an operation without variables depend only on the
	// document: a cached document is analysed once.
	shared := req.Plans != nil && req.Plans.doc == req.Document
	if !shared || len(op.VariableDefinitions) > 0 || !req.Plans.withinLimits(e, op) {
		if lerrs := checkLimits(e.schema, req.Document, op, vars, e.opts.Limits, e.introBound); len(lerrs) > 0 {
			return &Response{Errors: lerrs, Operation: op.Operation}
		}
		if shared && len(op.VariableDefinitions) == 0 {
			req.Plans.setWithinLimits(e, op)
		}
	}
	ex := execution{
		e:        e,
		ctx:      ctx,
		done:     ctx.Done(),
		doc:      req.Document,
		vars:     vars,
		resolver: req.Resolver,
		buf:      req.Buffer[:0],
		path:     make([]ast.PathElement, 0, 16),
	}
	if req.Plans != nil && req.Plans.cacheable && req.Plans.doc == req.Document {
		ex.shared = req.Plans
	}
	if ex.buf == nil {
		ex.buf = make([]byte, 0, 1024)
	}
	ex.typeResolver, _ = req.Resolver.(TypeResolver)
	rootKey := planKey{obj: root, op: op}
	plan, ok := ex.cached(rootKey)
	if !ok {
		plan = ex.makePlan(root, CollectFields(e.schema, req.Document, root, op.SelectionSet, vars))
		ex.store(rootKey, plan)
	}
	if !ex.executeFields(root, req.Root, plan) {
		ex.buf = append(ex.buf[:0], "null"...)
	}
	return &Response{Errors: ex.errs, Data: ex.buf, Operation: op.Operation}
}

type fieldKind uint8

const (
	kindNormal fieldKind = iota
	kindTypename
	kindSchema
	kindType
	kindIntrospection
	kindUnknown
)

// plannedField is a CollectedField prepared for one object type.
type plannedField struct {
	kind       fieldKind
	key        string
	keyJSON    []byte
	pathEl     ast.PathElement
	fields     []*ast.Field
	def        *ast.FieldDefinition
	parentType *ast.Definition
	namedType  *ast.Definition
	// constArgs is set when the field's arguments use no variables: args
	// (or argsErr) are then coerced once, when the plan is made.
	constArgs bool
	args      map[string]any
	argsErr   error
}

type planKey struct {
	fields **ast.Field
	obj    *ast.Definition
	op     *ast.OperationDefinition // root plans only
}

type execution struct {
	e            *Executor
	ctx          context.Context
	done         <-chan struct{}
	doc          *ast.QueryDocument
	vars         map[string]any
	resolver     Resolver
	typeResolver TypeResolver
	buf          []byte
	path         []ast.PathElement
	errs         gqlerror.List
	plans        map[planKey][]plannedField
	shared       *PlanCache
	stopped      bool
}

func (ex *execution) makePlan(obj *ast.Definition, groups []CollectedField) []plannedField {
	plan := make([]plannedField, len(groups))
	for i, g := range groups {
		pf := &plan[i]
		pf.key = g.ResponseKey
		pf.keyJSON = append(appendString(make([]byte, 0, len(g.ResponseKey)+3), g.ResponseKey), ':')
		pf.pathEl = ast.PathName(g.ResponseKey)
		pf.fields = g.Fields
		pf.parentType = obj
		name := g.Fields[0].Name
		switch {
		case name == "__typename":
			pf.kind = kindTypename
			continue
		case obj == ex.e.schema.Query && name == "__schema":
			pf.kind = kindSchema
		case obj == ex.e.schema.Query && name == "__type":
			pf.kind = kindType
		case strings.HasPrefix(obj.Name, "__"):
			pf.kind = kindIntrospection
		}
		pf.def = obj.Fields.ForName(name)
		if pf.def == nil {
			switch pf.kind {
			case kindSchema:
				pf.def = &ast.FieldDefinition{Name: name, Type: ast.NonNullNamedType("__Schema", nil)}
			case kindType:
				pf.def = &ast.FieldDefinition{Name: name, Type: ast.NamedType("__Type", nil),
					Arguments: ast.ArgumentDefinitionList{{Name: "name", Type: ast.NonNullNamedType("String", nil)}}}
			default:
				pf.kind = kindUnknown
				continue
			}
		}
		pf.namedType = ex.e.schema.Types[pf.def.Type.Name()]
		if len(pf.def.Arguments) > 0 && !argumentsUseVariables(g.Fields[0].Arguments) {
			pf.constArgs = true
			pf.args, pf.argsErr = coerceArgs(ex.e.schema, pf.def.Arguments, g.Fields[0].Arguments, nil)
		}
	}
	return plan
}

func (ex *execution) cached(key planKey) ([]plannedField, bool) {
	if ex.shared != nil {
		return ex.shared.get(key)
	}
	p, ok := ex.plans[key]
	return p, ok
}

func (ex *execution) store(key planKey, p []plannedField) {
	if ex.shared != nil {
		ex.shared.put(key, p)
		return
	}
	if ex.plans == nil {
		ex.plans = make(map[planKey][]plannedField, 8)
	}
	ex.plans[key] = p
}

func (ex *execution) subPlan(obj *ast.Definition, pf *plannedField) []plannedField {
	key := planKey{fields: &pf.fields[0], obj: obj}
	if p, ok := ex.cached(key); ok {
		return p
	}
	p := ex.makePlan(obj, CollectSubfields(ex.e.schema, ex.doc, obj, pf.fields, ex.vars))
	ex.store(key, p)
	return p
}

func (ex *execution) currentPath() ast.Path {
	p := make(ast.Path, len(ex.path))
	copy(p, ex.path)
	return p
}

func (ex *execution) fieldError(err error, pf *plannedField) {
	ex.errs = append(ex.errs, ToGQLError(err, pf.fields[0].Position, ex.currentPath()))
}

func (ex *execution) fieldErrorf(pf *plannedField, code, format string, args ...any) {
	ex.errs = append(ex.errs, newGQLError(code, fmt.Sprintf(format, args...), pf.fields[0].Position, ex.currentPath()))
}

// executeFields writes the object for plan. It returns false, having
// written nothing, when a non-null field was null (the object is null).
func (ex *execution) executeFields(obj *ast.Definition, value any, plan []plannedField) bool {
	start := len(ex.buf)
	ex.buf = append(ex.buf, '{')
	for i := range plan {
		pf := &plan[i]
		if i > 0 {
			ex.buf = append(ex.buf, ',')
		}
		ex.buf = append(ex.buf, pf.keyJSON...)
		ex.path = append(ex.path, pf.pathEl)
		ok := ex.executeField(obj, value, pf)
		ex.path = ex.path[:len(ex.path)-1]
		if !ok {
			ex.buf = ex.buf[:start]
			return false
		}
	}
	ex.buf = append(ex.buf, '}')
	return true
}

// nullResult writes null for a field of type t that has no value; it
// returns false when t is non-null (the null propagates).
func (ex *execution) nullResult(t *ast.Type) bool {
	if t.NonNull {
		return false
	}
	ex.buf = append(ex.buf, "null"...)
	return true
}

func (ex *execution) executeField(obj *ast.Definition, parent any, pf *plannedField) bool {
	switch pf.kind {
	case kindTypename:
		ex.buf = appendString(ex.buf, obj.Name)
		return true
	case kindUnknown:
		ex.fieldErrorf(pf, CodeValidationFailed, "Cannot query field %q on type %q.", pf.fields[0].Name, obj.Name)
		ex.buf = append(ex.buf, "null"...)
		return true
	}
	t := pf.def.Type
	if ex.stopped {
		return ex.nullResult(t)
	}
	select {
	case <-ex.done:
		ex.stopped = true
		err := ex.ctx.Err()
		code := "CANCELLED"
		if errors.Is(err, context.DeadlineExceeded) {
			code = CodeTimeout
		}
		ex.fieldErrorf(pf, code, "Execution stopped: %v.", err)
		return ex.nullResult(t)
	default:
	}
	var args map[string]any
	if pf.constArgs {
		if pf.argsErr != nil {
			ex.fieldError(&Error{Message: pf.argsErr.Error(), Code: CodeBadUserInput}, pf)
			return ex.nullResult(t)
		}
		args = pf.args
	} else if len(pf.def.Arguments) > 0 {
		var err error
		args, err = coerceArgs(ex.e.schema, pf.def.Arguments, pf.fields[0].Arguments, ex.vars)
		if err != nil {
			ex.fieldError(&Error{Message: err.Error(), Code: CodeBadUserInput}, pf)
			return ex.nullResult(t)
		}
	}
	var (
		val any
		err error
	)
	switch pf.kind {
	case kindNormal:
		val, err = ex.resolve(obj, parent, pf, args)
	default:
		val, err = ex.introspect(obj, parent, pf, args)
	}
	if err != nil {
		ex.fieldError(err, pf)
		return ex.nullResult(t)
	}
	return ex.completeValue(t, pf, val)
}

func (ex *execution) resolve(obj *ast.Definition, parent any, pf *plannedField, args map[string]any) (any, error) {
	if ex.resolver != nil {
		f := pf.fields[0]
		fc := FieldContext{
			ParentType: obj.Name,
			Field:      pf.def,
			Name:       f.Name,
			Alias:      pf.key,
			Args:       args,
			Parent:     parent,
			Path:       ex.path[:len(ex.path):len(ex.path)],
			Selection:  f,
			Selections: pf.fields,
			Variables:  ex.vars,
		}
		val, err := ex.call(fc)
		if err != nil {
			return nil, err
		}
		if _, ok := val.(DefaultMarker); !ok {
			return val, nil
		}
	}
	return defaultResolve(parent, pf.fields[0].Name)
}

func (ex *execution) call(fc FieldContext) (val any, err error) {
	defer func() {
		if r := recover(); r != nil {
			if ex.e.opts.OnPanic != nil {
				ex.e.opts.OnPanic(ex.ctx, fc, r, debug.Stack())
			}
			val = nil
			err = &Error{Code: CodeInternal, Message: fmt.Sprintf("Internal error while resolving field %s.%s.", fc.ParentType, fc.Name)}
		}
	}()
	return ex.resolver.Resolve(ex.ctx, fc)
}

func defaultResolve(parent any, name string) (any, error) {
	switch p := parent.(type) {
	case map[string]any:
		return p[name], nil
	case Object:
		return p.GraphQLField(name), nil
	case nil:
		return nil, nil
	}
	return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("Default resolver cannot read field %q from a value of type %T.", name, parent)}
}

// argumentsUseVariables reports whether any argument value refers to a
// variable, at any depth.
func argumentsUseVariables(args ast.ArgumentList) bool {
	for _, a := range args {
		if valueUsesVariables(a.Value) {
			return true
		}
	}
	return false
}

func valueUsesVariables(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if valueUsesVariables(c.Value) {
			return true
		}
	}
	return false
}
