package kit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"slices"
)

// Media types of request bodies.
const (
	MediaJSON      = "application/json"
	MediaForm      = "application/x-www-form-urlencoded"
	MediaMultipart = "multipart/form-data"
)

// multipartBoundary is fixed, so that the same fields give the same bytes
// (and the same curl line).
const multipartBoundary = "standin-conform-boundary"

// Payload is a request body with the media type it is sent as.
type Payload struct {
	// MediaType is the request's Content-Type.
	MediaType string
	Data      []byte
}

// JSON is data sent as application/json, as given (it may be malformed
// on purpose).
func JSON(data []byte) *Payload { return &Payload{MediaType: MediaJSON, Data: data} }

// JSONOf is v encoded as JSON (encoding/json, map keys sorted).
func JSONOf(v any) (*Payload, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return JSON(b), nil
}

// Form is values sent as application/x-www-form-urlencoded (keys
// sorted).
func Form(values url.Values) *Payload {
	return &Payload{MediaType: MediaForm, Data: []byte(values.Encode())}
}

// Multipart is fields sent as multipart/form-data, one part per field in
// name order, with a fixed boundary.
func Multipart(fields map[string]string) *Payload {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary(multipartBoundary) // a valid boundary: never an error
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		_ = w.WriteField(k, fields[k]) // writes to a bytes.Buffer: never an error
	}
	_ = w.Close()
	return &Payload{MediaType: w.FormDataContentType(), Data: b.Bytes()}
}

// Part is one part of a multipart/form-data body: a field, or a file
// when FileName is set; ContentType "" is text/plain for a field and
// application/octet-stream for a file.
type Part struct {
	Name, FileName, ContentType string
	Data                        []byte
}

// MultipartParts is parts sent as multipart/form-data in their order (a
// name may repeat: an array's items), with the fixed boundary.
func MultipartParts(parts []Part) *Payload {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary(multipartBoundary) // a valid boundary: never an error
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.Name)
		if p.FileName != "" {
			disp += fmt.Sprintf(`; filename=%q`, p.FileName)
		}
		h.Set("Content-Disposition", disp)
		ct := p.ContentType
		if ct == "" && p.FileName != "" {
			ct = "application/octet-stream"
		}
		if ct != "" {
			h.Set("Content-Type", ct)
		}
		pw, _ := w.CreatePart(h) // writes to a bytes.Buffer: never an error
		_, _ = pw.Write(p.Data)
	}
	_ = w.Close()
	return &Payload{MediaType: w.FormDataContentType(), Data: b.Bytes()}
}

// data is the payload's bytes (nil for none).
func (p *Payload) data() []byte {
	if p == nil {
		return nil
	}
	return p.Data
}
