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
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/internal/conform/model"
	contractapi "github.com/standin/standin/internal/contract/openapi"
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
		vs := flattenOpenAPIError(err)
		if relaxed := meantSchema(o, resp); relaxed != nil {
			// the body is held to the schema its author meant
			vs = append(withoutBody(vs), bodyViolations(relaxed, resp.Body)...)
		}
		for _, v := range vs {
			if v.Where == Header("Content-Type") && t.violatedAt(v.Where) {
				continue // CheckContentType said it already, with the documented types
			}
			t.Errorf(v.Where, "%s", v.Message)
		}
	}
}

// meantSchema is the relaxed copy of the schema the operation documents
// for the answer's status and media type when that schema admits no value
// (contractapi.Servable), or none but an object without the fields its
// allOf parts declare (contractapi.RelaxedClosures), else nil.
// ShipEngine's records are allOf parts that each close the object to the
// others' fields: every body a server could mean breaks them, and a
// failure there would say nothing of the server. conform judges by what
// the author evidently meant, as the mock serves it; what the relaxed
// schema refuses is still a violation.
func meantSchema(o model.Operation, resp Response) *openapi3.Schema {
	ref := o.Op.Responses.Status(resp.Status)
	if ref == nil {
		ref = o.Op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		return nil
	}
	media := ref.Value.Content.Get(mt)
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	if _, empty := contractapi.Unsatisfiable(media.Schema.Value); empty {
		if relaxed := contractapi.Servable(media.Schema); relaxed != nil && relaxed.Value != media.Schema.Value {
			return relaxed.Value
		}
		return nil
	}
	if relaxed, changed := contractapi.RelaxedClosures(media.Schema); changed {
		return relaxed.Value
	}
	return nil
}

// withoutBody is vs without the violations placed in the body.
func withoutBody(vs []Violation) []Violation {
	out := vs[:0:0]
	for _, v := range vs {
		if v.Where.kind != InBody {
			out = append(out, v)
		}
	}
	return out
}

// bodyViolations validates a JSON body against s, as a response (every
// violation, the project's formats).
func bodyViolations(s *openapi3.Schema, body []byte) []Violation {
	v, err := DecodeJSON(body)
	if err != nil {
		return []Violation{{Where: Body(""), Message: "the body is not JSON: " + err.Error()}}
	}
	if err := s.VisitJSON(v, specs.SchemaOptions()...); err != nil {
		return flattenOpenAPIError(err)
	}
	return nil
}

// flattenOpenAPIError turns kin-openapi's errors into violations through
// the contract layer's flattener (contractapi.Flatten), with the branches
// of a failing allOf, oneOf or anyOf named and the refused value quoted,
// each placed in the body (by its RFC 6901 pointer), a header or the
// status.
func flattenOpenAPIError(err error) []Violation {
	vs := contractapi.Flatten(err, contractapi.FlattenOptions{
		Explain: true, Got: true,
		Validate: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(specs.FormatValidators())},
	})
	out := make([]Violation, len(vs))
	for i, v := range vs {
		out[i] = Violation{Where: Body(v.Pointer), Message: v.Reason}
		switch name, isHeader := strings.CutPrefix(v.In, "response header "); {
		case v.In == contractapi.InResponseStatus:
			out[i].Where = Status()
		case isHeader:
			if h, err := strconv.Unquote(name); err == nil {
				out[i].Where = Header(h)
			}
			if v.Pointer != "" || !strings.Contains(v.Reason, "header") {
				out[i].Message = v.In + ": " + v.Reason
			}
		}
	}
	return out
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
