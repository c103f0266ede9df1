package exec

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/standin/standin/internal/jsonw"
)

// appendString appends s as a JSON string, escaped as every response of
// the mock is (jsonw: encoding/json's policy).
func appendString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }

// appendFloat appends a finite float like encoding/json does.
func appendFloat(b []byte, f float64) []byte { return jsonw.AppendFloat(b, f, 64) }

// appendJSONValue appends an arbitrary Go value as JSON (custom scalars).
// Common types avoid reflection.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return b, errNonFinite
		}
		return appendFloat(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case json.Number:
		if !json.Valid([]byte(x)) {
			return b, errBadNumber
		}
		return append(b, x...), nil
	case json.RawMessage:
		if !json.Valid(x) {
			return b, errBadRaw
		}
		return append(b, x...), nil
	case []any:
		b = append(b, '[')
		for i, item := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONValue(b, item); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, enc...), nil
}

type constError string

func (e constError) Error() string { return string(e) }

const (
	errNonFinite = constError("cannot represent a non-finite number")
	errBadNumber = constError("invalid json.Number")
	errBadRaw    = constError("invalid raw JSON")
)
