package contract

import (
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestCacheLoadsOnce: every stage that reads a document through one
// Cache gets the same document, loaded once even when they ask at once; a
// document put in is what they get; a nil Cache loads each time.
func TestCacheLoadsOnce(t *testing.T) {
	fsys := os.DirFS("openapi/testdata/lenient")
	c := NewCache()
	var wg sync.WaitGroup
	docs := make([]*openapi3.T, 8)
	for i := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, _, err := c.OpenAPI(fsys, "bad-example.yaml", Options{})
			if err != nil {
				t.Error(err)
			}
			docs[i] = doc
		}()
	}
	wg.Wait()
	for _, d := range docs {
		if d == nil || d != docs[0] {
			t.Fatal("the stages got different documents")
		}
	}
	put := &openapi3.T{}
	c.PutOpenAPI("mounted/spec.yaml", put, nil)
	if got, _, _ := c.OpenAPI(fsys, "mounted/spec.yaml", Options{}); got != put {
		t.Error("the document put in is not the one loaded")
	}
	var none *Cache
	a, _, _ := none.OpenAPI(fsys, "bad-example.yaml", Options{})
	b, _, _ := none.OpenAPI(fsys, "bad-example.yaml", Options{})
	if a == nil || a == b {
		t.Error("a nil cache keeps documents")
	}
	if _, _, err := c.SDL(os.DirFS("sdl"), "nope.graphql", Options{}); err == nil {
		t.Error("a missing SDL loaded")
	}
}
