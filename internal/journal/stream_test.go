package journal

import (
	"sync"
	"testing"
)

func TestSubscribe(t *testing.T) {
	j := New(10)
	j.Publish(Entry{Status: 1}) // nobody listens: dropped
	a, stopA := j.Subscribe(2)
	b, stopB := j.Subscribe(1)
	j.Publish(Entry{Status: 200, Token: "standin-admin", Query: "access_token=standin-admin&page=1"})
	j.Publish(Entry{Status: 429})
	if e := <-a; e.Status != 200 || e.Token != "stan…" || e.Query != "access_token=stan%E2%80%A6&page=1" {
		t.Errorf("a got %+v, want status 200, a redacted token and query", e)
	}
	if e := <-a; e.Status != 429 {
		t.Errorf("a got %+v", e)
	}
	if e := <-b; e.Status != 200 {
		t.Errorf("b got %+v", e)
	}
	select {
	case e := <-b:
		t.Errorf("b (buffer 1) got %+v; a slow subscriber misses entries", e)
	default:
	}
	stopA()
	stopA() // twice is harmless
	if _, ok := <-a; ok {
		t.Error("a not closed")
	}
	j.Publish(Entry{Status: 500})
	if e := <-b; e.Status != 500 {
		t.Errorf("b after a left: %+v", e)
	}
	stopB()
	if j.subs.n.Load() != 0 {
		t.Errorf("%d subscribers left", j.subs.n.Load())
	}
}

func TestPublishConcurrent(t *testing.T) {
	j := New(10)
	ch, stop := j.Subscribe(1000)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				j.Publish(Entry{Status: 200})
			}
		})
	}
	wg.Wait()
	stop()
	n := 0
	for range ch {
		n++
	}
	if n != 400 {
		t.Errorf("%d entries, want 400", n)
	}
}

func TestCloseSubscribers(t *testing.T) {
	j := New(10)
	ch, stop := j.Subscribe(1)
	j.CloseSubscribers()
	if _, ok := <-ch; ok {
		t.Error("channel not closed")
	}
	stop() // after CloseSubscribers: no double close
	j.Publish(Entry{})
	ch2, stop2 := j.Subscribe(1)
	defer stop2()
	j.Publish(Entry{Status: 7})
	if e := <-ch2; e.Status != 7 {
		t.Errorf("subscribing after CloseSubscribers: %+v", e)
	}
}
