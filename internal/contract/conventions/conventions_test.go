package conventions

import (
	"slices"
	"strings"
	"testing"
)

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

// normReference is Norm as first written (a strings.Replacer built per
// call: a quarter of GitHub's start-up): the fast Norm must agree with it.
func normReference(name string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(name))
}

func TestNorm(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"petId", "petid"}, {"pet_id", "petid"}, {"pet-id", "petid"}, {"Pet ID", "petid"}, {"id", "id"}, {"", ""},
		{"ÄrgerID", "ärgerid"}, {"_-_", ""},
	} {
		if got := Norm(c.in); got != c.want || got != normReference(c.in) {
			t.Errorf("Norm(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzNorm(f *testing.F) {
	f.Add("pet_Id")
	f.Add("İd")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Norm(s), normReference(s); got != want {
			t.Errorf("Norm(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestWords: a name's words, lower case, at case changes, acronyms and
// separators.
func TestWords(t *testing.T) {
	for name, want := range map[string][]string{
		"authorName":     {"author", "name"},
		"author_name":    {"author", "name"},
		"HTTPServer":     {"http", "server"},
		"HTTPStatus":     {"http", "status"},
		"isbn":           {"isbn"},
		"a.b-c":          {"a", "b", "c"},
		"userID":         {"user", "id"},
		"issue-number.x": {"issue", "number", "x"},
		"team slug":      {"team", "slug"},
		"__":             nil,
	} {
		if got := Words(name); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestName: the matchers the name rules of thumb read.
func TestName(t *testing.T) {
	n := Name(Norm("createdDate"))
	if !n.Has("date") || n.Has("time") || !n.EndsWith("date") || !n.Is("createddate") || n.Is("date") {
		t.Errorf("createdDate: Has/EndsWith/Is disagree with the name %q", n)
	}
	if Name("date").EndsWith("date") {
		t.Error(`"date" ends with "date" counted: a suffix must leave something before it`)
	}
}

// TestSingular: the common English plurals made singular; a word that is
// none by them comes back as it is.
func TestSingular(t *testing.T) {
	for in, want := range map[string]string{
		"collections": "collection", "policies": "policy", "addresses": "address", "boxes": "box",
		"batches": "batch", "wishes": "wish", "shelves": "shelf", "pets": "pet",
		"class": "class", "data": "data", "address": "address",
	} {
		if got := Singular(in); got != want {
			t.Errorf("Singular(%q) = %q, want %q", in, got, want)
		}
	}
}
