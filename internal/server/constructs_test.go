package server

import (
	"strconv"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestReadOnlyWriteOnly: a writeOnly property a create sends is never
// answered nor stored; readOnly ones are answered (assigned by the mock).
func TestReadOnlyWriteOnly(t *testing.T) {
	s := stStart(t, func(c *config.Config) {
		c.Specs = []string{"constructs31=../specinfer/testdata/constructs31.yaml", "constructs=../specinfer/testdata/constructs.yaml"}
	})
	r := s.do(t, stReq{method: "POST", path: "/notes", body: `{"text":"Buy milk","secret":"hunter22"}`})
	if r.status != 201 {
		t.Fatalf("create: %s", r)
	}
	note, _ := r.json(t).(map[string]any)
	if _, ok := note["secret"]; ok {
		t.Errorf("the writeOnly secret is answered: %s", r)
	}
	id, ok := note["id"].(float64)
	if !ok || note["text"] != "Buy milk" {
		t.Fatalf("the readOnly id or the text is missing: %s", r)
	}
	back := s.do(t, stReq{path: "/notes/" + strconv.Itoa(int(id))})
	if m, _ := back.json(t).(map[string]any); back.status != 200 || m["secret"] != nil || m["text"] != "Buy milk" {
		t.Errorf("read back: %s", back)
	}
	acc := s.do(t, stReq{method: "POST", path: "/accounts", body: `{"name":"Ada Lovelace","email":"ada@example.com","password":"correct horse"}`})
	if m, _ := acc.json(t).(map[string]any); acc.status != 201 || m["password"] != nil || m["id"] == nil || m["created_at"] == nil {
		t.Errorf("create an account: %s (want no password, an id and a creation time)", acc)
	}
}
