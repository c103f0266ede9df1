package kit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/manifest"
)

// TestConcurrently: the runs are in flight together (the target sees them
// overlap), each run's exchanges and violations end in t in run order, and
// a failing run does not stop the others.
func TestConcurrently(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer ts.Close()
	env := &Env{Config: conform.Config{Timeout: manifest.Duration(5 * time.Second)}, Client: &http.Client{}, Coverage: NewCoverage()}
	a := &API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{BaseURL: ts.URL}}
	tt := NewT(env, a)
	const n = 20
	tt.Concurrently(n, func(i int, c *T) {
		c.Do(Request{Method: http.MethodGet, Path: fmt.Sprintf("/r/%d", i)})
		if i == 3 {
			c.Fatalf(Status(), "run %d fails", i)
		}
	})
	if most < n/2 {
		t.Errorf("at most %d requests were in flight together, want about %d", most, n)
	}
	ex := tt.Exchanges()
	if len(ex) != n {
		t.Fatalf("%d exchanges, want %d", len(ex), n)
	}
	for i, e := range ex {
		if e.URL != fmt.Sprintf("%s/r/%d", ts.URL, i) {
			t.Errorf("exchange %d is %s", i, e.URL)
		}
	}
	if v := tt.Violations(); len(v) != 1 || v[0].Message != "run 3 fails" {
		t.Errorf("violations %+v", v)
	}
}
