package rest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// InvalidInput is rest-invalid-input: for every parameter of every
// operation, values that violate its schema (type, format, pattern, range,
// enum, length; for a path parameter also the format of the record field it
// names, e.g. a non-uuid for a uuid id) and a missing required query
// parameter are answered with a client error: the documented 400 for a
// query parameter when the operation documents one, else any 4xx, with a
// body valid for that status (the operation's default response included);
// never a 5xx, never a 2xx.
func (Catalog) InvalidInput() kit.Check {
	return kit.Check{
		Name:  "rest-invalid-input",
		Proto: kit.REST,
		Phase: kit.PhaseNegative,
		Doc:   "values violating a parameter's schema get the documented client error, never 5xx or 2xx",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if o.Method != http.MethodGet || o.SuccessStatus() == 0 {
					continue
				}
				if len(invalidInputs(o)) == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s: invalid parameter values get a documented client error", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					creds := kit.OpCredentials(t, o)
					inputs := invalidInputs(o)
					values := map[string]string{}
					for _, p := range o.PathParams() {
						v, why := kit.ParamID(t, p)
						if v == "" && onlyPathInputs(inputs) {
							// no record is needed to refuse a malformed
							// path: a valid unknown id stands in
							v, _ = kit.UnknownID(t, o, p)
						}
						if v == "" {
							t.Skip("%s", why)
						}
						values[p] = v
					}
					t.DropExchanges()
					for _, in := range inputs {
						pv := map[string]string{}
						for k, v := range values {
							pv[k] = v
						}
						q := url.Values{}
						if in.in == "path" {
							pv[in.param] = in.value
						} else if !in.missing {
							q.Set(in.param, in.value)
						}
						for _, r := range o.RequiredQuery() {
							if r != in.param && q.Get(r) == "" {
								q.Set(r, kit.QueryParamValue(o, r))
							}
						}
						p := o.Fill(pv)
						if len(q) > 0 {
							p += "?" + q.Encode()
						}
						before := t.ViolationCount()
						resp := t.Do(kit.Request{Method: o.Method, Path: p, Credentials: creds})
						what := fmt.Sprintf("%s %s %s", in.in, in.param, in.why)
						want := 0
						if in.in == "query" && o.Documents(http.StatusBadRequest) {
							want = http.StatusBadRequest
						}
						switch {
						case resp.Status >= 500:
							t.Errorf(kit.Status(), "%s: answered %d, a server error for a client's mistake (want %s)", what, resp.Status, wantClientError(want))
						case resp.Status < 400:
							t.Errorf(kit.Status(), "%s: answered %d, the invalid value was accepted (want %s)", what, resp.Status, wantClientError(want))
						case want != 0 && resp.Status != want:
							t.Errorf(kit.Status(), "%s: answered %d, but the operation documents %d for invalid parameters", what, resp.Status, want)
						case !kit.DocumentsRefusal(o):
							// refused, in words the contract does not give
						default:
							n := t.ViolationCount()
							kit.ValidateResponse(t, o, pv, resp)
							t.Reword(n, func(v kit.Violation) string { return what + ": " + v.Message })
						}
						if t.ViolationCount() == before {
							t.DropLastExchange()
						}
					}
				}))
			}
			return out
		},
	}
}

// onlyPathInputs reports whether every invalid input is a path
// parameter's (none needs a record to reach the parameter's check).
func onlyPathInputs(inputs []invalidInput) bool {
	for _, in := range inputs {
		if in.in != "path" {
			return false
		}
	}
	return true
}

func wantClientError(want int) string {
	if want != 0 {
		return strconv.Itoa(want)
	}
	return "a 4xx"
}

// invalidInput is one generated invalid parameter value.
type invalidInput struct {
	in, param, value, why string
	missing               bool
}

// invalidInputs generates the invalid values of an operation's
// parameters from their schemas.
func invalidInputs(o model.Operation) []invalidInput {
	var out []invalidInput
	for _, p := range o.Parameters() {
		if p.Schema == nil || p.Schema.Value == nil || (p.In != "query" && p.In != "path") {
			continue
		}
		s := p.Schema.Value
		add := func(v, why string) {
			if p.In == "path" && v == "" {
				return // an empty segment is another route, not this parameter
			}
			out = append(out, invalidInput{in: p.In, param: p.Name, value: v, why: fmt.Sprintf("%s (%q)", why, v)})
		}
		if p.In == "query" && p.Required {
			out = append(out, invalidInput{in: p.In, param: p.Name, missing: true, why: "missing (required)"})
		}
		for _, v := range schemaViolations(s) {
			add(v[0], v[1])
		}
		if p.In == "path" {
			// The format of the record field the parameter names.
			if body := o.SuccessSchema(); body != nil && body.Value != nil {
				rec := model.ObjectOf(body.Value)
				for _, c := range model.ParamFields(p.Name) {
					if f := rec.Property(c); f != nil {
						for _, v := range schemaViolations(f) {
							if v[0] != "" && !strings.Contains(v[1], "length") {
								add(v[0], v[1]+" of "+c)
							}
						}
						break
					}
				}
			}
		}
	}
	// One value per parameter and reason.
	seen := map[string]bool{}
	var uniq []invalidInput
	for _, in := range out {
		k := in.in + in.param + in.value + fmt.Sprint(in.missing)
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, in)
		}
	}
	return uniq
}

// maxInvalidLen bounds the strings of length violations (a maxLength of
// 2^63 makes none).
const maxInvalidLen = 4096

// schemaViolations lists values (with the reason) that a string-encoded
// parameter of schema s cannot take.
func schemaViolations(s *openapi3.Schema) [][2]string {
	var out [][2]string
	switch {
	case s.Type.Is("integer"):
		out = append(out, [2]string{"abc", "not an integer"}, [2]string{"1.5", "not an integer"})
		if s.Min != nil {
			out = append(out, [2]string{strconv.Itoa(int(*s.Min) - 1), "below the minimum"})
		}
		if s.Max != nil {
			out = append(out, [2]string{strconv.Itoa(int(*s.Max) + 1), "above the maximum"})
		}
	case s.Type.Is("number"):
		out = append(out, [2]string{"abc", "not a number"})
	case s.Type.Is("boolean"):
		out = append(out, [2]string{"maybe", "not a boolean"})
	case s.Type.Is("array") && s.Items != nil && s.Items.Value != nil:
		for _, v := range schemaViolations(s.Items.Value) {
			if v[0] != "" {
				out = append(out, [2]string{v[0], "an item " + v[1]})
			}
		}
	case s.Type.Is("string"):
		if len(s.Enum) > 0 {
			out = append(out, [2]string{"STANDIN_NOT_A_VALUE", "not a value of the enum"})
		}
		switch s.Format {
		case "uuid":
			out = append(out, [2]string{"not-a-uuid", "not a uuid"})
		case "date-time":
			out = append(out, [2]string{"yesterday", "not a date-time"})
		case "date":
			out = append(out, [2]string{"2024-13-45", "not a date"})
		}
		if s.Pattern != "" {
			if re, err := regexp.Compile(s.Pattern); err == nil {
				for _, c := range []string{"!", "a b", "0", "~x~"} {
					if !re.MatchString(c) {
						out = append(out, [2]string{c, "not matching " + s.Pattern})
						break
					}
				}
			}
		}
		if s.MaxLength != nil && *s.MaxLength < maxInvalidLen {
			out = append(out, [2]string{strings.Repeat("a", int(*s.MaxLength)+1), "longer than the maximum length"})
		}
		if s.MinLength > 1 && s.MinLength <= maxInvalidLen {
			out = append(out, [2]string{strings.Repeat("a", int(s.MinLength)-1), "shorter than the minimum length"})
		}
	}
	return out
}
