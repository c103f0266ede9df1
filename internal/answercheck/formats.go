package answercheck

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openAPIFormats are OpenAPI's formats beyond JSON Schema's: int32 and
// int64 checked as ranges, byte as base64; float, double, binary and
// password accepted.
func openAPIFormats() []*jsonschema.Format {
	return []*jsonschema.Format{
		{Name: "int32", Validate: intRange(math.MinInt32, math.MaxInt32)},
		{Name: "int64", Validate: intRange(math.MinInt64, math.MaxInt64)},
		{Name: "byte", Validate: func(v any) error {
			s, ok := v.(string)
			if !ok || base64ish.MatchString(s) {
				return nil
			}
			return errors.New("not base64")
		}},
		{Name: "float", Validate: func(any) error { return nil }},
		{Name: "double", Validate: func(any) error { return nil }},
		{Name: "binary", Validate: func(any) error { return nil }},
		{Name: "password", Validate: func(any) error { return nil }},
	}
}

var base64ish = regexp.MustCompile(`^[A-Za-z0-9+/\r\n]*={0,2}$`)

// intRange checks that a number is an integer within [lo, hi].
func intRange(lo, hi int64) func(any) error {
	return func(v any) error {
		var r *big.Rat
		switch n := v.(type) {
		case json.Number:
			var ok bool
			r, ok = new(big.Rat).SetString(n.String())
			if !ok {
				return nil
			}
		case float64:
			r = new(big.Rat)
			if r.SetFloat64(n) == nil {
				return nil
			}
		case int:
			r = new(big.Rat).SetInt64(int64(n))
		case int64:
			r = new(big.Rat).SetInt64(n)
		default:
			return nil
		}
		if !r.IsInt() {
			return errors.New("not an integer")
		}
		if r.Num().Cmp(big.NewInt(lo)) < 0 || r.Num().Cmp(big.NewInt(hi)) > 0 {
			return errors.New("out of the format's range")
		}
		return nil
	}
}

// lenientRegexp compiles patterns with Go's regexp; a pattern Go cannot
// read (ECMA-262 lookarounds, backreferences) matches every string, so an
// answer is never judged by a pattern the judge cannot read.
func lenientRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err != nil {
		return anyString(s), nil
	}
	return re, nil
}

type anyString string

func (a anyString) String() string          { return string(a) }
func (a anyString) MatchString(string) bool { return true }
