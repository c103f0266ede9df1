package openapi

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
)

// validate checks the document against the OpenAPI specification (every
// problem, examples apart) and keeps each problem as a warning: the
// document is served as read (Prism and the other peers serve such
// documents), and the mock's stages take what they cannot serve out one by
// one, each with a warning of its own.
func (l *loading) validate(doc *openapi3.T) {
	err := doc.Validate(context.Background(), openapi3.EnableMultiError(), openapi3.DisableExamplesValidation())
	if err == nil {
		return
	}
	errs := []error{err}
	if me, ok := err.(openapi3.MultiError); ok {
		errs = me
	}
	for _, e := range errs {
		l.add(l.classify(e))
	}
}

// classify is the diagnostic of one validation error: its place from the
// origin kin-openapi recorded, its pointer from the context wrappers.
func (l *loading) classify(err error) diag.Diagnostic {
	d := diag.Diagnostic{Code: diag.CodeInvalidDocument, Severity: diag.Warning, File: l.file, Message: firstLine(leaf(err).Error()),
		Pointer: pointerOf(err), Fix: "served as read; correct the document for stricter tools"}
	if loc := originOf(err); loc != nil && loc.File != "" {
		d.File, d.Line, d.Col = loc.File, loc.Line, loc.Column
	}
	var either *openapi3.EitherFieldRequiredError
	var both *openapi3.MutuallyExclusiveFieldsError
	var typ *openapi3.SchemaTypeError
	switch {
	case errors.As(err, &typ) && typ.Type == "null":
		d.Fix = `served as nullable; write nullable: true (OpenAPI 3.0), or declare openapi: 3.1.0, where type: "null" is JSON Schema's`
	case errors.As(err, &either) && slices.Contains(either.Fields, "value"):
		d.Code, d.Severity = diag.CodeExampleWithoutValue, diag.Warning
		d.Message = "an example object with neither value nor externalValue: it is not used"
		d.Fix = "give it a value, or remove it"
	case errors.As(err, &both) && (both.Field1 == "example" || both.Field1 == "value"):
		// example and examples, or value and externalValue, side by side:
		// the document is still servable
		d.Code, d.Severity = diag.CodeInvalidExample, diag.Warning
		d.Fix = "keep one of " + both.Field1 + " and " + both.Field2
	}
	return d
}

// leaf is err without the context wrappers around it (section, path,
// operation, component...): the pointer says where, the leaf what.
func leaf(err error) error {
	for {
		var next error
		switch x := err.(type) {
		case *openapi3.SectionValidationError:
			next = x.Cause
		case *openapi3.PathValidationError:
			next = x.Cause
		case *openapi3.OperationValidationError:
			next = x.Cause
		case *openapi3.ComponentValidationError:
			next = x.Cause
		case *openapi3.WebhookValidationError:
			next = x.Cause
		}
		if next == nil {
			return err
		}
		err = next
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// originType is the type of the Origin field of kin-openapi's typed
// validation errors.
var originType = reflect.TypeFor[*openapi3.Origin]()

// originOf is the innermost source location recorded in err's chain (the
// Origin field that kin-openapi's typed validation errors carry when the
// document was loaded with IncludeOrigin), nil when none.
func originOf(err error) *openapi3.Location {
	var loc *openapi3.Location
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			continue
		}
		f := v.Elem().FieldByName("Origin")
		if !f.IsValid() || f.Type() != originType || f.IsNil() {
			continue
		}
		if o := f.Interface().(*openapi3.Origin); o.Key != nil {
			loc = o.Key
		}
	}
	return loc
}

// componentKeys maps ComponentValidationError.Section to its key under
// components.
var componentKeys = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers", "request body": "requestBodies",
	"response": "responses", "security scheme": "securitySchemes", "example": "examples", "link": "links",
	"callback": "callbacks", "path item": "pathItems",
}

// pointerOf builds the JSON pointer of a validation error from the
// context wrappers in its chain (section, path, operation, component,
// webhook).
func pointerOf(err error) string {
	var ptr []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch x := e.(type) {
		case *openapi3.SectionValidationError:
			ptr = append(ptr, x.Section)
		case *openapi3.PathValidationError:
			ptr = append(ptr, x.Path)
		case *openapi3.OperationValidationError:
			ptr = append(ptr, strings.ToLower(x.Method))
		case *openapi3.ComponentValidationError:
			if k, ok := componentKeys[x.Section]; ok && (len(ptr) == 0 || ptr[len(ptr)-1] != k) {
				if len(ptr) == 0 || ptr[len(ptr)-1] != "components" {
					ptr = append(ptr, "components")
				}
				ptr = append(ptr, k)
			}
			ptr = append(ptr, x.Name)
		case *openapi3.WebhookValidationError:
			ptr = append(ptr, x.Name)
		case *openapi3.MediaTypeExampleValidationError:
			ptr = append(ptr, "examples", x.ExampleName)
		case *openapi3.ParameterExampleValidationError:
			ptr = append(ptr, "examples", x.ExampleName)
		}
	}
	return jsonptr.Format(ptr...)
}
