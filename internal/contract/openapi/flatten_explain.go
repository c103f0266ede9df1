package openapi

// Explaining a value that fails a combinator (FlattenOptions.Explain),
// and the part of a response an error of kin-openapi's response
// validator is about.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/jsonptr"
)

// explain validates the value se refused against each branch of the
// allOf, oneOf or anyOf that refused it; none for any other error.
func (f *flattener) explain(se *openapi3.SchemaError, in string) []Violation {
	if se.Schema == nil {
		return nil
	}
	var branches openapi3.SchemaRefs
	switch se.SchemaField {
	case "allOf":
		branches = se.Schema.AllOf
	case "oneOf":
		branches = se.Schema.OneOf
	case "anyOf":
		branches = se.Schema.AnyOf
	default:
		return nil
	}
	base := jsonptr.Format(se.JSONPointer()...)
	type failed struct {
		name string
		vs   []Violation
	}
	var fails []failed
	var matched []string
	opts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}, f.opts.Validate...)
	for i, b := range branches {
		if b == nil || b.Value == nil {
			continue
		}
		name := branchName(i, b)
		err := b.Value.VisitJSON(se.Value, opts...)
		if err == nil {
			matched = append(matched, name)
			continue
		}
		vs := Flatten(err, f.opts)
		for j := range vs {
			vs[j].In = in
			vs[j].Pointer = base + vs[j].Pointer
		}
		fails = append(fails, failed{name, vs})
	}
	var out []Violation
	at := func(ptr, reason string) Violation {
		v := Violation{In: in}
		v.Pointer, v.Reason = ptr, reason
		return v
	}
	switch {
	case se.SchemaField == "oneOf" && len(matched) > 1:
		note := ""
		if f.opts.Got {
			note = got(se)
		}
		out = append(out, at(base, fmt.Sprintf("matches %d oneOf branches (%s), want exactly one%s", len(matched), strings.Join(matched, ", "), note)))
	case se.SchemaField == "allOf":
		for _, fl := range fails {
			for _, v := range fl.vs {
				out = append(out, at(v.Pointer, fmt.Sprintf("allOf %s: %s", fl.name, v.Reason)))
			}
		}
	case len(matched) == 0 && len(fails) > 0:
		closest := fails[0]
		for _, fl := range fails[1:] {
			if len(fl.vs) < len(closest.vs) {
				closest = fl
			}
		}
		for _, v := range closest.vs {
			out = append(out, at(v.Pointer, fmt.Sprintf("%s matches none of its %d branches; the closest, %s: %s", se.SchemaField, len(branches), closest.name, v.Reason)))
		}
	}
	return out
}

// ambiguousOneOf reports whether se is a oneOf refusing a value because
// two or more of its branches accept it (each branch validated alone).
func ambiguousOneOf(se *openapi3.SchemaError, opts []openapi3.SchemaValidationOption) bool {
	if se.SchemaField != "oneOf" || se.Schema == nil || len(se.Schema.OneOf) < 2 {
		return false
	}
	matched := 0
	for _, b := range se.Schema.OneOf {
		if b != nil && b.Value != nil && b.Value.VisitJSON(se.Value, opts...) == nil {
			matched++
		}
	}
	return matched > 1
}

// besideOneOf is the error of se's value against what se's schema says
// beside its oneOf, nil when it keeps it: kin-openapi stops at a oneOf it
// refuses, so a value two branches accept is never held to the rest
// ({type: string, oneOf: [...]} would take 12345).
func besideOneOf(se *openapi3.SchemaError, opts []openapi3.SchemaValidationOption) error {
	rest := *se.Schema
	rest.OneOf = nil
	return rest.VisitJSON(se.Value, opts...)
}

// branchName names a branch of a combinator: "branch 2 (Aged)" for a
// $ref, "branch 2" for an inline schema (counted from 1).
func branchName(i int, b *openapi3.SchemaRef) string {
	if b.Ref != "" {
		return fmt.Sprintf("branch %d (%s)", i+1, b.Ref[strings.LastIndex(b.Ref, "/")+1:])
	}
	return fmt.Sprintf("branch %d", i+1)
}

// got is the scalar value se refused, as a note (" (got 3)"); "" for an
// object or a long value.
func got(se *openapi3.SchemaError) string {
	if se.Value == nil {
		return " (got null)"
	}
	if _, ok := se.Value.(map[string]any); ok {
		return ""
	}
	b, err := json.Marshal(se.Value)
	if err != nil || len(b) > 80 {
		return ""
	}
	return " (got " + string(b) + ")"
}

// responsePart is the part of a response an openapi3filter.ResponseError
// is about: `response header "Name"` (its Content-Type included),
// InResponseStatus, or "response body". kin-openapi names the header and
// the undocumented status only in the error's Reason (it has no field for
// them), so this one function reads that wording.
func responsePart(reason string) string {
	if i := strings.Index(reason, "header \""); i >= 0 {
		rest := reason[i+len("header \""):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return fmt.Sprintf("response header %q", rest[:j])
		}
	}
	switch {
	case strings.Contains(reason, "status is not supported"):
		return InResponseStatus
	case strings.Contains(reason, "Content-Type"), strings.Contains(reason, "content type"):
		return `response header "Content-Type"`
	}
	return "response body"
}
