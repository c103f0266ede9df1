package journal_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/standin/standin/internal/journal"
)

// BenchmarkRedactBody is the redaction of one 16 KiB JSON body (an order of
// a hundred line items with two secrets in it), the part of Capture that
// journalBodies adds per body; BenchmarkCapture is Capture whole (headers
// and body). docs/performance.md ("Journaled bodies") has the figures.
func BenchmarkRedactBody(b *testing.B) {
	body := readOrder(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		journal.RedactBody("application/json", body)
	}
}

func BenchmarkCapture(b *testing.B) {
	body := readOrder(b)
	h := http.Header{"Authorization": {"Bearer standin-admin"}, "Content-Type": {"application/json"}, "Accept": {"*/*"}}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		kept := journal.NewBody(0)
		_, _ = kept.Write(body)
		journal.Capture(h, kept)
	}
}

func readOrder(b *testing.B) []byte {
	b.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "order16k.json"))
	if err != nil {
		b.Fatal(err)
	}
	return body
}
