package kit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/manifest"
)

// TestRequestBodiesAreChunked: a body goes without a Content-Length
// (chunked), so a Go reverse proxy in front of the target cannot cut the
// answer; a target that answers 411 to that gets the request again with a
// Content-Length, as does every later request of its API.
func TestRequestBodiesAreChunked(t *testing.T) {
	type seen struct {
		length   int64
		chunked  bool
		body     string
		answered int
	}
	for _, tc := range []struct {
		name       string
		refuse     bool // the target answers 411 to a chunked body
		wantChunks []bool
	}{
		{"chunked by default", false, []bool{true, true}},
		{"length after a 411", true, []bool{true, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []seen
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				s := seen{length: r.ContentLength, chunked: len(r.TransferEncoding) > 0, body: string(b)}
				if tc.refuse && s.chunked {
					s.answered = http.StatusLengthRequired
					got = append(got, s)
					w.WriteHeader(http.StatusLengthRequired)
					return
				}
				s.answered = http.StatusOK
				got = append(got, s)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"data":{}}`)
			}))
			defer ts.Close()
			env := &Env{Config: conform.Config{Timeout: manifest.Duration(5 * time.Second)}, Client: ts.Client(), Coverage: NewCoverage()}
			a := &API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{BaseURL: ts.URL}}
			for i := 0; i < 2; i++ {
				tt := NewT(env, a)
				if r := tt.Do(Request{Method: http.MethodPost, Path: "/graphql", Body: JSON([]byte(`{"query":"{ a }"}`))}); r.Status != http.StatusOK {
					t.Fatalf("request %d: status %d", i, r.Status)
				}
			}
			if len(got) != len(tc.wantChunks) {
				t.Fatalf("target saw %d requests, want %d: %+v", len(got), len(tc.wantChunks), got)
			}
			for i, s := range got {
				if s.chunked != tc.wantChunks[i] {
					t.Errorf("request %d: chunked %v, want %v (Content-Length %d)", i, s.chunked, tc.wantChunks[i], s.length)
				}
				if !s.chunked && s.length != int64(len(s.body)) {
					t.Errorf("request %d: Content-Length %d for a body of %d bytes", i, s.length, len(s.body))
				}
				if s.body != `{"query":"{ a }"}` {
					t.Errorf("request %d: body %q", i, s.body)
				}
			}
		})
	}
}
