// Package conventions holds the names the project reads contracts by,
// written once: which media types are JSON, which query parameters page a
// list, which record fields are keys. Inference (package specinfer), the
// engines and the checks read them here.
package conventions

import (
	"mime"
	"strings"
	"unicode"
)

// IsJSON reports whether a media type (parameters allowed, any case) is
// JSON: application/json, or a type with the +json structured syntax
// suffix (application/problem+json, application/merge-patch+json).
func IsJSON(mediaType string) bool {
	mt := strings.ToLower(strings.TrimSpace(mediaType))
	if parsed, _, err := mime.ParseMediaType(mt); err == nil {
		mt = parsed
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// Paging are the names of the query parameters that page a list, each in
// order of preference: Page and Size page by number (page=2&size=20),
// Offset and Limit by position (offset=40&limit=20).
type Paging struct {
	Page, Size, Offset, Limit []string
}

// PagingNames are the paging parameter names inference binds.
func PagingNames() Paging {
	return Paging{
		Page:   []string{"page"},
		Size:   []string{"size", "pageSize", "page_size", "per_page", "perPage"},
		Offset: []string{"offset", "skip"},
		Limit:  []string{"limit", "take", "count", "max"},
	}
}

// Norm is a field or parameter name reduced for comparison: lower case,
// without "_", "-" and spaces (petId, pet_id and pet-id are "petid").
func Norm(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	changed := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '-' || c == ' ':
			changed = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			changed = true
		case c >= 0x80:
			// not ASCII: as strings.ToLower does it
			return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(name))
		}
		b.WriteByte(c)
	}
	if !changed {
		return name
	}
	return b.String()
}

// IDLike reports whether a field name reads as an identifier: ends in
// "id" (id, petId, pet_id), or is uuid, key or guid.
func IDLike(field string) bool {
	n := Norm(field)
	return strings.HasSuffix(n, "id") || n == "uuid" || n == "key" || n == "guid"
}

// Words splits a field or parameter name into lower-case words at case
// changes (an acronym ends before the capital that starts the next word),
// underscores, dashes, dots and spaces: authorName, author_name and
// HTTPServer are [author name] and [http server]; none for a name of
// separators alone.
func Words(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ':
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// Name is a field name normalised by Norm, which the name rules of thumb
// (what a field holds, by its name) match on.
type Name string

// Has reports whether the name contains any of parts.
func (n Name) Has(parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(string(n), p) {
			return true
		}
	}
	return false
}

// Is reports whether the name is one of names.
func (n Name) Is(names ...string) bool {
	for _, p := range names {
		if string(n) == p {
			return true
		}
	}
	return false
}

// EndsWith reports whether the name ends with one of parts and is longer
// than it (createdDate ends with date; date itself does not).
func (n Name) EndsWith(parts ...string) bool {
	for _, p := range parts {
		if strings.HasSuffix(string(n), p) && len(n) > len(p) {
			return true
		}
	}
	return false
}

// Singular makes an English plural singular by the common endings
// (policies: policy, addresses: address, shelves: shelf, pets: pet); a
// word that is no plural by them (class, data) comes back as it is.
// Collection names, paths and fields are read by it.
func Singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "lves"):
		return s[:len(s)-3] + "f"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return s[:len(s)-1]
	}
	return s
}
