package conform

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestResetHookValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		h    ResetHook
		bad  string
	}{
		{"url", ResetHook{URL: "http://127.0.0.1:1/__standin/reset"}, ""},
		{"command", ResetHook{Command: "true"}, ""},
		{"neither", ResetHook{}, "needs a url"},
		{"both", ResetHook{URL: "http://x", Command: "true"}, "not both"},
		{"relative url", ResetHook{URL: "/__standin/reset"}, "absolute"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.h.validate("api")
			switch {
			case c.bad == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
				t.Fatalf("want an error with %q, got %v", c.bad, err)
			}
		})
	}
}

func TestResetHookRun(t *testing.T) {
	var got string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.URL.Path + " " + r.Header.Get("X-Team")
		if r.URL.Path == "/broken" {
			http.Error(w, "reset refused", http.StatusForbidden)
		}
	}))
	defer ts.Close()
	for _, c := range []struct {
		name    string
		h       ResetHook
		wantErr string
		wantReq string
	}{
		{"POST by default", ResetHook{URL: ts.URL + "/reset", Header: map[string]string{"X-Team": "qa"}}, "", "POST /reset qa"},
		{"explicit method", ResetHook{Method: "PUT", URL: ts.URL + "/reset"}, "", "PUT /reset "},
		{"refused", ResetHook{URL: ts.URL + "/broken"}, "HTTP 403: reset refused", ""},
		{"command", ResetHook{Command: "exit 0"}, "", ""},
		{"failed command", ResetHook{Command: "echo no database; exit 3"}, "no database", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got = ""
			err := c.h.Run(ts.Client(), 5*time.Second)
			if c.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("want an error with %q, got %v", c.wantErr, err)
			}
			if c.wantReq != "" && got != c.wantReq {
				t.Fatalf("request %q, want %q", got, c.wantReq)
			}
		})
	}
}
