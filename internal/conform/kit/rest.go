package kit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/specs"
)

// ValidateResponse validates a response against the operation with
// openapi3filter.ValidateResponse (every violation collected, the project's
// format validators) and records each violation with an RFC 6901 pointer.
func ValidateResponse(t *T, o model.Operation, pathValues map[string]string, resp Response) {
	if !o.Answers(resp.Status) {
		t.Errorf(Status(), "HTTP %d is not documented for %s %s (documented: %s)", resp.Status, o.Method, o.Path, strings.Join(o.Statuses(), ", "))
		return
	}
	u, _ := url.Parse(t.api.BaseURL() + o.Fill(pathValues))
	req := &http.Request{Method: o.Method, URL: u, Header: http.Header{}}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: pathValues,
			Route: &routers.Route{
				Spec: t.api.OpenAPI, Path: o.Path, PathItem: o.PathItem, Method: o.Method, Operation: o.Op,
			},
		},
		Status: resp.Status,
		Header: resp.Header,
		Body:   io.NopCloser(bytes.NewReader(resp.Body)),
		Options: &openapi3filter.Options{
			MultiError:              true,
			IncludeResponseStatus:   true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(specs.FormatValidators())},
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		for _, v := range flattenOpenAPIError(err) {
			t.Errorf(v.Where, "%s", v.Message)
		}
	}
}

// flattenOpenAPIError turns kin-openapi's nested errors (ResponseError,
// MultiError, SchemaError with MultiError origins) into violations, each
// with an RFC 6901 pointer built from SchemaError.JSONPointer().
func flattenOpenAPIError(err error) []Violation {
	var out []Violation
	var walk func(err error, reason string)
	walk = func(err error, reason string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, reason)
			}
			return
		case *openapi3filter.ResponseError:
			if e.Err == nil {
				out = append(out, Violation{Where: whereOfReason(e.Reason), Message: e.Reason})
				return
			}
			walk(e.Err, e.Reason)
			return
		case *openapi3.SchemaError:
			if bv := branchViolations(e); len(bv) > 0 {
				out = append(out, bv...)
				return
			}
			if me, ok := e.Origin.(openapi3.MultiError); ok && len(me) > 0 {
				for _, x := range me {
					walk(x, reason)
				}
				return
			}
			msg := e.Reason
			if msg == "" {
				msg = e.Error()
			}
			where := BodyAt(e.JSONPointer()...)
			if strings.HasPrefix(reason, "response header ") {
				where = whereOfReason(reason)
				msg = reason + ": " + msg
			}
			out = append(out, Violation{Where: where, Message: msg + valueNote(e)})
			return
		}
		msg := err.Error()
		if reason != "" {
			msg = reason + ": " + msg
		}
		out = append(out, Violation{Where: whereOfReason(reason), Message: msg})
	}
	walk(err, "")
	return out
}

// branchViolations explains a value that fails an allOf, oneOf or anyOf
// (kin-openapi says only that it does, at the parent): the value is
// validated against each branch alone, and each violation of a failing
// allOf branch, or of the closest oneOf/anyOf branch when none matches,
// is placed at its field and names the branch ("allOf branch 2 (Aged):
// value must be an integer"). A value matching several oneOf branches is
// said so, with their names. None for any other error.
func branchViolations(e *openapi3.SchemaError) []Violation {
	if e.Schema == nil {
		return nil
	}
	var branches openapi3.SchemaRefs
	switch e.SchemaField {
	case "allOf":
		branches = e.Schema.AllOf
	case "oneOf":
		branches = e.Schema.OneOf
	case "anyOf":
		branches = e.Schema.AnyOf
	default:
		return nil
	}
	base := Pointer(e.JSONPointer())
	type failed struct {
		name string
		vs   []Violation
	}
	var fails []failed
	var matched []string
	for i, b := range branches {
		if b == nil || b.Value == nil {
			continue
		}
		name := branchName(i, b)
		err := b.Value.VisitJSON(e.Value, openapi3.MultiErrors(), openapi3.VisitAsResponse(),
			openapi3.WithStringFormatValidators(specs.FormatValidators()))
		if err == nil {
			matched = append(matched, name)
			continue
		}
		vs := flattenOpenAPIError(err)
		for j := range vs {
			if vs[j].Where.Kind() == InBody {
				vs[j].Where = Body(base + vs[j].Where.Path())
			}
		}
		fails = append(fails, failed{name, vs})
	}
	var out []Violation
	switch {
	case e.SchemaField == "oneOf" && len(matched) > 1:
		out = append(out, Violation{Where: Body(base), Message: fmt.Sprintf("matches %d oneOf branches (%s), want exactly one%s", len(matched), strings.Join(matched, ", "), valueNote(e))})
	case e.SchemaField == "allOf":
		for _, f := range fails {
			for _, v := range f.vs {
				v.Message = fmt.Sprintf("allOf %s: %s", f.name, v.Message)
				out = append(out, v)
			}
		}
	case len(matched) == 0 && len(fails) > 0:
		closest := fails[0]
		for _, f := range fails[1:] {
			if len(f.vs) < len(closest.vs) {
				closest = f
			}
		}
		for _, v := range closest.vs {
			v.Message = fmt.Sprintf("%s matches none of its %d branches; the closest, %s: %s", e.SchemaField, len(branches), closest.name, v.Message)
			out = append(out, v)
		}
	}
	return out
}

// branchName names a branch of a combinator: "branch 2 (Aged)" for a
// $ref, "branch 2" for an inline schema (counted from 1).
func branchName(i int, b *openapi3.SchemaRef) string {
	if b.Ref != "" {
		return fmt.Sprintf("branch %d (%s)", i+1, b.Ref[strings.LastIndex(b.Ref, "/")+1:])
	}
	return fmt.Sprintf("branch %d", i+1)
}

func valueNote(se *openapi3.SchemaError) string {
	if se.Value == nil {
		return " (got null)"
	}
	b, err := json.Marshal(se.Value)
	if err != nil || len(b) > 80 {
		return ""
	}
	if _, ok := se.Value.(map[string]any); ok {
		return ""
	}
	return " (got " + string(b) + ")"
}

// whereOfReason points at a header or the status when kin-openapi's reason
// names one.
func whereOfReason(reason string) Place {
	if i := strings.Index(reason, "header \""); i >= 0 {
		rest := reason[i+len("header \""):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return Header(rest[:j])
		}
	}
	switch {
	case strings.Contains(reason, "status is not supported"):
		return Status()
	case strings.Contains(reason, "Content-Type"), strings.Contains(reason, "content type"):
		return Header("Content-Type")
	}
	return Body("")
}

// CheckContentType reports a Content-Type that is not documented for the
// status.
func CheckContentType(t *T, o model.Operation, resp Response) {
	ref := o.Op.Responses.Status(resp.Status)
	if ref == nil {
		ref = o.Op.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return
	}
	got := resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(got)
	if err != nil || ref.Value.Content.Get(mt) == nil {
		want := make([]string, 0, len(ref.Value.Content))
		for k := range ref.Value.Content {
			want = append(want, k)
		}
		sort.Strings(want)
		t.Errorf(Header("Content-Type"), "content type %q is not documented for %d (want %s)", got, resp.Status, strings.Join(want, " or "))
	}
}

// ExpectStatus records a violation when the status differs (a redirect
// says where it points: the suite never follows one).
func ExpectStatus(t *T, resp Response, want int) bool {
	if resp.Status != want {
		t.Errorf(Status(), "want HTTP %d, got %d%s", want, resp.Status, RedirectNote(resp))
		return false
	}
	return true
}

// RedirectNote says where a 3xx answer points (" (a redirect to URL,
// not followed)"), "" for any other answer.
func RedirectNote(resp Response) string {
	if resp.Status < 300 || resp.Status >= 400 {
		return ""
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		loc = "nowhere (no Location)"
	}
	return fmt.Sprintf(" (a redirect to %s, not followed: the contract's answer must come without one)", loc)
}

// DecodeJSON decodes a body (numbers as json.Number).
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
