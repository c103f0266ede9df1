package render

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/standin/standin/internal/manifest"
)

func TestRESTBodyFillsTemplate(t *testing.T) {
	api := &manifest.API{Errors: map[int]manifest.ErrorShape{
		404: {Message: "Client not found", Code: "not_found", Body: map[string]any{"error": map[string]any{"code": "{{code}}", "message": "{{message}}", "status": "{{status}}", "text": "status {{status}}: {{message}}"}}},
		429: {Message: "Too many", Body: map[string]any{"success": false, "error": "{{message}}"}, Headers: map[string]string{"Retry-After": "900"}},
	}}
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Status: 404}, `{"error":{"code":"not_found","message":"Client not found","status":404,"text":"status 404: Client not found"}}`},
		{Problem{Status: 404, Message: "gone", Code: "x"}, `{"error":{"code":"x","message":"gone","status":404,"text":"status 404: gone"}}`},
		{Problem{Status: 429}, `{"error":"Too many","success":false}`},
		{Problem{Status: 418}, `{"error":"Error 418"}`},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(RESTBody(api, tt.p))
		if string(got) != tt.want {
			t.Errorf("RESTBody(%+v) = %s, want %s", tt.p, got, tt.want)
		}
	}
	w := httptest.NewRecorder()
	REST(w, api, Problem{Status: 429, Headers: map[string]string{"X-Extra": "1"}})
	if w.Code != 429 || w.Header().Get("Retry-After") != "900" || w.Header().Get("X-Extra") != "1" || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("REST wrote %d %v", w.Code, w.Header())
	}
}

func TestGraphQLBody(t *testing.T) {
	api := &manifest.API{Errors: map[int]manifest.ErrorShape{401: {Message: "auth", Code: "UNAUTHORIZED", GraphQLCode: "UNAUTHENTICATED"}}}
	got, _ := json.Marshal(GraphQLBody(api, Problem{Status: 401, Extensions: map[string]any{"hint": "token"}}))
	want := `{"errors":[{"extensions":{"code":"UNAUTHENTICATED","hint":"token"},"message":"auth"}]}`
	if string(got) != want {
		t.Errorf("GraphQLBody = %s, want %s", got, want)
	}
}
