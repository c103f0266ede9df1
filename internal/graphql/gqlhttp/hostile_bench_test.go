package gqlhttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/server"
)

// hostileDocs are the documents that made validation quadratic before
// exec.Precheck: each must now be answered quickly with a limit error.
func hostileDocs() map[string]string {
	var typename, conflicts, names, nested strings.Builder
	typename.WriteString("{ ")
	for range 5400 {
		typename.WriteString("__typename ")
	}
	typename.WriteString("}")
	conflicts.WriteString("{ ")
	for i := range 500 {
		fmt.Fprintf(&conflicts, `account(id:"%d"){name} `, i)
	}
	conflicts.WriteString("}")
	names.WriteString("{ accounts(first:1){ nodes { ")
	for range 5000 {
		names.WriteString("name ")
	}
	names.WriteString("} } }")
	// Within MaxFieldsPerPath at each level, but 20 × 20 fields at the
	// path accounts.nodes.
	nested.WriteString("{ ")
	for range 20 {
		nested.WriteString("accounts(first:1){ nodes { name name name name name name name name name name name name name name name name name name name name } } ")
	}
	nested.WriteString("}")
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := range 2100 {
		fmt.Fprintf(&aliases, "a%d: __typename ", i)
	}
	aliases.WriteString("}")
	// The worst document Precheck lets through to validation: 45 response
	// names × 20 conflicting fields (1,800 selections, 8,550 conflicts).
	var worst strings.Builder
	worst.WriteString("{ ")
	for a := range 45 {
		for i := range 20 {
			fmt.Fprintf(&worst, `a%d: account(id:"%d"){name} `, a, i)
		}
	}
	worst.WriteString("}")
	return map[string]string{
		"conflicts-45x20": worst.String(),
		"aliases-2100":    aliases.String(),
		"typename-5400":   typename.String(),
		"conflicts-500":   conflicts.String(),
		"same-name-5000":  names.String(),
		"nested-20x20":    nested.String(),
	}
}

func newMock(tb testing.TB) http.Handler {
	tb.Helper()
	srv, err := server.New(config.Default(), server.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

func postGraphQL(h http.Handler, path, query string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer standin-admin")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkHostileDocuments measures the server time of each hostile
// document through the whole mock (marketplace GraphQL). Every one is a
// distinct text per iteration, so the document cache cannot help.
func BenchmarkHostileDocuments(b *testing.B) {
	h := newMock(b)
	docs := hostileDocs()
	for _, name := range []string{"typename-5400", "conflicts-500", "same-name-5000", "nested-20x20", "aliases-2100", "conflicts-45x20"} {
		doc := docs[name]
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				rec := postGraphQL(h, "/api/graphql", fmt.Sprintf("%s # %d", doc, i))
				if rec.Code != http.StatusBadRequest {
					b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}
