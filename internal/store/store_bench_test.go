package store_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/standin/standin/internal/store"
)

// benchStore fills one collection with n records shaped like a clients-v0
// record (unique client_id and email_address).
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	s := store.New()
	if err := s.Define(store.Definition{Name: "clients", Unique: []string{"client_id", "email_address"}}); err != nil {
		b.Fatal(err)
	}
	const batch = 10000
	recs := make([]store.Record, 0, batch)
	for i := 1; i <= n; i++ {
		recs = append(recs, store.Record{
			"client_id":     float64(i),
			"email_address": "client" + strconv.Itoa(i) + "@example.com",
			"first_name":    "Иван",
			"last_name":     "Иванов",
		})
		if len(recs) == batch || i == n {
			if err := s.Insert("clients", recs...); err != nil {
				b.Fatal(err)
			}
			recs = recs[:0]
		}
	}
	return s
}

var sizes = []int{1_000, 1_000_000}

// BenchmarkGet is a lookup by a unique field near the end of the collection:
// its cost must not depend on the collection's size.
func BenchmarkGet(b *testing.B) {
	for _, n := range sizes {
		s := benchStore(b, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			key := float64(n - 7)
			b.ReportAllocs()
			for b.Loop() {
				if _, ok, err := s.Get("clients", "client_id", key); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// BenchmarkSlice is a 20-record page at the start and after a cursor near
// the end: both must cost the same at any size.
func BenchmarkSlice(b *testing.B) {
	for _, n := range sizes {
		s := benchStore(b, n)
		for _, c := range []struct {
			name string
			w    store.Window
		}{
			{"start", store.Window{First: 20, Last: -1}},
			{"deep", store.Window{After: uint64(n - 30), First: 20, Last: -1}},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					p, err := s.Slice("clients", c.w)
					if err != nil || len(p.Items) != 20 {
						b.Fatal(len(p.Items), err)
					}
				}
			})
		}
	}
}

// BenchmarkGetParallel is Get from every core at once (read lock sharing).
func BenchmarkGetParallel(b *testing.B) {
	s := benchStore(b, 1_000_000)
	b.Run("n=1000000", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				if _, ok, _ := s.Get("clients", "client_id", float64(1+i%1_000_000)); !ok {
					b.Error("missing")
					return
				}
			}
		})
	})
}
