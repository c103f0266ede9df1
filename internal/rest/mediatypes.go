package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/standin/standin/internal/contract/conventions"
)

// Media types, for APIs whose manifest says rest.fromSpec.
//
// Request bodies are read as the operation declares their media type:
// JSON; application/x-www-form-urlencoded and multipart/form-data by
// kin-openapi's decoders, by the schema (a part of a binary string schema
// is its bytes as a string); XML by the schema's xml hints (xmlbody.go).
// Each is validated against its schema and, for a write, stored as the
// JSON value it reads as. A media type the mock has no reader for (an
// image, a PDF) is accepted as sent, unchecked, as long as the operation
// declares it.
//
// Answers are negotiated by Accept among the media types the operation
// documents for its answer: JSON ones (the records are JSON), XML ones
// (the JSON value written as XML by the answer's schema) and, for an
// operation answered from the spec, the media type of that answer. When
// Accept allows none of them the answer is 406 in the document's shape.

// mediaType is a Content-Type's type, lower case, without parameters.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

// bodyEntry is the operation's request body content for the request's
// media type (nil: none declared for it), with the media type.
func bodyEntry(op *operation, r *http.Request) (string, *openapi3.MediaType) {
	o := op.route.Operation
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return "", nil
	}
	mt := mediaType(r.Header.Get("Content-Type"))
	if mt == "" {
		mt = "application/json"
	}
	return mt, o.RequestBody.Value.Content.Get(mt)
}

// readerless reports whether the mock has no reader for a request body of
// media type mt with schema s: not JSON, XML, form, multipart, text, CSV
// or YAML (kin-openapi's decoders), nor a binary string.
func readerless(mt string, s *openapi3.SchemaRef) bool {
	if conventions.IsJSON(mt) || isXMLMedia(mt) || openapi3filter.RegisteredBodyDecoder(mt) != nil {
		return false
	}
	return s == nil || s.Value == nil || !(s.Value.Type.Is("string") && (s.Value.Format == "binary" || s.Value.Format == "byte"))
}

// ownBody reports whether the engine checks the request's body itself
// rather than openapi3filter: an XML body (openapi3filter reads none), a
// form or multipart body whose schema combines others (allOf: kin-openapi
// decodes form fields by an object schema's own properties only), or one
// the mock has no reader for.
func ownBody(op *operation, r *http.Request) bool {
	mt, entry := bodyEntry(op, r)
	if entry == nil {
		return false
	}
	return isXMLMedia(mt) || combinedForm(mt, entry.Schema) || readerless(mt, entry.Schema)
}

// combinedForm reports whether a form or multipart body's schema is made
// of others (allOf, anyOf, oneOf).
func combinedForm(mt string, s *openapi3.SchemaRef) bool {
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" || s == nil || s.Value == nil {
		return false
	}
	return len(s.Value.AllOf)+len(s.Value.AnyOf)+len(s.Value.OneOf) > 0
}

// formSchema is the object schema a form body's fields are decoded by:
// the properties of the schema and of its allOf, anyOf and oneOf parts.
func formSchema(s *openapi3.SchemaRef) *openapi3.SchemaRef {
	if s == nil || s.Value == nil {
		return s
	}
	props := openapi3.Schemas{}
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > maxDepth {
			return
		}
		for _, parts := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, p := range parts {
				if p != nil {
					walk(p.Value, depth+1)
				}
			}
		}
		for k, v := range s.Properties {
			props[k] = v
		}
	}
	walk(s.Value, 0)
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: props}}
}

// decodeOwn reads a body the engine checks itself: XML by its schema, a
// form or multipart body by its schema's properties.
func decodeOwn(mt string, data []byte, r *http.Request, entry *openapi3.MediaType) (any, error) {
	if isXMLMedia(mt) {
		return decodeXML(data, entry.Schema)
	}
	dec := openapi3filter.RegisteredBodyDecoder(mt)
	if dec == nil {
		return nil, fmt.Errorf("%s cannot be read", mt)
	}
	v, err := dec(bytes.NewReader(data), r.Header, formSchema(entry.Schema), func(name string) *openapi3.Encoding { return entry.Encoding[name] })
	if err != nil {
		return nil, err
	}
	return jsonValue(v), nil
}

// checkOwnBody validates an XML body against its schema (a body the mock
// cannot read is accepted as sent). It returns one message per violation
// and whether the body cannot be read at all.
func checkOwnBody(op *operation, r *http.Request, opts []openapi3.SchemaValidationOption) ([]string, bool) {
	mt, entry := bodyEntry(op, r)
	data, err := readAgain(r)
	if err != nil {
		return []string{"request body: " + err.Error()}, true
	}
	rb := op.route.Operation.RequestBody.Value
	if len(bytes.TrimSpace(data)) == 0 {
		if rb.Required {
			return []string{"request body: value is required but missing"}, false
		}
		return nil, false
	}
	if !isXMLMedia(mt) && !combinedForm(mt, entry.Schema) || entry.Schema == nil || entry.Schema.Value == nil {
		return nil, false
	}
	v, err := decodeOwn(mt, data, r, entry)
	if err != nil {
		return []string{"request body: " + err.Error()}, true
	}
	err = entry.Schema.Value.VisitJSON(v, append(opts, openapi3.VisitAsRequest(), openapi3.MultiErrors())...)
	if err == nil {
		return nil, false
	}
	out := violations(err)
	for i, m := range out {
		if strings.HasPrefix(m, "at ") {
			out[i] = "request body " + m
		} else {
			out[i] = "request body: " + m
		}
	}
	return out, false
}

// readAgain reads a request's body and puts it back for the next reader.
func readAgain(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(data))
	return data, err
}

// readBody reads a write's body as one object, by its media type: JSON
// (also when the operation declares none), form, multipart or XML; msg
// says why it cannot be read.
func (op *operation) readBody(r *http.Request, fromSpec bool) (map[string]any, string) {
	mt, entry := bodyEntry(op, r)
	if !fromSpec || entry == nil || conventions.IsJSON(mt) {
		return readObject(r)
	}
	data, err := readAgain(r)
	if err != nil {
		return nil, "request body: " + err.Error()
	}
	if !isXMLMedia(mt) && openapi3filter.RegisteredBodyDecoder(mt) == nil {
		return nil, fmt.Sprintf("request body: %s cannot be stored as a record; send application/json", mt)
	}
	v, err := decodeOwn(mt, data, r, entry)
	if err != nil {
		return nil, "request body: " + err.Error()
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, "request body: must be an object"
	}
	return obj, ""
}

// offer is a media type an operation's answer can be given in.
type offer struct {
	mt   string
	kind byte // 'j' JSON, 'x' XML, 'c' the canned answer's own
}

// offers are the media types the operation's success answer documents
// that the mock can give, JSON first; nil when it documents none (no
// negotiation then).
func (op *operation) offers() []offer {
	o := op.route.Operation
	if o == nil {
		return nil
	}
	_, resp := pickResponse(o.Responses)
	if resp == nil || len(resp.Content) == 0 {
		return nil
	}
	keys := make([]string, 0, len(resp.Content))
	for k := range resp.Content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []offer
	for _, k := range keys {
		if conventions.IsJSON(k) || strings.Contains(k, "*") {
			out = append(out, offer{k, 'j'})
		}
	}
	for _, k := range keys {
		if isXMLMedia(k) {
			out = append(out, offer{k, 'x'})
		}
	}
	if op.binding == nil {
		for _, k := range keys {
			if !conventions.IsJSON(k) && !isXMLMedia(k) && !strings.Contains(k, "*") {
				out = append(out, offer{k, 'c'})
			}
		}
	}
	return out
}

// acceptRange is one media range of an Accept header.
type acceptRange struct {
	typ, sub string
	q        float64
}

func parseAccept(h string) []acceptRange {
	var out []acceptRange
	for _, part := range strings.Split(h, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		typ, sub, _ := strings.Cut(mt, "/")
		out = append(out, acceptRange{typ, sub, q})
	}
	return out
}

// quality is how much the ranges accept mt (the most specific range
// decides; 0: not at all).
func quality(ranges []acceptRange, mt string) float64 {
	typ, sub, _ := strings.Cut(mediaType(mt), "/")
	best, spec := 0.0, -1
	for _, r := range ranges {
		s := -1
		switch {
		case r.typ == typ && r.sub == sub:
			s = 2
		case r.typ == typ && r.sub == "*":
			s = 1
		case r.typ == "*" && r.sub == "*":
			s = 0
		}
		if s > spec {
			best, spec = r.q, s
		}
	}
	return best
}

// negotiate picks the answer's media type by the request's Accept among
// the operation's offers: the first of the best quality (JSON first). ok
// is false when Accept allows none; an operation without offers, or a
// request without Accept, takes the first.
func (op *operation) negotiate(r *http.Request) (offer, bool) {
	offers := op.offers()
	if len(offers) == 0 {
		return offer{}, true
	}
	h := strings.Join(r.Header.Values("Accept"), ",")
	if strings.TrimSpace(h) == "" {
		return offers[0], true
	}
	ranges := parseAccept(h)
	if len(ranges) == 0 {
		return offers[0], true
	}
	best, bestQ := offer{}, 0.0
	for _, o := range offers {
		if q := quality(ranges, o.mt); q > bestQ {
			best, bestQ = o, q
		}
	}
	return best, bestQ > 0
}

// offered lists the offers' media types, for a 406's message.
func offered(offers []offer) string {
	out := make([]string, len(offers))
	for i, o := range offers {
		out[i] = o.mt
	}
	return strings.Join(slices.Compact(out), ", ")
}

// xmlWriter holds an answer and writes it as XML when the operation
// documents XML for its status (the JSON value, by that XML media type's
// schema); any other answer is written as it is.
type xmlWriter struct {
	w      http.ResponseWriter
	op     *operation
	mt     string
	status int
	buf    bytes.Buffer
}

func (x *xmlWriter) Header() http.Header { return x.w.Header() }

func (x *xmlWriter) WriteHeader(code int) {
	if x.status == 0 {
		x.status = code
	}
}

func (x *xmlWriter) Write(b []byte) (int, error) {
	if x.status == 0 {
		x.status = http.StatusOK
	}
	return x.buf.Write(b)
}

// Flush is a no-op: the answer is written whole by finish.
func (x *xmlWriter) Flush() {}

// finish writes the answer held.
func (x *xmlWriter) finish() {
	if x.status == 0 {
		return
	}
	body := x.buf.Bytes()
	if schema, ok := x.xmlSchema(); ok && conventions.IsJSON(mediaType(x.w.Header().Get("Content-Type"))) {
		var v any
		if err := json.Unmarshal(body, &v); err == nil {
			if out, err := encodeXML(v, schema); err == nil {
				body = out
				x.w.Header().Set("Content-Type", x.mt)
			}
		}
	}
	if x.w.Header().Get("Content-Length") != "" {
		x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	x.w.WriteHeader(x.status)
	_, _ = x.w.Write(body)
}

// xmlSchema is the schema of the XML media type the operation documents
// for the held answer's status.
func (x *xmlWriter) xmlSchema() (*openapi3.SchemaRef, bool) {
	o := x.op.route.Operation
	if o == nil || o.Responses == nil {
		return nil, false
	}
	code := strconv.Itoa(x.status)
	for _, k := range []string{code, code[:1] + "XX", "default"} {
		ref := o.Responses.Value(k)
		if ref == nil || ref.Value == nil {
			continue
		}
		mt := ref.Value.Content.Get(x.mt)
		if mt == nil {
			return nil, false
		}
		return mt.Schema, true
	}
	return nil, false
}
