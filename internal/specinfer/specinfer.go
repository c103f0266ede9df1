// Package specinfer turns a user's own contract (an OpenAPI 3.0 or 3.1
// document, or a GraphQL SDL) into the manifest a hand-written api.yaml
// would give (package manifest), so the mock serves it with no
// configuration and the rest of the server does not know the difference.
//
// For OpenAPI the conventions are:
//
//   - A collection is a path whose item path is the same path plus one
//     parameter segment: /pets and /pets/{petId} make the collection
//     "pets", keyed by petId. The key is the record field named like the
//     parameter, else "id" (for petId, pet_id, ...), else, for a
//     parameter that stands for the record (id, or the path's noun), the
//     field the path names (/collections/{id}: collection), else, for a
//     parameter named by the noun, a required key, slug or name
//     (/configs/{config}: name).
//   - GET on the collection path is list, POST create; GET, PUT, PATCH and
//     DELETE on the item path are get, replace, patch and delete. A list
//     query parameter that names a record field filters on it; limit/offset
//     and page/size parameters page.
//   - The record schema is the item GET's 200 schema (else the list's items,
//     else the create's answer); an answer that wraps the record in one
//     object field ({"data": Record}: no field for the parameter, one
//     object field with one, the others constants) is seen through, and
//     every answer of the collection is wrapped alike. Records come from
//     the spec's examples first
//     (media-type examples of the list and item answers, the schema's own
//     example), then are generated: per field, by its enum, const, format and
//     name (email, firstName, city, url, petName, ...), within its bounds.
//   - Auth: http bearer, oauth2 and openIdConnect schemes take the bundled
//     tokens as bearer tokens, an apiKey in a header takes them in that
//     header; a document without security requirements is open. Reads need
//     READ, writes WRITE (standin-readonly may not write).
//   - Answers take the shape of the spec's 2xx schemas. A list answer that
//     is an object around one array (directly, through allOf, or in its
//     one object field: {"result": {"items": [...]}, "code": 2000}) is the
//     envelope: the array holds the page, totals and sizes (total, count,
//     size, ...) the page's figures, other fields a constant their schema
//     allows (const, default, example, single enum value; ok/success true).
//     When the array's items, or a single record's answer, are another
//     schema than the record's (a summary), records are projected onto it:
//     a field of the same name, else one whose words make a nested record
//     path (authorName: author.name). A required field neither fills is a
//     warning; an answer that holds no record field is the constant its
//     schema allows (a delete's {"result": {"deleted": 1}}).
//   - Other GETs that read a collection's records are bound too: one path
//     parameter naming a record field (/books/title:{title}) is a get by
//     that field, no path parameter and an array of records (/catalog) is
//     another list, when their answers can be filled from the records.
//   - A generated key satisfies the item path parameter's pattern or format
//     when the record field declares none.
//   - Errors take the shape of the spec's error schemas, per status (404,
//     else 4XX, else default, else the document's first error schema): a
//     schema with a string message-like field (message, error, detail,
//     title), at its top, in one object field ({"error": {"code",
//     "message"}}) or in an array of errors ({"errors": [{"message",
//     "extensions": {"code"}}]}), its code and status fields filled; else
//     {"error": message}.
//
// Operations that fit no collection answer from the spec's examples or
// schema, as unbound operations of any manifest do. Whatever is not served
// as a collection is reported as a warning naming why: a diagnostic whose
// code says what it is about (CodeCollection, CodeOperation, ...).
//
// The documents are read by the contract layer (internal/contract), and
// the code is split by the object it infers: openapi.go puts an API
// together from collections.go (which paths make a collection, its record
// schema, key and key rule), operations.go (the actions bound),
// paging.go (paging and filters), create.go (what a create assigns),
// examples.go (example records), security.go (auth), mediatypes.go (the
// JSON answers), errors.go (error shapes), shape.go (envelopes and
// projections), rules.go and rules_check.go (generation rules); graphql.go
// infers from an SDL.
package specinfer

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
)

// DefaultCount is how many records are generated per collection when
// Options.Count is zero.
const DefaultCount = 20

// Options tunes inference.
type Options struct {
	// Count is the number of generated records per collection (0:
	// DefaultCount).
	Count int
	// Seed checks the generation rules with this seed before they are
	// handed out (any seed: rules are checked, not records kept).
	Seed uint64
	// Files say how the contract's files are read and named in
	// diagnostics.
	Files source.Options
}

// Inferred is an API inferred from one contract document.
type Inferred struct {
	// API is the manifest, its Dir the API's name: the caller serves the
	// document's folder as <name>/ of the specs file system.
	API *manifest.API
	// Fixtures are the records taken from the spec's examples, by file
	// name relative to the fixtures file system (<name>/<collection>.json),
	// as JSON arrays.
	Fixtures map[string][]byte
	// Diagnostics say what was not inferred and why (warnings; their
	// File is empty: they are about the contract given).
	Diagnostics diag.List
	// Loaded are the contract layer's warnings about the document (bad
	// examples, a Swagger 2.0 conversion, ...), with their places.
	Loaded diag.List
	// Doc is the OpenAPI document inferred from (nil for an SDL), for the
	// stages after inference: loaded once, read by all.
	Doc *openapi3.T
}

// Codes of inference's diagnostics, by the object a warning is about.
const (
	CodeCollection diag.Code = "infer-collection"
	CodeOperation  diag.Code = "infer-operation"
	CodeShape      diag.Code = "infer-shape"
	CodeCreate     diag.Code = "infer-create"
	CodeExample    diag.Code = "infer-example"
	CodeSecurity   diag.Code = "infer-security"
	CodeRules      diag.Code = "infer-rules"
	CodeGraphQL    diag.Code = "infer-graphql"
	CodeRecursion  diag.Code = "infer-recursion"
	// CodeUnserved: what the document describes and a mock does not serve
	// (webhooks, callbacks, links; a document without paths).
	CodeUnserved = diag.CodeNotServed
)

// warnFunc records a warning of inference.
type warnFunc func(code diag.Code, format string, args ...any)

// notes collects inference's warnings, each with the JSON pointer of
// what it is about when it is known (the caller places them in the file).
type notes struct {
	list diag.List
	// doc, when set, gives the warnings that name an operation first
	// ("POST /pets: ...") that operation's pointer.
	doc *openapi3.T
}

func (n *notes) warn(code diag.Code, format string, args ...any) {
	n.warnAt(code, "", format, args...)
}

// warnAt records a warning about the place ptr of the document.
func (n *notes) warnAt(code diag.Code, ptr, format string, args ...any) {
	n.list = append(n.list, diag.Diagnostic{Code: code, Severity: diag.Warning, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// at is warn with every warning about the place ptr.
func (n *notes) at(ptr string) warnFunc {
	return func(code diag.Code, format string, args ...any) { n.warnAt(code, ptr, format, args...) }
}

// sorted are the warnings in the order of their messages. A warning
// without a pointer that begins with an operation of the document ("GET
// /pets: ...", the way every operation's warning is worded) gets that
// operation's pointer.
func (n *notes) sorted() diag.List {
	for i := range n.list {
		if d := &n.list[i]; d.Pointer == "" && n.doc != nil {
			d.Pointer = operationPointer(n.doc, d.Message)
		}
	}
	slices.SortStableFunc(n.list, func(a, b diag.Diagnostic) int { return strings.Compare(a.Message, b.Message) })
	return n.list
}

// operationPointer is the pointer of the operation a message begins with
// (METHOD, a space, a path of the document), "" when it names none.
func operationPointer(doc *openapi3.T, msg string) string {
	method, rest, ok := strings.Cut(msg, " ")
	if !ok || method != strings.ToUpper(method) || doc.Paths == nil {
		return ""
	}
	p, _, _ := strings.Cut(rest, " ")
	p = strings.TrimSuffix(p, ":")
	item := doc.Paths.Value(p)
	if item == nil || item.GetOperation(method) == nil {
		return ""
	}
	return jsonptr.Format("paths", p, strings.ToLower(method))
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// genericBases are file names that say nothing about the API: the folder
// names it instead.
var genericBases = map[string]bool{"openapi": true, "swagger": true, "api": true, "schema": true, "spec": true, "index": true}

// Name is the API name for a spec file without an explicit one: the file's
// base name (its folder's for openapi.yaml, schema.graphql, ...), lower
// case, runs of other characters as "-".
func Name(file string) string {
	file = strings.ReplaceAll(file, "\\", "/")
	base := strings.TrimSuffix(path.Base(file), path.Ext(file))
	if genericBases[strings.ToLower(base)] {
		if dir := path.Base(path.Dir(file)); dir != "." && dir != "/" && dir != "" {
			base = dir
		}
	}
	n := strings.Trim(nonName.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if n == "" || n[0] < 'a' || n[0] > 'z' {
		n = "api-" + n
	}
	return strings.TrimSuffix(n, "-")
}

//go:embed scenarios/*.yaml
var scenarioFiles embed.FS

// Scenarios are the scenario files every inferred API gets (unauthorized,
// forbidden, not-found, rate-limited, server-error, timeout, slow,
// connection-reset, empty), as the folder of one API: serve it as <name>/
// of the scenarios file system.
func Scenarios() fs.FS {
	sub, err := fs.Sub(scenarioFiles, "scenarios")
	if err != nil {
		panic(err) // the embedded folder exists: a build fault
	}
	return sub
}
