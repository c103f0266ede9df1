package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// started is a mockserver run by a test.
type started struct {
	base   string
	stdout *syncBuf
	stderr *syncBuf
	stop   func() int
}

// startServe runs serve with args and waits for the start-up banner.
func startServe(t *testing.T, args []string, environ map[string]string) *started {
	t.Helper()
	s := &started{stdout: &syncBuf{}, stderr: &syncBuf{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- serve(ctx, args, env(environ), s.stdout, s.stderr) }()
	var once bool
	var code int
	s.stop = func() int {
		if !once {
			once = true
			http.DefaultClient.CloseIdleConnections()
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Error("no shutdown within 20s")
			}
		}
		return code
	}
	t.Cleanup(func() { s.stop() })
	urlRe := regexp.MustCompile(`Standin mock server on (http://[0-9.:]+)`)
	for deadline := time.Now().Add(60 * time.Second); ; {
		if m := urlRe.FindStringSubmatch(s.stdout.String()); m != nil && strings.Contains(s.stdout.String(), "Control API:") {
			s.base = m[1]
			return s
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner; stdout %q stderr %q", s.stdout.String(), s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJSONLogLineCarriesTheRequest(t *testing.T) {
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--log-format", "json"}, nil)
	req, _ := http.NewRequest("GET", s.base+"/v0/clients", nil)
	req.Header.Set("Authorization", "Bearer standin-admin")
	req.Header.Set("X-Standin-Scenario", "rate-limited")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if id == "" {
		t.Fatal("no X-Request-Id in the response")
	}
	var line map[string]any
	for deadline := time.Now().Add(5 * time.Second); line == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(s.stderr.String()))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("a log line is not JSON: %q", sc.Text())
			}
			if m["msg"] == "request" && m["request_id"] == id {
				line = m
			}
		}
	}
	if line == nil {
		t.Fatalf("no JSON request line with request_id %s in:\n%s", id, s.stderr.String())
	}
	for k, want := range map[string]any{"api": "clients-v0", "operation": "listClients", "status": float64(429), "scenario": "rate-limited"} {
		if line[k] != want {
			t.Errorf("%s = %v, want %v (line %v)", k, line[k], want, line)
		}
	}
	if _, ok := line["duration"].(float64); !ok {
		t.Errorf("duration %v is not a number", line["duration"])
	}
}
