package kit

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"
)

// IsJSONMediaType reports whether a media type is JSON: application/json
// or a +json suffix (RFC 6839).
func IsJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// CheckJSONEncoding records violations unless a JSON answer is UTF-8, as
// RFC 8259 §8.1 requires of JSON exchanged between systems: its
// Content-Type declares no charset but utf-8 (application/json defines
// none; one other than UTF-8 is a lie or a wrong encoding), the body is
// valid UTF-8, and it starts with no byte order mark. An answer of
// another media type, or without a body, is left alone. what names the
// answer in messages.
func CheckJSONEncoding(t *T, what string, resp Response) {
	ct := resp.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !IsJSONMediaType(mt) || len(resp.Body) == 0 {
		return
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		t.Errorf(Header("Content-Type"), "%s: Content-Type %q declares charset %s; JSON between systems is UTF-8 (RFC 8259 §8.1)", what, ct, cs)
	}
	if bytes.HasPrefix(resp.Body, []byte("\xef\xbb\xbf")) {
		t.Errorf(Body(""), "%s: the body starts with a byte order mark, which JSON text must not (RFC 8259 §8.1)", what)
	}
	if !utf8.Valid(resp.Body) {
		i := 0
		for i < len(resp.Body) {
			r, n := utf8.DecodeRune(resp.Body[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		t.Errorf(Body(""), "%s: the body is not valid UTF-8 (first invalid byte 0x%02x at offset %d of %d); JSON between systems is UTF-8 (RFC 8259 §8.1)", what, resp.Body[i], i, len(resp.Body))
	}
}
