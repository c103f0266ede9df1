package contract

import (
	"io/fs"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/sdl"
)

// Cache keeps the documents one build of the mock has loaded, by their
// path in the specs file system, so that each document is read, parsed and
// checked once however many stages read it (inference, the fixtures'
// checks, the data API, the REST engine). GitHub's REST description is
// 13 MB: loading it once instead of four times is most of its start-up.
//
// A nil *Cache loads every time. The documents are shared: the stages
// read them and never change them. Safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	openapi map[string]*cachedOpenAPI
	sdl     map[string]*cachedSDL
}

type cachedOpenAPI struct {
	once     sync.Once
	doc      *openapi3.T
	warnings diag.List
	err      error
}

type cachedSDL struct {
	once     sync.Once
	schema   *ast.Schema
	warnings diag.List
	err      error
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{openapi: map[string]*cachedOpenAPI{}, sdl: map[string]*cachedSDL{}}
}

// OpenAPI is openapi.Load of file in fsys, done once per file.
func (c *Cache) OpenAPI(fsys fs.FS, file string, opts Options) (*openapi3.T, diag.List, error) {
	if c == nil {
		return openapi.Load(fsys, file, opts)
	}
	c.mu.Lock()
	e := c.openapi[file]
	if e == nil {
		e = &cachedOpenAPI{}
		c.openapi[file] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.doc, e.warnings, e.err = openapi.Load(fsys, file, opts) })
	return e.doc, e.warnings, e.err
}

// PutOpenAPI records a document loaded elsewhere (inference loads a
// --spec file before it is mounted) under its path in the specs file
// system.
func (c *Cache) PutOpenAPI(file string, doc *openapi3.T, warnings diag.List) {
	if c == nil {
		return
	}
	e := &cachedOpenAPI{doc: doc, warnings: warnings}
	e.once.Do(func() {})
	c.mu.Lock()
	c.openapi[file] = e
	c.mu.Unlock()
}

// SDL is sdl.Load of file in fsys, done once per file.
func (c *Cache) SDL(fsys fs.FS, file string, opts Options) (*ast.Schema, diag.List, error) {
	if c == nil {
		return sdl.Load(fsys, file, opts)
	}
	c.mu.Lock()
	e := c.sdl[file]
	if e == nil {
		e = &cachedSDL{}
		c.sdl[file] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.schema, e.warnings, e.err = sdl.Load(fsys, file, opts) })
	return e.schema, e.warnings, e.err
}

// PutSDL records an SDL loaded elsewhere under its path in the specs file
// system.
func (c *Cache) PutSDL(file string, schema *ast.Schema, warnings diag.List) {
	if c == nil {
		return
	}
	e := &cachedSDL{schema: schema, warnings: warnings}
	e.once.Do(func() {})
	c.mu.Lock()
	c.sdl[file] = e
	c.mu.Unlock()
}
