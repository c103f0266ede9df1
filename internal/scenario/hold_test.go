package scenario_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"github.com/standin/standin/internal/scenario"
)

func TestHoldCancelledFreesGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() { done <- scenario.Hold(ctx, time.Hour) }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case timedOut := <-done:
		if timedOut {
			t.Fatal("a cancelled hold reported timedOut")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Hold did not return after cancel")
	}
}

func TestHoldReachesCap(t *testing.T) {
	defer goleak.VerifyNone(t)
	start := time.Now()
	if !scenario.Hold(context.Background(), 20*time.Millisecond) {
		t.Fatal("a hold reaching its cap did not report timedOut")
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Fatal("Hold returned before its cap")
	}
}

func TestWait(t *testing.T) {
	defer goleak.VerifyNone(t)
	if err := scenario.Wait(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := scenario.Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
	if err := scenario.Wait(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("zero wait on a done context: %v", err)
	}
}

// TestHoldClientGoesAway holds a real request and lets the client give up:
// the handler must return promptly and leave no goroutine behind.
func TestHoldClientGoesAway(t *testing.T) {
	defer goleak.VerifyNone(t)
	result := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		result <- scenario.Hold(r.Context(), time.Hour)
	}))
	tr := &http.Transport{}
	client := &http.Client{Transport: tr, Timeout: 50 * time.Millisecond}
	_, err := client.Get(srv.URL)
	if err == nil {
		t.Fatal("the client got an answer to a held request")
	}
	select {
	case timedOut := <-result:
		if timedOut {
			t.Fatal("timedOut after the client went away")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the held handler did not notice the client left")
	}
	tr.CloseIdleConnections()
	srv.Close()
}

func faultServer(t *testing.T, kind string, errc chan<- error) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errc <- scenario.Fault(w, kind)
	}))
}

func TestFault(t *testing.T) {
	defer goleak.VerifyNone(t)
	tests := []struct {
		kind  string
		check func(t *testing.T, resp *http.Response, err error)
	}{
		{scenario.FaultConnectionReset, func(t *testing.T, resp *http.Response, err error) {
			if err == nil {
				resp.Body.Close()
				t.Fatal("got a response")
			}
			if !errors.Is(err, syscall.ECONNRESET) && !strings.Contains(err.Error(), "reset") {
				t.Errorf("want a connection reset, got %v", err)
			}
		}},
		{scenario.FaultEmptyReply, func(t *testing.T, resp *http.Response, err error) {
			if err == nil {
				resp.Body.Close()
				t.Fatal("got a response")
			}
			if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") {
				t.Errorf("want EOF, got %v", err)
			}
		}},
		{scenario.FaultTruncated, func(t *testing.T, resp *http.Response, err error) {
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 || resp.ContentLength <= 0 {
				t.Fatalf("status %d, length %d", resp.StatusCode, resp.ContentLength)
			}
			body, err := io.ReadAll(resp.Body)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("want ErrUnexpectedEOF, got %v", err)
			}
			if len(body) == 0 || int64(len(body)) >= resp.ContentLength {
				t.Fatalf("read %d of %d bytes", len(body), resp.ContentLength)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			errc := make(chan error, 1)
			srv := faultServer(t, tc.kind, errc)
			defer srv.Close()
			tr := &http.Transport{DisableKeepAlives: true}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
			tc.check(t, resp, err)
			if ferr := <-errc; ferr != nil {
				t.Fatalf("Fault: %v", ferr)
			}
		})
	}
}

func TestFaultCannotHijack(t *testing.T) {
	for _, kind := range []string{scenario.FaultConnectionReset, scenario.FaultEmptyReply, scenario.FaultTruncated} {
		rec := httptest.NewRecorder()
		err := scenario.Fault(rec, kind)
		if !errors.Is(err, http.ErrNotSupported) {
			t.Fatalf("%s on a recorder: %v", kind, err)
		}
		if rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != "" {
			t.Fatalf("%s wrote before failing", kind)
		}
	}
	if err := scenario.Fault(httptest.NewRecorder(), "explode"); !errors.Is(err, scenario.ErrUnknownFault) {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestFaultHTTP2FallsBack(t *testing.T) {
	errc := make(chan error, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := scenario.Fault(passThrough{w}, scenario.FaultTruncated)
		errc <- err
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"h2"}
	client.Transport.(*http.Transport).ForceAttemptHTTP2 = true
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Skipf("HTTP/2 not negotiated (%s)", resp.Proto)
	}
	if err := <-errc; !errors.Is(err, http.ErrNotSupported) || resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("HTTP/2 fault: %v, status %d", err, resp.StatusCode)
	}
}

// FuzzLoad loads arbitrary bytes as a scenario file: no panic, and a
// scenario it accepts has a description and an effect and can be selected.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("description: d\neffect:\n  status: 429\n  headers:\n    Retry-After: \"1\"\n"))
	f.Add([]byte("description: d\noperations: [a, b]\neffect:\n  delay: 2s\n  maxDelay: 3s\n"))
	f.Add([]byte("description: d\neffect:\n  hold: true\n  holdCap: 1s\n  fault: truncated\n  dataSet: large\n"))
	f.Add([]byte("name: x\napi: a\ndescription: d\neffect: {actAs: t, queryBudget: 1s}\n"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("--- \n---\n"))
	f.Add([]byte("effect: !!binary aGk=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := scenario.Load(fstest.MapFS{"a/x.yaml": {Data: data}})
		if err != nil && !strings.Contains(err.Error(), "a/x.yaml") {
			t.Fatalf("the error does not name the file: %v", err)
		}
		if err == nil {
			s, ok := reg.Lookup("a", "x")
			if !ok || s.Effect.IsZero() || s.Description == "" {
				t.Fatalf("loaded an invalid scenario: %+v", s)
			}
			_, _ = reg.Select("a", httptest.NewRequest("GET", "/?__scenario=x", nil))
		}
	})
}

// passThrough wraps a writer the way servers do: it always offers Hijack and
// unwraps to the writer below.
type passThrough struct{ http.ResponseWriter }

func (p passThrough) Unwrap() http.ResponseWriter { return p.ResponseWriter }
func (p passThrough) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(p.ResponseWriter).Hijack()
}

func TestFaultThroughWrapper(t *testing.T) {
	defer goleak.VerifyNone(t)
	// Below the wrapper a recorder: no hijacking, and nothing written.
	rec := httptest.NewRecorder()
	if err := scenario.Fault(passThrough{rec}, scenario.FaultTruncated); !errors.Is(err, http.ErrNotSupported) || rec.Body.Len() != 0 {
		t.Fatalf("wrapped recorder: %v, %d bytes written", err, rec.Body.Len())
	}
	// Below the wrapper a real connection: the fault happens.
	errc := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errc <- scenario.Fault(passThrough{w}, scenario.FaultTruncated)
	}))
	defer srv.Close()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("want a truncated body, got %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
