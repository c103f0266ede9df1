package kit

import (
	"sync"
)

// MaxInFlight bounds the requests Concurrently keeps in flight at once.
const MaxInFlight = 128

// Concurrently runs f n times at once, each on a T of its own (requests,
// exchanges and violations apart), released together after every worker
// is ready, at most MaxInFlight at a time. It returns when all are done;
// each run's violations are then t's, and its exchanges are kept in t in
// the order of i. A run that stops (Skip, FailNow, a transport error)
// stops only itself; a Skip of any run skips the step.
func (t *T) Concurrently(n int, f func(i int, t *T)) {
	ts := make([]*T, n)
	for i := range ts {
		ts[i] = NewT(t.env, t.api)
	}
	workers := min(n, MaxInFlight)
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(workers)
	done.Add(workers)
	for range workers {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			for i := range next {
				ts[i].Run(func(c *T) { f(i, c) })
			}
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	skip := ""
	for _, c := range ts {
		t.exchanges = append(t.exchanges, c.exchanges...)
		t.violations = append(t.violations, c.violations...)
		if c.skip != "" && skip == "" {
			skip = c.skip
		}
	}
	if skip != "" {
		t.Skip("%s", skip)
	}
}
