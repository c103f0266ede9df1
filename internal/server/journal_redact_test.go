package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestJournalRedactsWrites: with journalBodies on, the secrets of a write's
// body reach neither the journal's request nor its response (the record
// echoed back), wherever they sit: nested, in line items, the 16 KiB order
// of the benchmark whole (BenchmarkJournalBodies).
func TestJournalRedactsWrites(t *testing.T) {
	order, err := os.ReadFile(filepath.Join("..", "journal", "testdata", "order16k.json"))
	if err != nil {
		t.Fatal(err)
	}
	small := `{"id":1,"customer":{"name":"A"},"payment":{"method":"card","cardToken":"tok_0123456789abcdef","apiKey":"sk_live_secretsecret"},` +
		`"items":[{"sku":"s1","name":"Mug","note":"gift"}]}`
	srv := stStart(t, func(c *config.Config) {
		c.JournalBodies = true
		c.Specs = config.List{filepath.Join("testdata", "orders", "openapi.yaml")}
	})
	for _, tc := range []struct {
		name, body string
		secrets    []string
		kept       []string
	}{
		{"small", small, []string{"tok_0123456789abcdef", "sk_live_secretsecret"}, []string{`\"cardToken\":\"tok_01…\"`, `\"name\":\"Mug\"`}},
		{"16 KiB", string(order), []string{"tok_4f3c2b1a0e9d8c7b6a5f4e3d", "sk_live_0123456789abcdefghij"}, []string{`\"apiKey\":\"sk_live_…\"`, `SKU-00118`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := srv.do(t, stReq{method: "PUT", path: "/orders/1", token: stAdmin, body: tc.body}); r.status != 200 {
				t.Fatalf("PUT: %s", r)
			}
			r := srv.do(t, stReq{path: "/__standin/requests?limit=1"})
			j := string(r.body)
			if strings.Count(j, `"body":`) != 2 {
				t.Fatalf("want the request's and the response's bodies: %s", j)
			}
			for _, s := range tc.secrets {
				if strings.Contains(j, s) {
					t.Errorf("journal holds %s", s)
				}
			}
			for _, k := range tc.kept {
				if strings.Count(j, k) != 2 {
					t.Errorf("journal holds %s %d times, want 2 (request and response)", k, strings.Count(j, k))
				}
			}
		})
	}
}
