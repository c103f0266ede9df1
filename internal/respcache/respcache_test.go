package respcache

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"pgregory.net/rapid"
)

func key(parts ...string) []byte {
	k := &KeyBuilder{}
	for _, p := range parts {
		k.String(p)
	}
	return k.Key()
}

func TestGetPut(t *testing.T) {
	type step struct {
		op      string // put, get
		key     string
		version uint64
		body    string // put: what; get: want ("" = miss)
	}
	cases := []struct {
		name  string
		steps []step
		stale uint64
	}{
		{"miss on empty", []step{{"get", "a", 1, ""}}, 0},
		{"hit at the version", []step{{"put", "a", 1, "x"}, {"get", "a", 1, "x"}}, 0},
		{"other version is a miss", []step{{"put", "a", 1, "x"}, {"get", "a", 2, ""}, {"get", "a", 0, ""}}, 2},
		{"newer put replaces", []step{{"put", "a", 1, "x"}, {"put", "a", 2, "y"}, {"get", "a", 2, "y"}, {"get", "a", 1, ""}}, 1},
		{"older put does not replace a newer", []step{{"put", "a", 2, "y"}, {"put", "a", 1, "x"}, {"get", "a", 2, "y"}}, 0},
		{"keys apart", []step{{"put", "a", 1, "x"}, {"put", "b", 1, "y"}, {"get", "a", 1, "x"}, {"get", "b", 1, "y"}, {"get", "c", 1, ""}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cache := New(1<<20, 0)
			for i, s := range c.steps {
				switch s.op {
				case "put":
					cache.Put(string(key(s.key)), s.version, 200, http.Header{}, []byte(s.body))
				case "get":
					e, ok := cache.Get(key(s.key), s.version)
					got := ""
					if ok {
						got = string(e.Body)
					}
					if got != s.body {
						t.Fatalf("step %d: get %s@%d = %q, want %q", i, s.key, s.version, got, s.body)
					}
				}
			}
			if st := cache.Stats(); st.Stale != c.stale {
				t.Errorf("stale %d, want %d", st.Stale, c.stale)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	cache := New(10_000, 2_000)
	if cache.Put("big", 1, 200, nil, make([]byte, 2_000)) {
		t.Fatal("an entry over the entry bound was kept")
	}
	// a hot entry, hit between every put, survives while others churn
	hot := string(key("hot"))
	cache.Put(hot, 1, 200, nil, make([]byte, 500))
	for i := range 200 {
		cache.Put(string(key(fmt.Sprint(i))), 1, 200, http.Header{"X": {"y"}}, make([]byte, 500))
		if st := cache.Stats(); st.Bytes > 10_000 {
			t.Fatalf("after %d puts the cache holds %d bytes, over its bound", i, st.Bytes)
		}
		if _, ok := cache.Get([]byte(hot), 1); !ok {
			t.Fatalf("the hot entry was evicted after %d puts", i)
		}
	}
	st := cache.Stats()
	if st.Evictions == 0 || st.Entries >= 200 || st.Entries < 5 {
		t.Errorf("stats %+v", st)
	}
	cache.Clear()
	if st := cache.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("after Clear: %+v", st)
	}
	if _, ok := cache.Get([]byte(hot), 1); ok {
		t.Error("hit after Clear")
	}
}

// Different lists of parts never make the same key.
func TestKeyBuilderInjective(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.SliceOfN(rapid.StringOf(rapid.SampledFrom([]rune{'a', ':', '1', '#', '0'})), 0, 4)
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		ka, kb := key(a...), key(b...)
		if bytes.Equal(ka, kb) != slices.Equal(a, b) {
			t.Fatalf("%q and %q give keys %q and %q", a, b, ka, kb)
		}
		var sa, sb KeyBuilder
		sa.Strings(a)
		sb.Strings(b)
		if bytes.Equal(sa.Key(), sb.Key()) != slices.Equal(a, b) {
			t.Fatalf("Strings: %q and %q give keys %q and %q", a, b, sa.Key(), sb.Key())
		}
	})
}

// Read adds the same part as Bytes of what it read, when the reader holds
// at most max bytes; past max, or on an error, it is not whole and returns
// what it read.
func TestKeyBuilderRead(t *testing.T) {
	const max = 600
	long := strings.Repeat("x", 2*max)
	tests := []struct {
		name  string
		r     io.Reader
		want  string // what p holds
		whole bool
	}{
		{"empty", strings.NewReader(""), "", true},
		{"short", strings.NewReader(`{"query":"{ a }"}`), `{"query":"{ a }"}`, true},
		{"max, a byte at a time", iotest.OneByteReader(strings.NewReader(long[:max])), long[:max], true},
		{"a byte over", strings.NewReader(long[:max+1]), long[:max+1], false},
		{"far over", strings.NewReader(long), long[:max+1], false},
		{"an error", io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(errors.New("cut"))), "ab", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var k KeyBuilder
			k.String("raw")
			p, whole := k.Read(tc.r, max)
			if string(p) != tc.want || whole != tc.whole {
				t.Fatalf("Read = %q (%d bytes), %v; want %d bytes, %v", p, len(p), whole, len(tc.want), tc.whole)
			}
			if !whole {
				return
			}
			var b KeyBuilder
			b.String("raw").Bytes([]byte(tc.want))
			if !bytes.Equal(k.Key(), b.Key()) {
				t.Errorf("key %q, want Bytes' %q", k.Key(), b.Key())
			}
		})
	}
}

// Model: the cache answers a get with the body last put for the key at that
// version, or misses; it never answers another key's or version's body, and
// stays within its bound.
func TestAgainstModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		max := rapid.Int64Range(500, 5_000).Draw(t, "max")
		cache := New(max, 0)
		type kv struct {
			key     string
			version uint64
		}
		model := map[string]kv{} // key -> last kept put
		bodies := map[kv]string{}
		for range rapid.IntRange(1, 100).Draw(t, "steps") {
			k := rapid.SampledFrom([]string{"a", "b", "c", "d", "e"}).Draw(t, "key")
			v := rapid.Uint64Range(0, 3).Draw(t, "version")
			if rapid.Bool().Draw(t, "put") {
				body := fmt.Sprintf("%s@%d/%d", k, v, rapid.IntRange(0, 400).Draw(t, "size"))
				if cache.Put(string(key(k)), v, 200, nil, []byte(body)) {
					model[k] = kv{k, v}
					bodies[kv{k, v}] = body
				}
			} else if e, ok := cache.Get(key(k), v); ok {
				if m, ok := model[k]; !ok || m.version != v || string(e.Body) != bodies[m] {
					t.Fatalf("get %s@%d = %q; last put %v %q", k, v, e.Body, m, bodies[m])
				}
			}
			if st := cache.Stats(); st.Bytes > max {
				t.Fatalf("%d bytes held, bound %d", st.Bytes, max)
			}
		}
	})
}

// Concurrent gets, puts and clears: run with -race. A get never returns an
// entry of another key or version.
func TestConcurrent(t *testing.T) {
	cache := New(64<<10, 0)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kb := cache.Key()
			defer cache.Release(kb)
			for i := range 3000 {
				k := fmt.Sprint(i % 50)
				v := uint64(i / 100)
				kb = cache.Key()
				kb.String(k)
				if e, ok := cache.Get(kb.Key(), v); ok {
					if want := fmt.Sprintf("%s@%d", k, v); string(e.Body) != want {
						t.Errorf("got %q, want %q", e.Body, want)
						return
					}
				} else {
					cache.Put(string(kb.Key()), v, 200, http.Header{"Content-Length": {"3"}}, []byte(fmt.Sprintf("%s@%d", k, v)))
				}
				cache.Release(kb)
				if g == 0 && i%500 == 0 {
					cache.Clear()
				}
			}
		}()
	}
	wg.Wait()
}

func TestCapture(t *testing.T) {
	cases := []struct {
		name   string
		limit  int64
		handle func(w http.ResponseWriter)
		status int
		keep   bool
		header string // X-Handler in the kept headers
	}{
		{"whole answer", 100, func(w http.ResponseWriter) {
			w.Header().Set("X-Handler", "yes")
			w.WriteHeader(201)
			_, _ = w.Write([]byte("hello "))
			_, _ = w.Write([]byte("world"))
		}, 201, true, "yes"},
		{"implicit 200", 100, func(w http.ResponseWriter) { _, _ = w.Write([]byte("hi")) }, 200, true, ""},
		{"over the limit", 4, func(w http.ResponseWriter) { _, _ = w.Write([]byte("hello")) }, 200, false, ""},
		{"flushed: a stream", 100, func(w http.ResponseWriter) {
			_, _ = w.Write([]byte("a"))
			w.(http.Flusher).Flush()
			_, _ = w.Write([]byte("b"))
		}, 200, false, ""},
		{"nothing written", 100, func(http.ResponseWriter) {}, 0, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("X-Before", "set before the handler")
			cw := NewCapture(rec, c.limit)
			c.handle(cw)
			status, h, body, ok := cw.Result()
			if ok != c.keep || status != c.status {
				t.Fatalf("Result: status %d keep %v, want %d %v", status, ok, c.status, c.keep)
			}
			if !ok {
				return
			}
			if !bytes.Equal(body, rec.Body.Bytes()) {
				t.Errorf("kept %q, sent %q", body, rec.Body.Bytes())
			}
			if h.Get("X-Before") != "" || h.Get("X-Handler") != c.header || h.Get("Content-Length") != fmt.Sprint(len(body)) {
				t.Errorf("kept headers %v", h)
			}
			if rec.Header().Get("X-Handler") != c.header || rec.Header().Get("X-Before") == "" {
				t.Errorf("sent headers %v", rec.Header())
			}
			// and the entry sends the same again
			cache := New(1<<20, 0)
			cache.Put("k", 1, status, h, body)
			e, _ := cache.Get([]byte("k"), 1)
			again := httptest.NewRecorder()
			if err := e.WriteTo(again); err != nil || again.Code != rec.Code || again.Body.String() != rec.Body.String() {
				t.Errorf("replayed %d %q, first %d %q", again.Code, again.Body, rec.Code, rec.Body)
			}
		})
	}
}

// An answer that went stale without being served is captured again only
// every RetryEvery-th miss; one that was served, at once.
func TestLookupKeep(t *testing.T) {
	cases := []struct {
		name   string
		served bool
		want   []bool // keep, for the misses after the version moved
	}{
		{"never served: backs off", false, []bool{false, false, false, false, false, false, false, true, false}},
		{"served: kept again at once", true, []bool{true, true, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cache := New(1<<20, 0)
			if _, hit, keep := cache.Lookup([]byte("k"), 1); hit || !keep {
				t.Fatalf("first miss: hit %v keep %v", hit, keep)
			}
			cache.Put("k", 1, 200, nil, []byte("a"))
			if c.served {
				if _, hit, _ := cache.Lookup([]byte("k"), 1); !hit {
					t.Fatal("no hit")
				}
			}
			var got []bool
			for range c.want {
				_, hit, keep := cache.Lookup([]byte("k"), 2)
				if hit {
					t.Fatal("hit at another version")
				}
				got = append(got, keep)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("keep %v, want %v", got, c.want)
			}
		})
	}
}
