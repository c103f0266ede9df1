// Package manifest reads API manifests: the files that make an API servable
// without Go code.
//
// Every API lives in a folder of its own, specs/<api>/, holding api.yaml (this
// package's format) next to the contract documents it names: an OpenAPI 3
// document for the REST part, a GraphQL SDL for the GraphQL part. The manifest
// says where the API is mounted, how it authenticates, how its errors look on
// the wire, which store collections back it (and where their fixtures and
// generation rules are), and how operations and GraphQL fields bind to those
// collections. Adding an API is adding such a folder.
package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/usererr"
)

// FileName is the manifest's file name inside an API folder.
const FileName = "api.yaml"

// API is one API's manifest.
type API struct {
	// Name identifies the API in flags, scenarios and the control API.
	Name string `yaml:"name"`
	// Title is a human name for start-up summaries.
	Title string `yaml:"title"`
	// Page names the documentation page the API reproduces.
	Page string `yaml:"page"`
	// Prefix is prepended to every path of the API (default none).
	Prefix string `yaml:"prefix"`
	// Auth says how requests prove who they are.
	Auth Auth `yaml:"auth"`
	// Errors gives the wire shape of each error status, keyed by status code.
	Errors map[int]ErrorShape `yaml:"errors"`
	// Collections are the store collections the API owns.
	Collections []Collection `yaml:"collections"`
	// REST binds OpenAPI operations to collections; nil if the API has no REST part.
	REST *REST `yaml:"rest"`
	// GraphQL binds schema fields to collections; nil if the API has no GraphQL part.
	GraphQL *GraphQL `yaml:"graphql"`
	// RateLimit, when set, is the API's documented rate limit per token.
	RateLimit *RateLimit `yaml:"rateLimit"`

	// Dir is the folder the manifest was read from (set by Load).
	Dir string `yaml:"-"`
	// Source names the manifest file in messages (set by Load to
	// <dir>/api.yaml; a caller that knows where the file system lives may
	// prefix it, as the server does with specs/).
	Source string `yaml:"-"`
	// Root is the manifest's YAML tree when it was read from a file (nil
	// for one built in Go), so that a mistake found later (a fixtures file
	// that does not exist) names its line and column: Place.
	Root *yaml.Node `yaml:"-"`
}

// Place is the place in the manifest file of the value at keys (mapping
// keys, or list indexes in decimal): collections, 0, fixtures. Without a
// file it is the zero Place.
func (a *API) Place(keys ...string) usererr.Place {
	if a.Root == nil {
		return usererr.Place{}
	}
	return usererr.YAMLPlace(a.Source, a.Root, keys...)
}

// Auth describes the credentials an API accepts.
type Auth struct {
	// Bearer accepts "Authorization: Bearer <token>".
	Bearer bool `yaml:"bearer"`
	// APIKeyHeader, when set, also accepts the token in this header.
	APIKeyHeader string `yaml:"apiKeyHeader"`
	// None turns authentication off for the whole API.
	None bool `yaml:"none"`
	// FromSpec authenticates each REST operation as its OpenAPI
	// document's security requirements say (its own, else the
	// document's): API keys in a header, query parameter or cookie, HTTP
	// basic, bearer (oauth2 and openIdConnect too), alternatives, optional
	// ({}) and open operations; any well-formed credential is accepted
	// unless the configuration pins one (apis.<api>.credentials). Bearer
	// and APIKeyHeader then apply to GraphQL only. Set for APIs inferred
	// from a document.
	FromSpec bool `yaml:"fromSpec"`
}

// ErrorShape is the body and headers an API sends for one error status.
// Strings in Body may contain the placeholders {{message}}, {{status}} and
// {{code}}; a string that is exactly one placeholder is replaced by the
// value, keeping its JSON type.
type ErrorShape struct {
	// Message is the default message for this status.
	Message string `yaml:"message"`
	// Code is a machine-readable code (REST {{code}}, and GraphQL
	// extensions.code unless GraphQLCode is set).
	Code string `yaml:"code"`
	// GraphQLCode, when set, is the extensions.code of GraphQL errors.
	GraphQLCode string `yaml:"graphqlCode"`
	// Body is the JSON body template (REST). GraphQL APIs ignore it and
	// answer with a GraphQL error response.
	Body any `yaml:"body"`
	// Headers are added to the response.
	Headers map[string]string `yaml:"headers"`
}

// Collection declares one store collection owned by the API.
type Collection struct {
	// Name is the collection's name inside the API; the store knows it as
	// "<api>.<name>" (see StoreName).
	Name string `yaml:"name"`
	// Unique fields identify a record (O(1) lookup). The first is the key.
	Unique []string `yaml:"unique"`
	// Index fields are indexed for lookups that may match several records.
	Index []string `yaml:"index"`
	// Fixtures is a JSON file (array of records) under fixtures/, loaded
	// verbatim before generated records.
	Fixtures string `yaml:"fixtures"`
	// Generate describes the generated records; nil generates none.
	Generate *Generate `yaml:"generate"`
	// Schema names the OpenAPI component schema (REST) or GraphQL type every
	// record must satisfy when loaded; for REST also a JSON pointer to any
	// schema of the document ("#/paths/~1pets/get/responses/200/content/
	// application~1json/schema/items"), an inline record schema.
	Schema string `yaml:"schema"`
}

// Generate tells the fixture generator how many records to make and how.
// Fields maps each record field (a dotted path) to a generator expression;
// the expression language is documented in package fakedata.
type Generate struct {
	Count  int            `yaml:"count"`
	Fields map[string]any `yaml:"fields"`
	// Order lists the fields in generation order where some refer to others;
	// fields not listed come after, sorted by name.
	Order []string `yaml:"order"`
	// Nodes holds, when the block was read from YAML, each field's
	// expression as its YAML node, so that errors in it can name the line
	// and column. Fields set from Go have no node.
	Nodes map[string]*yaml.Node `yaml:"-"`
}

// UnmarshalYAML decodes a generate block, keeping the YAML node of every
// field expression (Nodes). Unknown keys are refused, as KnownFields does
// for the rest of the manifest.
func (g *Generate) UnmarshalYAML(n *yaml.Node) error {
	type plain Generate
	if n.Kind == yaml.MappingNode {
		var errs []error
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if !slices.Contains([]string{"count", "fields", "order"}, k.Value) {
				errs = append(errs, &usererr.Error{Place: usererr.Place{Line: k.Line, Col: k.Column},
					Problem: fmt.Sprintf("unknown key %q in generate", k.Value), Fix: "valid keys here: count, fields, order", Err: ErrInvalid})
			}
		}
		if errs != nil {
			return errors.Join(errs...)
		}
	}
	if err := n.Decode((*plain)(g)); err != nil {
		return err
	}
	g.Nodes = nil
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if f := n.Content[i+1]; n.Content[i].Value == "fields" && f.Kind == yaml.MappingNode {
			g.Nodes = make(map[string]*yaml.Node, len(f.Content)/2)
			for j := 0; j+1 < len(f.Content); j += 2 {
				g.Nodes[f.Content[j].Value] = f.Content[j+1]
			}
		}
	}
	return nil
}

// REST binds the operations of an OpenAPI document.
type REST struct {
	// Spec is the OpenAPI 3 document, relative to the API folder.
	Spec string `yaml:"spec"`
	// Operations binds operationIds; an operation without a binding answers
	// from its spec's examples or schema.
	Operations map[string]Operation `yaml:"operations"`
	// FromSpec answers each operation's errors in its document's own
	// shape: the status the operation documents among those that mean the
	// problem (422 for a body that breaks its schema when it documents 422
	// and not 400), the body of its response for that status (its example,
	// else generated from its schema, the message in its message field),
	// and negotiates media types (Accept, form, multipart and XML bodies)
	// among those the operation documents. The API's errors map is the
	// shape of what an operation does not document. Set for APIs inferred
	// from a document.
	FromSpec bool `yaml:"fromSpec"`
}

// Operation binds one REST operation to a collection.
type Operation struct {
	// Collection is the bound collection's name inside the API.
	Collection string `yaml:"collection"`
	// Action is "list", "get", or one of the writes: "create" (POST on a
	// collection path: the request body becomes a new record; answers the
	// spec's 2xx status, 201 + Location by convention), "replace" (PUT: the
	// body replaces the record), "patch" (PATCH: the body is a JSON merge
	// patch, RFC 7396, of the record) or "delete" (DELETE: removes the
	// record, refused with 409 while Blockers match it). Writes answer the
	// record after the change (projected and enveloped like a get) unless
	// the spec documents no response body for their status.
	Action string `yaml:"action"`
	// Key maps a path parameter to the record field it selects (get,
	// replace, patch, delete). For create, Key.Field (default: the
	// collection's first unique field) names the field whose value ends
	// the Location header; Key.Param is ignored.
	Key *KeyBinding `yaml:"key"`
	// Assign gives the fields a create sets when the body leaves them out:
	// "{{uuid}}" is a new random UUID, "{{seq}}" one more than the largest
	// integer value of the field in the collection (found by a scan, so a
	// create costs O(n) with it), "{{now}}" the current
	// time in RFC 3339; any other value is copied.
	Assign map[string]any `yaml:"assign"`
	// Blockers refuse a delete while records match its target, with the
	// semantics of GraphQL delete bindings (FieldBinding.Blockers): a
	// blocker matches records of its collection whose Field equals the
	// target's Key.Field value and that satisfy Where.
	Blockers []Blocker `yaml:"blockers"`
	// Envelope wraps the result. A string value that is exactly one
	// placeholder is replaced by its value, keeping its JSON type; other
	// values are copied. Placeholders: "{{item}}" (get: the record),
	// "{{items}}" (list: the array of records of the page),
	// "{{page.size}}" (the page size used; unpaged: the records listed),
	// "{{page.totalElements}}" (records matching the request, over all
	// pages), and for paged lists "{{links}}" (array of
	// {rel, href}: "self" always, "next"/"prev" when such a page exists; href
	// is the path and query of that page, other query parameters kept) and,
	// with paging style page, "{{page.number}}" and "{{page.totalPages}}".
	// Any other "{{...}}" is an error. Empty means the bare record or array.
	Envelope any `yaml:"envelope"`
	// Fields projects the record into the response: response field name to
	// record path. Empty means the record as stored.
	Fields map[string]string `yaml:"fields"`
	// Constants are response fields (dotted paths) with a fixed value, set
	// after the projection: a field the answer's schema requires that no
	// record field fills.
	Constants map[string]any `yaml:"constants"`
	// Each makes a list answer each record's value at this record path
	// instead of the record (an array of scalars: GET /templates answers
	// the names of the templates GET /templates/{name} reads).
	Each string `yaml:"each"`
	// Answer, when set, is the body of every success answer of a get or a
	// write (the write still happens; a delete's answer when it has one):
	// for an operation whose answer's schema holds nothing of the record
	// (an empty object).
	Answer any `yaml:"answer"`
	// Requires lists permissions the caller's token must all have.
	Requires []string `yaml:"requires"`
	// Scoped applies the token's record scope for this API: records outside
	// it are hidden from lists and give 403 on get.
	Scoped bool `yaml:"scoped"`
	// Paging maps query parameters to paging of a list (offset/limit or
	// page/size style).
	Paging *Paging `yaml:"paging"`
	// RecordCost is the simulated time to fetch one record of the large
	// data set (a Go duration), as a GraphQL binding's recordCost: with the
	// request's deadline (a scenario's queryBudget) it makes an unpaged list
	// of the large data set run out of time, 504, while a page answers.
	RecordCost Duration `yaml:"recordCost"`
	// Filters maps a query parameter to the record field it filters a list
	// on: when the request carries the parameter, only records whose field
	// equals its value exactly (as the store's keys compare: "1" matches the
	// number 1) are listed. Filters combine with each other and with the
	// token's scope; paging and totals apply after them.
	Filters map[string]string `yaml:"filters"`
	// Fill completes the record of a write (create, replace, patch) so it
	// is valid against the collection's schema whatever the request
	// schema leaves out: a create takes the required, read-only and key
	// fields its body and Assign do not give from the collection's generate
	// rules (the key drawn again while taken; optional fields the client
	// left out stay out), a replace keeps the stored values of the fields
	// its body leaves out; a field whose value the record schema refuses
	// (the request schema and the record's disagree) takes the stored or
	// a generated value instead, writeOnly fields are not stored. Inferred
	// APIs set it: their writes are accepted per the request schema, their
	// records answered per the response schema.
	Fill bool `yaml:"fill"`
	// Parents scopes a nested collection's records by the path parameters
	// of their parents (/repos/{owner}/{repo}/issues): path parameter to
	// the record path that holds its value. A create stores the path's
	// values there; a get, change or delete of a record made under other
	// parents is 404; a list shows the records made under the path's
	// parents and those made for every parent (generated records hold no
	// parent values). The fields are not answered.
	Parents map[string]string `yaml:"parents"`
}

// KeyBinding maps a path parameter to a record field.
type KeyBinding struct {
	Param string `yaml:"param"`
	Field string `yaml:"field"`
}

// Paging names the query parameters of a paged list.
type Paging struct {
	// Style is "offset" (the default: Offset and Limit) or "page" (Page and
	// Size: a page index and a page size).
	Style string `yaml:"style"`
	// Offset names the query parameter giving the number of records to
	// skip (offset style).
	Offset string `yaml:"offset"`
	// Limit names the query parameter giving the maximum number of records
	// (offset style).
	Limit string `yaml:"limit"`
	// Page names the query parameter giving the page index (page style;
	// the first page is the parameter's minimum, else its default when 0
	// or 1, else 1; a page below it is the first; past the last page the
	// page is empty).
	Page string `yaml:"page"`
	// Size names the query parameter giving the page size (page style; a
	// size below 1 is a 400).
	Size string `yaml:"size"`
	// DefaultMax is the limit or page size when the request gives none (0:
	// the spec's default for the parameter, else unlimited for offset style).
	DefaultMax int `yaml:"default"`
	// Max caps the limit or page size (0: the spec's maximum for the
	// parameter, else no cap).
	Max int `yaml:"max"`
}

// Paging styles.
const (
	PagingOffset = "offset"
	PagingPage   = "page"
)

// GraphQL binds the fields of a GraphQL schema.
type GraphQL struct {
	// Path is where the endpoint is served (POST and GET).
	Path string `yaml:"path"`
	// Schema is the SDL file, relative to the API folder.
	Schema string `yaml:"schema"`
	// Fields binds fields: type name, then field name. Fields without a
	// binding read the same-named key of their parent object.
	Fields map[string]map[string]FieldBinding `yaml:"fields"`
	// MaxPageSize caps first/last on connections (default 100).
	MaxPageSize int `yaml:"maxPageSize"`
	// QueryTimeout bounds one GraphQL request's execution (default 10s).
	QueryTimeout Duration `yaml:"queryTimeout"`
	// Graph serves the schema as a graph of records (package gqlbind):
	// every collection whose schema names an object type holds that
	// type's records, object fields are links between records, and
	// fields without a binding are resolved by package sdlmodel's rules
	// rather than read from the parent. Inferred SDLs use it.
	Graph bool `yaml:"graph"`
}

// FieldBinding binds one GraphQL field. Its Kind decides which other
// fields matter; package gqlbind documents each kind:
//
//   - object: a namespace object (e.g. Query.admin); resolves to {}.
//   - get: one record of Collection whose Field equals the argument at Arg.
//   - ref: one record of Collection matched from the parent (Match).
//   - connection: a Relay connection over Collection, optionally restricted
//     to the parent's records (Match), filtered (Filter) and ordered (Order).
//   - list: a plain list of Collection's records (Where, Match), at most
//     PageSize (0: all).
//   - delete: a mutation removing the record selected by Arg/Field, refused
//     while any Blockers match it; answers Payload.
//   - update: a mutation setting fields (Set) of the record selected by
//     Arg/Field, refused when RefuseWhen matches; answers Payload.
type FieldBinding struct {
	Kind       string `yaml:"kind"`
	Collection string `yaml:"collection"`
	// Arg is the (dotted) argument path whose value selects the record,
	// e.g. "id" or "input.accountId".
	Arg string `yaml:"arg"`
	// Field is the record field compared with Arg's value.
	Field string `yaml:"field"`
	// Match maps a record field to the parent's field it must equal.
	Match map[string]string `yaml:"match"`
	// Requires lists permissions the caller must hold; a caller without
	// them gets a FORBIDDEN error on this field.
	Requires []string `yaml:"requires"`
	// NotFound is the error code raised when get finds nothing; empty
	// answers null without an error.
	NotFound string `yaml:"notFound"`
	// Scoped applies the token's record scope for this API, as a REST
	// binding's scoped does: records outside it are left out of connections
	// and lists, a ref to one is null, and a get, delete or update of one is
	// a FORBIDDEN error.
	Scoped bool `yaml:"scoped"`
	// Filter maps fields of the `filter` argument to record fields (exact
	// match; every given field must match).
	Filter map[string]string `yaml:"filter"`
	// Order maps values of orderBy.field to record fields.
	Order map[string]string `yaml:"order"`
	// Where restricts the records considered: record field to allowed values.
	Where map[string][]any `yaml:"where"`
	// PageSize is the page size when neither first nor last is given;
	// 0 returns the whole collection.
	PageSize int `yaml:"pageSize"`
	// Blockers refuse a delete while records match the target.
	Blockers []Blocker `yaml:"blockers"`
	// Set gives the fields an update writes; the string "{{now}}" is the
	// current time in RFC 3339.
	Set map[string]any `yaml:"set"`
	// RefuseWhen refuses an update when the record's field has one of the
	// values.
	RefuseWhen map[string][]any `yaml:"refuseWhen"`
	// Payload is the mutation's answer; the string "{{record}}" is replaced
	// by the record (after the change).
	Payload map[string]any `yaml:"payload"`
	// RecordCost is the simulated time to fetch one record (a Go duration);
	// with a query deadline it makes huge unpaginated reads time out as
	// they do on the real service.
	RecordCost Duration `yaml:"recordCost"`
}

// Blocker is a condition that refuses a delete: records of Collection
// whose Field equals the target's key (and that satisfy Where).
type Blocker struct {
	Collection string           `yaml:"collection"`
	Field      string           `yaml:"field"`
	Where      map[string][]any `yaml:"where"`
	Code       string           `yaml:"code"`
	Message    string           `yaml:"message"`
}

// RateLimit is a number of requests allowed per token in a window.
type RateLimit struct {
	Limit  int      `yaml:"limit"`
	Window Duration `yaml:"window"`
}

// Duration is a time.Duration read from strings like "15m".
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &usererr.Error{Place: usererr.Place{Line: n.Line, Col: n.Column}, Problem: fmt.Sprintf("%q is not a duration", s),
			Fix: "write a Go duration such as 15m, 1h or 500ms", Err: err}
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// StoreName is the store's name for a collection of an API.
func StoreName(api, collection string) string { return api + "." + collection }

// Collection returns the API's collection of the given name.
func (a *API) Collection(name string) (*Collection, bool) {
	for i := range a.Collections {
		if a.Collections[i].Name == name {
			return &a.Collections[i], true
		}
	}
	return nil, false
}

// Error returns the error shape for a status, with a generic fallback when
// the manifest does not declare one.
func (a *API) Error(status int) ErrorShape {
	if e, ok := a.Errors[status]; ok {
		return e
	}
	// A status the manifest does not declare (413, 415, …) keeps the API's
	// shape: the body and code of its 500 for a 5xx, of its 400 otherwise,
	// with the status's own message, so a client decoding the documented
	// error shape can decode every error.
	like := 400
	if status >= 500 {
		like = 500
	}
	if e, ok := a.Errors[like]; ok {
		e.Message = defaultMessage(status)
		return e
	}
	return ErrorShape{Message: defaultMessage(status), Code: defaultCode(status), Body: map[string]any{"error": "{{message}}"}}
}

func defaultMessage(status int) string {
	switch status {
	case 400:
		return "Bad request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not found"
	case 405:
		return "Method not allowed"
	case 406:
		return "Not acceptable"
	case 409:
		return "Conflict"
	case 413:
		return "Request body too large"
	case 415:
		return "Unsupported media type"
	case 422:
		return "Unprocessable content"
	case 429:
		return "Too many requests"
	case 500:
		return "Internal server error"
	case 504:
		return "Gateway timeout"
	}
	return "Error " + strconv.Itoa(status)
}

func defaultCode(status int) string {
	switch status {
	case 400:
		return "BAD_REQUEST"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "FORBIDDEN"
	case 404:
		return "NOT_FOUND"
	case 429:
		return "RATE_LIMITED"
	case 500:
		return "INTERNAL_SERVER_ERROR"
	case 504:
		return "TIMEOUT"
	}
	return "ERROR"
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// ErrInvalid marks a manifest that breaks a rule; the message says which,
// where and what to do (a *usererr.Error).
var ErrInvalid = errors.New("invalid manifest")

// Load reads the manifest in dir of fsys and checks it. A mistake in the
// file is a *usererr.Error naming the file (as fsys names it:
// usererr.FileName), line and column, and the fix; it matches ErrInvalid.
func Load(fsys fs.FS, dir string) (*API, error) {
	file := path.Join(dir, FileName)
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	shown := usererr.FileName(fsys, file)
	var a API
	root, err := usererr.DecodeYAML(shown, data, &a)
	if err != nil {
		for _, e := range usererr.All(err) {
			e.Err = ErrInvalid
		}
		return nil, err
	}
	if root.Kind == 0 {
		return nil, &usererr.Error{Place: usererr.Place{File: shown}, Problem: "the manifest is empty",
			Fix: "give at least name:, auth: and rest: or graphql: (see the bundled specs/*/api.yaml)", Err: ErrInvalid}
	}
	a.Dir = dir
	a.Source = shown
	a.Root = root
	if err := a.check(); err != nil {
		return nil, err
	}
	return &a, nil
}

// LoadAll reads every <dir>/api.yaml at the top of fsys, sorted by API name.
func LoadAll(fsys fs.FS) ([]*API, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var apis []*API
	seen := map[string]*API{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), FileName)); err != nil {
			continue
		}
		a, err := Load(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		if other, dup := seen[a.Name]; dup {
			return nil, &usererr.Error{Place: a.Place("name"), Problem: fmt.Sprintf("API %q is declared in %s too", a.Name, other.Source),
				Fix: "give each API a name of its own", Err: ErrInvalid}
		}
		seen[a.Name] = a
		apis = append(apis, a)
	}
	sort.Slice(apis, func(i, j int) bool { return apis[i].Name < apis[j].Name })
	return apis, nil
}

// Check applies Load's rules to a manifest built in memory (for example
// one inferred from a spec), so it is held to the same rules as a file.
func (a *API) Check() error { return a.check() }

// check applies the manifest's rules and returns every broken one,
// placed in the file when the manifest was read from one.
func (a *API) check() error {
	var errs []error
	// bad records a broken rule of the value at keys, and the fix
	bad := func(keys []string, fix, format string, args ...any) {
		errs = append(errs, &usererr.Error{Place: a.Place(keys...), Problem: fmt.Sprintf(format, args...), Fix: fix, Err: ErrInvalid})
	}
	k := func(keys ...string) []string { return keys }
	if !nameRE.MatchString(a.Name) {
		bad(k("name"), "use lower-case letters, digits and dashes, starting with a letter (my-api)", "name %q must be lower-case letters, digits and dashes", a.Name)
	}
	if a.REST == nil && a.GraphQL == nil {
		bad(nil, "add rest: {spec: FILE} for an OpenAPI document or graphql: {schema: FILE, path: /graphql} for an SDL", "API %q has neither rest nor graphql", a.Name)
	}
	if !a.Auth.None && !a.Auth.Bearer && a.Auth.APIKeyHeader == "" && !(a.Auth.FromSpec && a.GraphQL == nil) {
		bad(k("auth"), "write auth: {bearer: true}, auth: {apiKeyHeader: X-API-Key}, auth: {fromSpec: true} (REST only) or auth: {none: true}", "auth: no way to authenticate")
	}
	names := map[string]bool{}
	var known []string
	for i, c := range a.Collections {
		at := strconv.Itoa(i)
		if c.Name == "" || names[c.Name] {
			bad(k("collections", at, "name"), "give every collection a name of its own", "collection name %q empty or repeated", c.Name)
			continue
		}
		names[c.Name] = true
		known = append(known, c.Name)
		if len(c.Unique) == 0 {
			bad(k("collections", at), "add unique: [FIELD], the field that identifies a record (id)", "collection %q needs at least one unique field", c.Name)
		}
		if c.Generate != nil && c.Generate.Count < 0 {
			bad(k("collections", at, "generate", "count"), "write 0 or more", "collection %q: generate.count must not be negative", c.Name)
		}
	}
	sort.Strings(known)
	collections := "use one of the collections: " + strings.Join(known, ", ")
	if len(known) == 0 {
		collections = "declare it under collections: first"
	}
	if a.REST != nil {
		if a.REST.Spec == "" {
			bad(k("rest"), "add spec: FILE, the OpenAPI document beside api.yaml", "rest.spec is required")
		}
		for _, id := range slices.Sorted(maps.Keys(a.REST.Operations)) {
			a.checkOperation(id, a.REST.Operations[id], names, collections, bad)
		}
	}
	if a.GraphQL != nil {
		if a.GraphQL.Schema == "" || a.GraphQL.Path == "" {
			bad(k("graphql"), "write graphql: {schema: FILE, path: /graphql}", "graphql.schema and graphql.path are required")
		}
		for _, typ := range slices.Sorted(maps.Keys(a.GraphQL.Fields)) {
			fields := a.GraphQL.Fields[typ]
			for _, name := range slices.Sorted(maps.Keys(fields)) {
				b := fields[name]
				if b.Collection != "" && !names[b.Collection] {
					bad(k("graphql", "fields", typ, name, "collection"), collections, "graphql field %s.%s: unknown collection %q", typ, name, b.Collection)
				}
				for j, bl := range b.Blockers {
					if !names[bl.Collection] {
						bad(k("graphql", "fields", typ, name, "blockers", strconv.Itoa(j), "collection"), collections, "graphql field %s.%s: blocker names unknown collection %q", typ, name, bl.Collection)
					}
				}
			}
		}
	}
	if a.RateLimit != nil && (a.RateLimit.Limit <= 0 || a.RateLimit.Window <= 0) {
		bad(k("rateLimit"), "write rateLimit: {limit: 100, window: 15m}", "rateLimit needs a positive limit and window")
	}
	return errors.Join(errs...)
}

// checkOperation applies the rules of one REST operation binding.
func (a *API) checkOperation(id string, op Operation, names map[string]bool, collections string, bad func([]string, string, string, ...any)) {
	k := func(keys ...string) []string { return append([]string{"rest", "operations", id}, keys...) }
	if !names[op.Collection] {
		bad(k("collection"), collections, "rest operation %q: unknown collection %q", id, op.Collection)
	}
	switch op.Action {
	case "list":
		if pg := op.Paging; pg != nil {
			switch pg.Style {
			case "", PagingOffset:
				if pg.Page != "" || pg.Size != "" {
					bad(k("paging"), "add style: page, or use offset: and limit:", "rest operation %q: paging.page and paging.size need style %q", id, PagingPage)
				}
			case PagingPage:
				if pg.Page == "" || pg.Size == "" {
					bad(k("paging"), "name both query parameters: page: PARAM and size: PARAM", "rest operation %q: paging style page needs page and size", id)
				}
				if pg.Offset != "" || pg.Limit != "" {
					bad(k("paging"), "remove style: page, or use page: and size:", "rest operation %q: paging.offset and paging.limit need style %q", id, PagingOffset)
				}
			default:
				bad(k("paging", "style"), "write style: offset or style: page", "rest operation %q: paging style %q is not offset or page", id, pg.Style)
			}
			if pg.DefaultMax < 0 || pg.Max < 0 || pg.Max > 0 && pg.DefaultMax > pg.Max {
				bad(k("paging"), "make default and max non-negative, with default at most max", "rest operation %q: paging default %d and max %d must be non-negative, default <= max", id, pg.DefaultMax, pg.Max)
			}
		}
		for _, q := range slices.Sorted(maps.Keys(op.Filters)) {
			if q == "" || op.Filters[q] == "" {
				bad(k("filters"), "write filters: {QUERY_PARAM: record.field}", "rest operation %q: filter %q: %q needs a query parameter and a record field", id, q, op.Filters[q])
			}
		}
	case "get", "replace", "patch", "delete":
		if op.Paging != nil || len(op.Filters) > 0 {
			bad(k(), "remove paging: and filters:, or make the action list", "rest operation %q: paging and filters apply to list only", id)
		}
		if op.Key == nil || op.Key.Param == "" || op.Key.Field == "" {
			bad(k(), "add key: {param: PATH_PARAM, field: RECORD_FIELD}", "rest operation %q: %s needs key.param and key.field", id, op.Action)
		}
	case "create":
		if op.Paging != nil || len(op.Filters) > 0 {
			bad(k(), "remove paging: and filters:, or make the action list", "rest operation %q: paging and filters apply to list only", id)
		}
	default:
		bad(k("action"), "write one of list, get, create, replace, patch, delete", "rest operation %q: action %q is not list, get, create, replace, patch or delete", id, op.Action)
	}
	if len(op.Assign) > 0 && op.Action != "create" {
		bad(k("assign"), "remove assign:, or make the action create", "rest operation %q: assign applies to create only", id)
	}
	if op.Each != "" && op.Action != "list" {
		bad(k("each"), "remove each:, or make the action list", "rest operation %q: each applies to list only", id)
	}
	if op.Answer != nil && op.Action == "list" {
		bad(k("answer"), "remove answer:", "rest operation %q: answer applies to get and the writes only", id)
	}
	if op.Fill && op.Action != "create" && op.Action != "replace" && op.Action != "patch" {
		bad(k("fill"), "remove fill:, or make the action create, replace or patch", "rest operation %q: fill applies to create, replace and patch only", id)
	}
	if len(op.Blockers) > 0 && op.Action != "delete" {
		bad(k("blockers"), "remove blockers:, or make the action delete", "rest operation %q: blockers apply to delete only", id)
	}
	for j, bl := range op.Blockers {
		if !names[bl.Collection] || bl.Field == "" {
			bad(k("blockers", strconv.Itoa(j)), collections+", and name its field that holds the key", "rest operation %q: blocker needs a known collection and a field (got %q, %q)", id, bl.Collection, bl.Field)
		}
	}
}
