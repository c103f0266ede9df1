package kit

import (
	"encoding/json"
	"github.com/standin/standin/internal/contract/jsonptr"
	"strings"
)

// PlaceKind says what a violation's place points into.
type PlaceKind int

// Kinds of place.
const (
	// InBody: an RFC 6901 JSON pointer into a REST body ("" is the whole
	// body).
	InBody PlaceKind = iota
	// AtStatus: the HTTP status.
	AtStatus
	// InHeader: a response header.
	InHeader
	// InResponse: a GraphQL response path (data.accounts.nodes[0].id,
	// errors[0].message), or a connection's path in a walk
	// (admin.allClients.pageInfo).
	InResponse
	// AtCoordinate: a GraphQL schema coordinate (Query.account(id:)), or
	// "schema" for the schema's root types.
	AtCoordinate
	// InRun: no place in an answer: the request that could not be sent
	// ("request"), the check itself ("check", "query", "property"), a
	// reset hook ("reset"), a file of the suite.
	InRun
)

// Place is where a violation is: what it points into and the pointer,
// path, header name or coordinate. Its string form is what reports show.
type Place struct {
	kind PlaceKind
	path string
}

// Body is a place in a REST body by RFC 6901 JSON pointer ("" for the
// whole body).
func Body(pointer string) Place { return Place{InBody, pointer} }

// BodyAt is a place in a REST body by its path segments, escaped as RFC
// 6901 says.
func BodyAt(segments ...string) Place { return Place{InBody, Pointer(segments)} }

// Status is the HTTP status.
func Status() Place { return Place{kind: AtStatus} }

// Header is a response header.
func Header(name string) Place { return Place{InHeader, name} }

// GQLPath is a GraphQL response path.
func GQLPath(path string) Place { return Place{InResponse, path} }

// Coordinate is a GraphQL schema coordinate.
func Coordinate(c string) Place { return Place{AtCoordinate, c} }

// InTheRun is a place outside any answer, named by what.
func InTheRun(what string) Place { return Place{InRun, what} }

// Kind says what the place points into.
func (p Place) Kind() PlaceKind { return p.kind }

// Path is the pointer, path, header name, coordinate or name of the place
// ("" for the status).
func (p Place) Path() string { return p.path }

// String renders the place as reports show it: the pointer, "status",
// "header:Name", the GraphQL path or coordinate, or the name.
func (p Place) String() string {
	switch p.kind {
	case AtStatus:
		return "status"
	case InHeader:
		return "header:" + p.path
	}
	return p.path
}

// ParsePlace reads a place from its string form. Forms that two kinds
// share read as the first of them: a GraphQL response path or a
// coordinate read as a response path, a name as a body pointer when it
// is "" or starts with "/".
func ParsePlace(s string) Place {
	switch {
	case s == "status":
		return Status()
	case strings.HasPrefix(s, "header:"):
		return Header(strings.TrimPrefix(s, "header:"))
	case s == "" || strings.HasPrefix(s, "/"):
		return Body(s)
	case s == "request" || s == "check" || s == "query" || s == "property" || s == "reset" || s == "suite":
		return InTheRun(s)
	}
	return GQLPath(s)
}

// MarshalJSON writes the place's string form.
func (p Place) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON reads a place's string form (ParsePlace).
func (p *Place) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = ParsePlace(s)
	return nil
}

// Pointer renders path segments as an RFC 6901 JSON pointer, escaping "~"
// as "~0" and "/" as "~1".
func Pointer(segments []string) string { return jsonptr.Format(segments...) }

// Violation is one difference between what a check expected and what the
// target answered, at a Place.
type Violation struct {
	Where   Place  `json:"where"`
	Message string `json:"message"`
	// Request is the method and URL of the request the violation is
	// about (the step's latest request when it was recorded).
	Request string `json:"request,omitempty"`
}

// String renders the violation as reports show it: the place ("(body)"
// for a whole REST body), the message and the request it is about.
func (v Violation) String() string {
	where := v.Where.String()
	s := where + ": " + v.Message
	if where == "" {
		s = "(body): " + v.Message
	}
	if v.Request != "" {
		s += "\n      at " + v.Request
	}
	return s
}

// Exchange is one HTTP request and its response, credentials redacted.
type Exchange struct {
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"requestHeaders,omitempty"`
	RequestBody     string            `json:"requestBody,omitempty"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders,omitempty"`
	Body            string            `json:"body,omitempty"`
	Error           string            `json:"error,omitempty"`
}
