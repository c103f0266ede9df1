package specs

import (
	"errors"
	"net/url"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

// FormatUUID is the pattern the project checks `format: uuid` with: RFC 9562
// (versions 1-8, nil and max uuid). RFC 4122 would reject ids printed on the
// pages (clients-v2's partner id b2c3d4e5-f6a7-8901-... is version 8, its
// enrollment token id e1f2a3b4-c5d6-7890-... version 7).
const FormatUUID = openapi3.FormatOfStringForUUIDOfRFC9562

// FormatValidators returns the string format validators the project applies to
// the specs' schemas (uuid, email, uri and its common alias url, date,
// date-time). kin-openapi checks
// only date and date-time by default, and with patterns that accept days a
// month does not have (2023-02-30); these check the calendar (CheckDate,
// CheckDateTime). Pass them per call rather than registering them globally:
//
//	schema.VisitJSON(v, openapi3.WithStringFormatValidators(specs.FormatValidators()))
//
// A new map is returned on every call.
func FormatValidators() map[string]openapi3.StringFormatValidator {
	return map[string]openapi3.StringFormatValidator{
		"uuid":      openapi3.NewCallbackValidator(checkUUID),
		"email":     openapi3.NewCallbackValidator(checkEmail),
		"date":      openapi3.NewCallbackValidator(CheckDate),
		"date-time": openapi3.NewCallbackValidator(CheckDateTime),
		"uri":       openapi3.NewCallbackValidator(validateURI),
		// Not a JSON Schema format, but common in public documents
		// (ShipEngine's webhook url) and checked by Ajv's formats as a URL.
		"url": openapi3.NewCallbackValidator(validateURI),
	}
}

// DateFormatValidators returns the validators of date and date-time alone
// (CheckDate, CheckDateTime), for validation that checks no other format
// but must not fall back on kin-openapi's global patterns for these two
// (which it registers and applies by default). A new map on every call.
func DateFormatValidators() map[string]openapi3.StringFormatValidator {
	return map[string]openapi3.StringFormatValidator{
		"date":      openapi3.NewCallbackValidator(CheckDate),
		"date-time": openapi3.NewCallbackValidator(CheckDateTime),
	}
}

// SchemaOptions returns the schema validation options the project uses for
// response bodies: every violation collected, formats checked.
func SchemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.VisitAsResponse(),
		openapi3.WithStringFormatValidators(FormatValidators()),
	}
}

var errNotAbsoluteURI = errors.New("not an absolute URI (scheme and host required)")

// The uuid and email patterns, compiled once; their errors say what the
// value should be, not the pattern (a 300-character regular expression
// had been the whole of the message).
var (
	uuidRE  = regexp.MustCompile(FormatUUID)
	emailRE = regexp.MustCompile(openapi3.FormatOfStringForEmail)

	errNotUUID  = errors.New("want 32 hexadecimal digits as 8-4-4-4-12, RFC 9562 versions 1 to 8")
	errNotEmail = errors.New("want an address such as name@example.com")
)

func checkUUID(s string) error {
	if !uuidRE.MatchString(s) {
		return errNotUUID
	}
	return nil
}

func checkEmail(s string) error {
	if !emailRE.MatchString(s) {
		return errNotEmail
	}
	return nil
}

// validateURI accepts absolute URIs with a scheme and a host (RFC 3986), such
// as https://example.com/profile_picture.jpg.
func validateURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme == "" || u.Host == "" {
		return errNotAbsoluteURI
	}
	return nil
}
