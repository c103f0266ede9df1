package manifest

import (
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes as an api.yaml: Load must never panic, and
// what it accepts must have a name and a protocol.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("name: x\nauth: {none: true}\ngraphql: {path: /g, schema: s.graphql}\n"))
	f.Add([]byte("name: x\nerrors: {404: {body: {e: '{{message}}'}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Load(fstest.MapFS{"x/api.yaml": {Data: data}}, "x")
		if err != nil {
			return
		}
		if a.Name == "" || (a.REST == nil && a.GraphQL == nil) {
			t.Fatalf("accepted an API without name or protocol: %+v", a)
		}
		_ = a.Error(404)
	})
}
