package source

import (
	"bytes"
	"path"
	"regexp"
	"strings"
)

// Kind is the kind of a contract document.
type Kind int

// Kinds of contract documents.
const (
	KindUnknown Kind = iota
	// KindOpenAPI is an OpenAPI 3.x document (YAML or JSON).
	KindOpenAPI
	// KindGraphQL is a GraphQL SDL.
	KindGraphQL
	// KindSwagger is a Swagger 2.0 document, served converted to OpenAPI 3.0.
	KindSwagger
)

func (k Kind) String() string {
	switch k {
	case KindOpenAPI:
		return "OpenAPI 3"
	case KindGraphQL:
		return "GraphQL SDL"
	case KindSwagger:
		return "Swagger 2.0"
	}
	return "unknown"
}

// sdlDefinition begins a line of a GraphQL SDL.
var sdlDefinition = regexp.MustCompile(`(?m)^\s*(type|schema|extend|interface|input|enum|scalar|union|directive)\s`)

// Detect tells an OpenAPI 3 document, a Swagger 2.0 document (YAML or
// JSON) and a GraphQL SDL apart: by an "openapi: 3.x" or "swagger: 2.0"
// key anywhere in the document (at the start of a line, or after "{" or
// ","), then by the file's extension (.graphql, .graphqls, .gql, .sdl),
// then by a line that begins an SDL definition.
func Detect(file string, data []byte) Kind {
	if hasKey(data, "openapi", "3.") {
		return KindOpenAPI
	}
	if hasKey(data, "swagger", "2.") {
		return KindSwagger
	}
	switch strings.ToLower(path.Ext(file)) {
	case ".graphql", ".graphqls", ".gql", ".sdl":
		return KindGraphQL
	}
	if bytes.Contains(data, []byte("swagger")) {
		return KindUnknown // a Swagger version this project does not read
	}
	if sdlDefinition.Match(data) {
		return KindGraphQL
	}
	return KindUnknown
}

// hasKey reports whether data has the key, optionally quoted, at the start
// of a line or after "{" or ",", with a value (optionally quoted) that
// begins with version.
func hasKey(data []byte, key, version string) bool {
	k := []byte(key)
	for from := 0; from < len(data); {
		i := bytes.Index(data[from:], k)
		if i < 0 {
			return false
		}
		i += from
		from = i + len(k)
		if keyStarts(data, i) && valueBegins(data[i+len(k):], version) {
			return true
		}
	}
	return false
}

func keyStarts(data []byte, i int) bool {
	if i > 0 && (data[i-1] == '"' || data[i-1] == '\'') {
		i--
	}
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\r') {
		i--
	}
	return i == 0 || data[i-1] == '\n' || data[i-1] == '{' || data[i-1] == ','
}

func valueBegins(rest []byte, version string) bool {
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:]
	}
	rest = bytes.TrimLeft(rest, " \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return false
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:]
	}
	return bytes.HasPrefix(rest, []byte(version))
}
