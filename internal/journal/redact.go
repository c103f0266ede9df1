package journal

import (
	"bytes"
	"mime"
	"net/url"
	"strings"
)

// RedactBody returns body with every secret value cut to its Redact
// prefix, by one pass over the body (no regular expression, nothing
// decoded); body itself is returned when nothing is secret, and is never
// changed. What is secret (see secretName for the names):
//
//   - a JSON body (a JSON media type, "+json", or any other type but the
//     two below whose text starts with { or [): the string and number
//     values of members whose name is secret, and the strings and numbers
//     of an array such a member holds; also in a body cut short or
//     otherwise invalid (redactJSON);
//   - an application/x-www-form-urlencoded body: the values of secret
//     fields;
//   - a multipart/form-data body: the content of secret parts.
//
// Other bodies are returned as they are.
func RedactBody(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	mt, params := mediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		return redactForm(body)
	case mt == "multipart/form-data":
		return redactMultipart(body, params["boundary"])
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || looksJSON(body):
		return redactJSON(body)
	}
	return body
}

// mediaType is the media type of a Content-Type value, lower case, and
// its parameters when it has any (only multipart needs them).
func mediaType(contentType string) (string, map[string]string) {
	if contentType == "" {
		return "", nil
	}
	if !strings.ContainsRune(contentType, ';') {
		return strings.ToLower(strings.TrimSpace(contentType)), nil
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	return mt, params
}

// looksJSON reports whether a body's text starts as a JSON object or array.
func looksJSON(body []byte) bool {
	i := skipSpace(body, 0)
	return i < len(body) && (body[i] == '{' || body[i] == '[')
}

// redactForm redacts the values of the secret fields of a form body
// (name=value pairs joined by &), keeping every other byte.
func redactForm(body []byte) []byte {
	var out []byte
	last := 0
	for start := 0; start <= len(body); {
		end := bytes.IndexByte(body[start:], '&')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		part := body[start:end]
		if eq := bytes.IndexByte(part, '='); eq >= 0 && formSecret(part[:eq]) {
			val := string(part[eq+1:])
			if v, err := url.QueryUnescape(val); err == nil {
				val = v
			}
			if out == nil {
				out = make([]byte, 0, len(body))
			}
			out = append(out, body[last:start+eq+1]...)
			out = append(out, url.QueryEscape(Redact(val))...)
			last = end
		}
		start = end + 1
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// formSecret reports whether a form field's name, as sent (escaped), is
// secret.
func formSecret(name []byte) bool {
	if bytes.IndexByte(name, '%') < 0 && bytes.IndexByte(name, '+') < 0 {
		return secretText(name)
	}
	n, err := url.QueryUnescape(string(name))
	if err != nil {
		return secretText(name)
	}
	return secretName(n)
}

// redactMultipart redacts the content of the parts of a multipart body
// whose Content-Disposition names a secret field (RFC 7578), keeping every
// other byte; lines may end in CRLF or LF, and a body cut short is redacted
// up to where it ends.
func redactMultipart(body []byte, boundary string) []byte {
	if boundary == "" {
		return body
	}
	delim := []byte("--" + boundary)
	var out []byte
	last := 0
	// at is the start of the current delimiter line.
	at := delimiterAt(body, delim, 0)
	for at >= 0 {
		lineEnd := bytes.IndexByte(body[at:], '\n')
		if lineEnd < 0 || bytes.HasPrefix(body[at+len(delim):], []byte("--")) {
			break
		}
		headStart := at + lineEnd + 1
		headLen, sepLen := headerEnd(body[headStart:])
		if headLen < 0 {
			break
		}
		contentStart := headStart + headLen + sepLen
		next := delimiterAt(body, delim, contentStart)
		contentEnd := len(body)
		if next >= 0 {
			contentEnd = next - 1 // the line break before the delimiter
			if contentEnd > contentStart && body[contentEnd-1] == '\r' {
				contentEnd--
			}
			contentEnd = max(contentEnd, contentStart)
		}
		if partSecret(body[headStart : headStart+headLen]) {
			if out == nil {
				out = make([]byte, 0, len(body))
			}
			out = append(out, body[last:contentStart]...)
			out = append(out, Redact(string(body[contentStart:contentEnd]))...)
			last = contentEnd
		}
		at = next
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// delimiterAt returns where the next delimiter line (delim at the start of
// a line) begins at or after from, or -1.
func delimiterAt(body, delim []byte, from int) int {
	for from <= len(body) {
		i := bytes.Index(body[from:], delim)
		if i < 0 {
			return -1
		}
		i += from
		if i == 0 || body[i-1] == '\n' {
			return i
		}
		from = i + 1
	}
	return -1
}

// headerEnd returns the length of a part's header block and of the blank
// line that ends it, or -1 when the block does not end.
func headerEnd(b []byte) (int, int) {
	if len(b) > 0 && b[0] == '\n' {
		return 0, 1
	}
	if bytes.HasPrefix(b, []byte("\r\n")) {
		return 0, 2
	}
	crlf := bytes.Index(b, []byte("\r\n\r\n"))
	lf := bytes.Index(b, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf+2 <= lf):
		return crlf + 2, 2
	case lf >= 0:
		return lf + 1, 1
	}
	return -1, 0
}

// partSecret reports whether a part's headers name a secret field, or a
// secret file name.
func partSecret(head []byte) bool {
	for line := range strings.Lines(string(head)) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "Content-Disposition") {
			continue
		}
		_, params, err := mime.ParseMediaType(strings.TrimSpace(value))
		if err != nil {
			// Unreadable: secret when any of it is.
			return secretName(value)
		}
		return secretName(params["name"]) || secretName(params["filename"])
	}
	return false
}
