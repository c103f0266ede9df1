package conventions

import "testing"

func TestIsJSON(t *testing.T) {
	for mt, want := range map[string]bool{
		"application/json": true, "Application/JSON; charset=utf-8": true, "application/problem+json": true,
		"application/merge-patch+json": true, "text/plain": false, "application/xml": false, "": false,
		"application/jsonl": false,
	} {
		if got := IsJSON(mt); got != want {
			t.Errorf("IsJSON(%q) = %v, want %v", mt, got, want)
		}
	}
}

func TestIDLike(t *testing.T) {
	for name, want := range map[string]bool{"id": true, "petId": true, "pet_id": true, "UUID": true, "key": true, "name": false, "idea": false} {
		if got := IDLike(name); got != want {
			t.Errorf("IDLike(%q) = %v, want %v", name, got, want)
		}
	}
}
