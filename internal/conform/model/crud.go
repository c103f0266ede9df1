package model

import (
	"fmt"
	"github.com/standin/standin/internal/contract/jsonptr"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// CRUDChain is the life of one record that a REST contract implies,
// without configuration (the stateful phase of a run): an operation that
// creates the record (POST to a collection), the one that reads it back
// (GET on the collection's item path, or the operation an OpenAPI link of
// the creation's answer names), and the ones that replace, change and
// delete it on that item path, when the contract has them.
type CRUDChain struct {
	// Create makes the record; Read reads it by the path parameter Param.
	Create, Read Operation
	Param        string
	// Field is the record field Param names ("" when the read answer's
	// schema has none of the fields the parameter may name).
	Field string
	// Replace (PUT), Update (PATCH) and Delete operate on the item path;
	// nil when the contract has no such operation.
	Replace, Update, Delete *Operation
	// Link holds the runtime expressions of the creation's OpenAPI link to
	// Read, by Read's parameter name ($response.body#/id,
	// $response.header.Location, a constant); nil when no link names Read.
	Link map[string]string
	// LinkName is the link's name in the creation's answer.
	LinkName string
}

// Title names the chain by its operations: "POST /pets → GET, PUT,
// PATCH, DELETE /pets/{petId}".
func (c CRUDChain) Title() string {
	ms := []string{c.Read.Method}
	for _, o := range []*Operation{c.Replace, c.Update, c.Delete} {
		if o != nil {
			ms = append(ms, o.Method)
		}
	}
	return fmt.Sprintf("%s %s → %s %s", c.Create.Method, c.Create.Path, strings.Join(ms, ", "), c.Read.Path)
}

// CRUDChains lists the chains the API's REST contract implies, one per
// creating operation that has a read: a POST whose documented success
// has a body or a Location header, read by the GET its answer links to
// (OpenAPI links) or else by GET on path/{param}. Sorted by the
// creation's path.
func (a *API) CRUDChains() []CRUDChain {
	ops := a.Operations()
	find := func(method, path string) *Operation {
		i := slices.IndexFunc(ops, func(o Operation) bool { return o.Method == method && o.Path == path })
		if i < 0 {
			return nil
		}
		return &ops[i]
	}
	var out []CRUDChain
	for _, create := range ops {
		if create.Method != http.MethodPost || create.SuccessStatus() == 0 {
			continue
		}
		c := CRUDChain{Create: create}
		if !linkedRead(ops, create, &c) {
			p := itemParam(ops, create.Path)
			if p == "" {
				continue
			}
			read := find(http.MethodGet, strings.TrimRight(create.Path, "/")+"/{"+p+"}")
			if read == nil {
				continue
			}
			c.Read, c.Param = *read, p
		}
		if body := c.Read.SuccessSchema(); body != nil && body.Value != nil {
			c.Field = ParamField(c.Param, ObjectOf(body.Value))
		}
		c.Replace = find(http.MethodPut, c.Read.Path)
		c.Update = find(http.MethodPatch, c.Read.Path)
		c.Delete = find(http.MethodDelete, c.Read.Path)
		out = append(out, c)
	}
	return out
}

// linkedRead fills c's read from an OpenAPI link of the creation's
// success answer to a GET with one path parameter more than the
// creation's path (its own parameters are the creation's, filled the
// same way); false when no link does.
func linkedRead(ops []Operation, create Operation, c *CRUDChain) bool {
	ref := create.Op.Responses.Status(create.SuccessStatus())
	if ref == nil || ref.Value == nil {
		return false
	}
	links := ref.Value.Links
	for _, name := range slices.Sorted(maps.Keys(links)) {
		l := links[name]
		if l == nil || l.Value == nil {
			continue
		}
		i := slices.IndexFunc(ops, func(o Operation) bool {
			return o.Method == http.MethodGet && (l.Value.OperationID != "" && o.Op.OperationID == l.Value.OperationID ||
				l.Value.OperationRef != "" && operationRef(o) == l.Value.OperationRef)
		})
		if i < 0 {
			continue
		}
		read := ops[i]
		exprs := map[string]string{}
		for k, v := range l.Value.Parameters {
			exprs[strings.TrimPrefix(k, "path.")] = fmt.Sprint(v)
		}
		var param string
		for _, p := range read.PathParams() {
			if _, ok := exprs[p]; ok && !slices.Contains(create.PathParams(), p) {
				param = p
			}
		}
		if param == "" {
			continue
		}
		c.Read, c.Param, c.Link, c.LinkName = read, param, exprs, name
		return true
	}
	return false
}

// operationRef is the local operationRef naming o:
// #/paths/~1pets~1{petId}/get.
func operationRef(o Operation) string {
	return "#/paths/" + jsonptr.Token(o.Path) + "/" + strings.ToLower(o.Method)
}

// IsItemRead reports whether o reads one record of a collection: a GET
// whose path ends in a path parameter, below a path the contract lists
// (GET) or creates records at (POST). For such an operation an unknown id
// is a missing record, whose answer is 404 even where the contract writes
// only a default answer.
func (a *API) IsItemRead(o Operation) bool {
	if o.Method != http.MethodGet || !strings.HasSuffix(o.Path, "}") {
		return false
	}
	i := strings.LastIndex(o.Path, "/{")
	if i < 0 {
		return false
	}
	parent := o.Path[:i]
	for _, p := range a.Operations() {
		if strings.TrimRight(p.Path, "/") == parent && (p.Method == http.MethodGet || p.Method == http.MethodPost) {
			return true
		}
	}
	return false
}
