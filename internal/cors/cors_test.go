package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidPattern(t *testing.T) {
	tests := []struct {
		pattern string
		wantErr string // empty: valid
	}{
		{"*", ""},
		{"null", ""},
		{"http://localhost:3000", ""},
		{"http://localhost:*", ""},
		{"https://*.example.com", ""},
		{"http://127.0.0.1:8099", ""},
		{"http://[::1]:5173", ""},
		{"chrome-extension://abcdef", ""},
		{"", "empty"},
		{"localhost:3000", "no scheme"},
		{"example.com", "no scheme"},
		{"http://", "no host"},
		{"http://localhost:3000/", "has a path"},
		{"http://localhost:3000/app", "has a path"},
		{"http://localhost?x=1", "has a path"},
		{"http://user@localhost", "user information"},
		{"http://a.com,http://b.com", "comma"},
		{"http://a .com", "space"},
		{"http://" + strings.Repeat("a", MaxPatternLen) + ".test", "more than the maximum"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			err := ValidPattern(tt.pattern)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ValidPattern(%q) = %v, want nil", tt.pattern, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("ValidPattern(%q) = nil, want an error containing %q", tt.pattern, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("ValidPattern(%q) = %v, want it to contain %q", tt.pattern, err, tt.wantErr)
			}
		})
	}
	if _, err := New([]string{"http://ok", "bad"}); err == nil || !strings.Contains(err.Error(), `"bad"`) {
		t.Errorf("New with a bad pattern = %v, want an error naming it", err)
	}
}

func TestAllows(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		origin   string
		want     bool
	}{
		{"any", []string{"*"}, "http://127.0.0.1:8099", true},
		{"any, null origin", []string{"*"}, "null", true},
		{"no Origin header", []string{"*"}, "", false},
		{"off", nil, "http://localhost:3000", false},
		{"exact", []string{"http://localhost:3000"}, "http://localhost:3000", true},
		{"exact, case-insensitive", []string{"HTTP://LocalHost:3000"}, "http://localhost:3000", true},
		{"other port", []string{"http://localhost:3000"}, "http://localhost:3001", false},
		{"other scheme", []string{"http://localhost:3000"}, "https://localhost:3000", false},
		{"port wildcard", []string{"http://localhost:*"}, "http://localhost:5173", true},
		{"port wildcard, other host", []string{"http://localhost:*"}, "http://127.0.0.1:5173", false},
		{"subdomain wildcard", []string{"https://*.example.com"}, "https://app.example.com", true},
		{"subdomain wildcard, deeper", []string{"https://*.example.com"}, "https://a.b.example.com", true},
		{"subdomain wildcard, apex", []string{"https://*.example.com"}, "https://example.com", false},
		{"subdomain wildcard, suffix trick", []string{"https://*.example.com"}, "https://evil.example.com.attacker.net", false},
		{"second pattern", []string{"http://a.test", "http://b.test"}, "http://b.test", true},
		{"null listed", []string{"null"}, "null", true},
		{"null not listed", []string{"http://a.test"}, "null", false},
		{"origin too long", []string{"*"}, "http://" + strings.Repeat("a", MaxOriginLen) + ".test", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.patterns)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Allows(tt.origin); got != tt.want {
				t.Errorf("Allows(%q) with %q = %v, want %v", tt.origin, tt.patterns, got, tt.want)
			}
		})
	}
	var nilPolicy *Policy
	if nilPolicy.Allows("http://a.test") || nilPolicy.On() {
		t.Error("a nil Policy must allow nothing")
	}
}

func TestHandle(t *testing.T) {
	const origin = "http://127.0.0.1:8099"
	tests := []struct {
		name      string
		patterns  []string
		method    string
		header    map[string][]string
		answered  bool              // Handle answered the request itself (preflight)
		status    int               // when answered
		want      map[string]string // response headers that must be present (exact value)
		forbidden []string          // response headers that must be absent
	}{
		{
			name:     "preflight of an allowed origin",
			patterns: []string{"*"},
			method:   http.MethodOptions,
			header: map[string][]string{
				"Origin":                         {origin},
				"Access-Control-Request-Method":  {"GET"},
				"Access-Control-Request-Headers": {"authorization,content-type"},
			},
			answered: true,
			status:   http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin":      origin,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods":     "GET",
				"Access-Control-Allow-Headers":     "authorization,content-type",
				"Access-Control-Max-Age":           MaxAge,
				"Vary":                             "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
			},
			forbidden: []string{"Access-Control-Expose-Headers", "Access-Control-Allow-Private-Network"},
		},
		{
			name:     "preflight reflects the method and asks for private network access",
			patterns: []string{"http://127.0.0.1:*"},
			method:   http.MethodOptions,
			header: map[string][]string{
				"Origin":                                 {origin},
				"Access-Control-Request-Method":          {"DELETE"},
				"Access-Control-Request-Private-Network": {"true"},
			},
			answered: true,
			status:   http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin":          origin,
				"Access-Control-Allow-Methods":         "DELETE",
				"Access-Control-Allow-Private-Network": "true",
			},
			forbidden: []string{"Access-Control-Allow-Headers"},
		},
		{
			name:     "preflight of an origin not allowed goes on, without CORS headers",
			patterns: []string{"http://localhost:3000"},
			method:   http.MethodOptions,
			header: map[string][]string{
				"Origin":                        {origin},
				"Access-Control-Request-Method": {"GET"},
			},
			answered:  false,
			forbidden: []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods"},
		},
		{
			name:     "actual request of an allowed origin",
			patterns: []string{"*"},
			method:   http.MethodGet,
			header:   map[string][]string{"Origin": {origin}},
			want: map[string]string{
				"Access-Control-Allow-Origin":      origin,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Expose-Headers":    ExposedHeaders,
				"Vary":                             "Origin",
			},
			forbidden: []string{"Access-Control-Allow-Methods", "Access-Control-Max-Age"},
		},
		{
			name:      "actual request of an origin not allowed",
			patterns:  []string{"https://*.example.com"},
			method:    http.MethodPost,
			header:    map[string][]string{"Origin": {"https://example.com.evil"}},
			want:      map[string]string{"Vary": "Origin"},
			forbidden: []string{"Access-Control-Allow-Origin", "Access-Control-Expose-Headers"},
		},
		{
			name:      "no Origin: a same-origin or non-browser request",
			patterns:  []string{"*"},
			method:    http.MethodGet,
			want:      map[string]string{"Vary": "Origin"},
			forbidden: []string{"Access-Control-Allow-Origin"},
		},
		{
			name:     "OPTIONS without Access-Control-Request-Method is not a preflight",
			patterns: []string{"*"},
			method:   http.MethodOptions,
			header:   map[string][]string{"Origin": {origin}},
			answered: false,
			want:     map[string]string{"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": ExposedHeaders},
		},
		{
			name:     "off: nothing at all",
			patterns: nil,
			method:   http.MethodOptions,
			header: map[string][]string{
				"Origin":                        {origin},
				"Access-Control-Request-Method": {"GET"},
			},
			answered:  false,
			forbidden: []string{"Access-Control-Allow-Origin", "Vary"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.patterns)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(tt.method, "/v0/clients", nil)
			for k, vs := range tt.header {
				for _, v := range vs {
					r.Header.Add(k, v)
				}
			}
			w := httptest.NewRecorder()
			answered := p.Handle(w, r)
			if answered != tt.answered {
				t.Fatalf("Handle answered = %v, want %v", answered, tt.answered)
			}
			if answered && w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if !answered && w.Body.Len() > 0 {
				t.Errorf("Handle wrote a body without answering: %q", w.Body.String())
			}
			for k, v := range tt.want {
				if got := strings.Join(w.Header().Values(k), ", "); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			for _, k := range tt.forbidden {
				if got := w.Header().Values(k); len(got) > 0 {
					t.Errorf("header %s = %q, want none", k, got)
				}
			}
		})
	}
}

func TestExposedHeadersNamesTheDocumentedOnes(t *testing.T) {
	for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", "Location", "Link"} {
		if !strings.Contains(", "+ExposedHeaders+",", ", "+h+",") {
			t.Errorf("ExposedHeaders %q lacks %s", ExposedHeaders, h)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"*", "", true},
		{"*", "anything", true},
		{"a*c", "abc", true},
		{"a*c", "ac", true},
		{"a*c", "abcd", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"**", "x", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
	}
	for _, tt := range tests {
		if got := match(tt.pattern, tt.s); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
