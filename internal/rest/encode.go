package rest

import "github.com/standin/standin/internal/jsonw"

// appendJSON appends the JSON encoding of a JSON-shaped value (the store's
// record values) through jsonw, encoding/json's output and escaping; a value
// jsonw cannot encode is null.
func appendJSON(b []byte, v any) []byte {
	out, err := jsonw.Append(b, v)
	if err != nil {
		return append(b, "null"...)
	}
	return out
}

// appendString is jsonw.AppendString.
func appendString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
