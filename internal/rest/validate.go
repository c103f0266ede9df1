package rest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/standin/standin/internal/rest/route"
	"github.com/standin/standin/specs"
)

// queryCheck is the fast check of one query parameter.
type queryCheck struct {
	scalarCheck
	required bool
}

// fastAccept reports whether the request's parameters are certainly valid,
// without openapi3filter.
func (op *operation) fastAccept(r *http.Request, res *route.Result) bool {
	if op.fullAlways {
		return false
	}
	for i := range op.pathChecks {
		if i >= res.N || !op.pathChecks[i].accept(res.Values[i]) {
			return false
		}
	}
	if len(op.queryChecks) == 0 {
		return true
	}
	if r.URL.RawQuery == "" {
		for i := range op.queryChecks {
			if op.queryChecks[i].required {
				return false
			}
		}
		return true
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return false
	}
	for i := range op.queryChecks {
		c := &op.queryChecks[i]
		vals := q[c.name]
		switch {
		case len(vals) == 0:
			if c.required {
				return false
			}
		case len(vals) > 1 || vals[0] == "" || !c.accept(vals[0]):
			return false
		}
	}
	return true
}

// scalarCheck accepts a path or query parameter value without openapi3filter
// when its schema is simple enough to check here (type, length, pattern,
// enum, bounds). A value it does not accept goes to openapi3filter, which
// decides and words the violation; so this check may only be stricter than
// openapi3filter's, never more lenient.
type scalarCheck struct {
	name string
	kind byte // 0 no schema, 's' string, 'i' integer, 'n' number, 'b' boolean
	s    *openapi3.Schema
	re   *regexp.Regexp
	enum []string
	// fast: accept covers the whole schema.
	fast bool
}

func compileScalarCheck(p *openapi3.Parameter) (scalarCheck, bool) {
	c := scalarCheck{name: p.Name}
	if p.Content != nil {
		return c, false
	}
	if p.Style != "" && p.Style != openapi3.SerializationSimple && p.Style != openapi3.SerializationForm {
		return c, false
	}
	if p.Schema == nil || p.Schema.Value == nil {
		c.fast = true
		return c, true
	}
	s := p.Schema.Value
	c.s = s
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil {
		return c, false
	}
	switch {
	case s.Type.IsEmpty() || s.Type.Is("string"):
		c.kind = 's'
		// date and date-time are checked here as openapi3filter checks
		// them (specs.DateFormatValidators); other formats go there.
		c.fast = s.Format == "" || s.Format == "date" || s.Format == "date-time"
		if s.Pattern != "" {
			re, err := regexp.Compile(s.Pattern)
			if err != nil {
				c.fast = false
			}
			c.re = re
		}
		for _, e := range s.Enum {
			str, ok := e.(string)
			if !ok {
				c.fast = false
			}
			c.enum = append(c.enum, str)
		}
	case s.Type.Is("integer"), s.Type.Is("number"):
		c.kind = 'n'
		if s.Type.Is("integer") {
			c.kind = 'i'
		}
		c.fast = len(s.Enum) == 0 && s.MultipleOf == nil && s.ExclusiveMin.Value == nil && s.ExclusiveMax.Value == nil
	case s.Type.Is("boolean"):
		c.kind = 'b'
		c.fast = len(s.Enum) == 0
	default:
		return c, false
	}
	return c, true
}

// accept reports whether v is certainly valid.
func (c *scalarCheck) accept(v string) bool {
	if !c.fast {
		return false
	}
	s := c.s
	switch c.kind {
	case 0:
		return true
	case 's':
		if s.MinLength > 1 || s.MaxLength != nil {
			n := uint64(utf8.RuneCountInString(v))
			if n < s.MinLength || s.MaxLength != nil && n > *s.MaxLength {
				return false
			}
		} else if s.MinLength == 1 && v == "" {
			return false
		}
		if c.re != nil && !c.re.MatchString(v) {
			return false
		}
		if len(c.enum) > 0 && !slices.Contains(c.enum, v) {
			return false
		}
		switch s.Format {
		case "date":
			return specs.CheckDate(v) == nil
		case "date-time":
			return specs.CheckDateTime(v) == nil
		}
		return true
	case 'i', 'n':
		var f float64
		if c.kind == 'i' {
			n, err := strconv.ParseInt(v, 10, 53)
			if err != nil {
				return false
			}
			f = float64(n)
		} else {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
			f = x
		}
		if s.Min != nil && (f < *s.Min || s.ExclusiveMin.IsTrue() && f == *s.Min) {
			return false
		}
		if s.Max != nil && (f > *s.Max || s.ExclusiveMax.IsTrue() && f == *s.Max) {
			return false
		}
		return true
	case 'b':
		return v == "true" || v == "false"
	}
	return false
}

// fullValidate runs openapi3filter.ValidateRequest (security excluded: the
// server authenticates).
func (op *operation) fullValidate(ctx context.Context, r *http.Request, res *route.Result) []string {
	params := make(map[string]string, res.N)
	for i, n := range op.names {
		if i < res.N {
			params[n] = res.Values[i]
		}
	}
	opts := filterOptions
	if op.write != nil {
		opts = writeFilterOptions
	}
	input := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: op.route, Options: opts}
	err := openapi3filter.ValidateRequest(ctx, input)
	if err == nil {
		return nil
	}
	return violations(err, nil)
}

// violations flattens a validation error into one message per violation,
// each naming the parameter (or the request body) and the reason.
func violations(err error, out []string) []string {
	switch x := err.(type) {
	case openapi3.MultiError:
		for _, e := range x {
			out = violations(e, out)
		}
		return out
	case *openapi3filter.RequestError:
		where := ""
		switch {
		case x.Parameter != nil:
			where = fmt.Sprintf("parameter %q in %s", x.Parameter.Name, x.Parameter.In)
		case x.RequestBody != nil:
			where = "request body"
		}
		var rs []string
		if x.Err != nil {
			rs = reasons(x.Err, nil)
		} else {
			rs = []string{x.Reason}
		}
		if where == "" {
			return append(out, rs...)
		}
		return append(out, prefixed(where, rs)...)
	case *openapi3filter.SecurityRequirementsError:
		return out
	}
	return append(out, err.Error())
}

func prefixed(where string, rs []string) []string {
	for i, r := range rs {
		if strings.HasPrefix(r, "at /") {
			rs[i] = where + " " + r
		} else {
			rs[i] = where + ": " + r
		}
	}
	return rs
}

// reasons lists the schema violations inside err, with JSON pointers.
func reasons(err error, out []string) []string {
	var me openapi3.MultiError
	if m, ok := err.(openapi3.MultiError); ok {
		me = m
	}
	if me != nil {
		for _, e := range me {
			out = reasons(e, out)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if js := jsonSchema2020(se); js {
			// OpenAPI 3.1: the JSON Schema 2020-12 validator's error
			// holds one cause per violation.
			var sub openapi3.MultiError
			if se.Origin != nil && errors.As(se.Origin, &sub) && len(sub) > 0 {
				return reasons(sub, out)
			}
			se.Reason = leafReason.ReplaceAllString(se.Reason, "")
		}
		msg := se.Reason
		if msg == "" {
			msg = se.Error()
		}
		msg = integerBounds(se, msg)
		ptr := se.JSONPointer()
		if m := propertyReason.FindStringSubmatch(msg); len(ptr) == 0 && m != nil {
			// a missing or unknown property: point at it
			ptr = []string{m[1]}
		}
		if len(ptr) > 0 {
			for i, p := range ptr {
				ptr[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
			}
			msg = "at /" + strings.Join(ptr, "/") + ": " + msg
		}
		return append(out, msg)
	}
	return append(out, err.Error())
}

// integerBounds rewrites the bounds kin-openapi words with %g
// ("number must be at most 2.147483647e+09") as the integers they are, when
// the violated schema is an integer's.
func integerBounds(se *openapi3.SchemaError, msg string) string {
	if se.Schema == nil || se.Schema.Type == nil || !se.Schema.Type.Is(openapi3.TypeInteger) {
		return msg
	}
	return floatBound.ReplaceAllStringFunc(msg, func(f string) string {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return f
		}
		return strconv.FormatInt(int64(v), 10)
	})
}

// floatBound is a number in the exponent form %g gives large bounds.
var floatBound = regexp.MustCompile(`-?\d+(?:\.\d+)?e[+-]\d+`)

// propertyReason is kin-openapi's reason for a missing or unknown
// property, reported at the object holding it.
var propertyReason = regexp.MustCompile(`^property "([^"]+)" is (?:missing|unsupported)$`)

// leafReason is the location prefix of a JSON Schema 2020-12 violation's
// reason (the pointer is reported separately).
var leafReason = regexp.MustCompile(`^(error at "[^"]*": )?(at '[^']*': )?`)

// jsonSchema2020 reports whether se comes from the JSON Schema 2020-12
// validator kin-openapi uses for OpenAPI 3.1 documents.
func jsonSchema2020(se *openapi3.SchemaError) bool {
	return strings.HasPrefix(se.Reason, "jsonschema validation failed") || strings.HasPrefix(se.Reason, `error at "`) ||
		strings.HasPrefix(se.Reason, "at '")
}
