package rest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// XML bodies, read and written by the schema's xml hints (OpenAPI's XML
// object): an element is named by xml.name, else by its property name,
// else, at the root, by the name of the component schema it refers to
// (an array at the root: its xml.name, else "items"); a property with
// xml.attribute is an attribute of its parent; an array is a run of
// elements named after its items, inside one element named after the
// array when xml.wrapped; xml.prefix and xml.namespace prefix the name
// and declare the namespace. Values are the JSON values the mock stores:
// numbers, booleans and strings as text, objects as elements.

// maxXMLDepth bounds the nesting the XML codec follows (never a stack
// overflow on a deep document or a cyclic schema).
const maxXMLDepth = 64

// xmlName is the element (or attribute) name of a schema in a place where
// fallback names it.
func xmlName(s *openapi3.Schema, fallback string) (name, space, prefix string) {
	name = fallback
	if s != nil && s.XML != nil {
		if s.XML.Name != "" {
			name = s.XML.Name
		}
		space, prefix = s.XML.Namespace, s.XML.Prefix
	}
	return sanitizeXMLName(name), space, prefix
}

// rootName is the element name of a body's schema.
func rootName(ref *openapi3.SchemaRef) string {
	var s *openapi3.Schema
	fallback := "root"
	if ref != nil {
		s = ref.Value
		if i := strings.LastIndexByte(ref.Ref, '/'); i >= 0 {
			fallback = ref.Ref[i+1:]
		} else if isArraySchema(s) {
			fallback = "items"
		}
	}
	name, _, _ := xmlName(s, fallback)
	return name
}

func isArraySchema(s *openapi3.Schema) bool {
	return s != nil && (s.Type.Is("array") || s.Type.Includes("array") || s.Type.IsEmpty() && s.Items != nil)
}

// sanitizeXMLName makes a JSON key an XML name: characters a name may not
// hold become "_", and a name that does not start with a letter or "_"
// gets a "_" in front.
func sanitizeXMLName(n string) string {
	if n == "" {
		return "_"
	}
	var b strings.Builder
	for i, r := range n {
		ok := unicode.IsLetter(r) || r == '_' || i > 0 && (unicode.IsDigit(r) || r == '-' || r == '.' || r == ':')
		if !ok && i == 0 && (unicode.IsDigit(r) || r == '-' || r == '.') {
			b.WriteByte('_')
			b.WriteRune(r)
			continue
		}
		if !ok {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// encodeXML writes value as an XML document whose root is named for the
// body's schema.
func encodeXML(value any, ref *openapi3.SchemaRef) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	var s *openapi3.Schema
	if ref != nil {
		s = ref.Value
	}
	name, space, prefix := xmlName(s, rootName(ref))
	if err := writeXML(enc, value, s, name, space, prefix, 0); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func startElement(name, space, prefix string) xml.StartElement {
	st := xml.StartElement{Name: xml.Name{Local: name}}
	if prefix != "" {
		st.Name.Local = prefix + ":" + name
		if space != "" {
			st.Attr = append(st.Attr, xml.Attr{Name: xml.Name{Local: "xmlns:" + prefix}, Value: space})
		}
	} else if space != "" {
		st.Attr = append(st.Attr, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: space})
	}
	return st
}

// writeXML writes one element for value.
func writeXML(enc *xml.Encoder, value any, s *openapi3.Schema, name, space, prefix string, depth int) error {
	if depth > maxXMLDepth {
		return errors.New("XML nested deeper than the schema codec follows")
	}
	st := startElement(name, space, prefix)
	switch v := value.(type) {
	case map[string]any:
		props := schemaProperties(s)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var children []string
		for _, k := range keys {
			p := props[k]
			if p != nil && p.XML != nil && p.XML.Attribute {
				if txt, ok := scalarText(v[k]); ok {
					an, _, ap := xmlName(p, k)
					if ap != "" {
						an = ap + ":" + an
					}
					st.Attr = append(st.Attr, xml.Attr{Name: xml.Name{Local: an}, Value: txt})
				}
				continue
			}
			children = append(children, k)
		}
		if err := enc.EncodeToken(st); err != nil {
			return err
		}
		for _, k := range children {
			if err := writeProperty(enc, v[k], props[k], k, depth+1); err != nil {
				return err
			}
		}
		return enc.EncodeToken(st.End())
	case []any:
		// an array element: its items inside
		if err := enc.EncodeToken(st); err != nil {
			return err
		}
		var items *openapi3.Schema
		if s != nil && s.Items != nil {
			items = s.Items.Value
		}
		in, isp, ip := xmlName(items, itemName(s, name))
		for _, it := range v {
			if err := writeXML(enc, it, items, in, isp, ip, depth+1); err != nil {
				return err
			}
		}
		return enc.EncodeToken(st.End())
	}
	if err := enc.EncodeToken(st); err != nil {
		return err
	}
	if txt, ok := scalarText(value); ok && value != nil {
		if err := enc.EncodeToken(xml.CharData(txt)); err != nil {
			return err
		}
	}
	return enc.EncodeToken(st.End())
}

// itemName is the fallback name of an array's items: the items' ref name,
// else the array's own name.
func itemName(s *openapi3.Schema, arrayName string) string {
	if s != nil && s.Items != nil {
		if i := strings.LastIndexByte(s.Items.Ref, '/'); i >= 0 {
			return s.Items.Ref[i+1:]
		}
	}
	return arrayName
}

// writeProperty writes a property of an object: an array as a run of
// elements (wrapped in one when xml.wrapped), anything else as one.
func writeProperty(enc *xml.Encoder, value any, p *openapi3.Schema, key string, depth int) error {
	name, space, prefix := xmlName(p, key)
	arr, isArr := value.([]any)
	if !isArr {
		return writeXML(enc, value, p, name, space, prefix, depth)
	}
	var items *openapi3.Schema
	if p != nil && p.Items != nil {
		items = p.Items.Value
	}
	wrapped := p != nil && p.XML != nil && p.XML.Wrapped
	if wrapped {
		return writeXML(enc, arr, p, name, space, prefix, depth)
	}
	in, isp, ip := xmlName(items, name)
	for _, it := range arr {
		if err := writeXML(enc, it, items, in, isp, ip, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// scalarText is a scalar's text (JSON's spelling of numbers and booleans).
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return fmt.Sprint(v), false
}

// xmlNode is an element read from an XML body.
type xmlNode struct {
	name     string
	attrs    map[string]string
	children []*xmlNode
	text     strings.Builder
}

// decodeXML reads an XML body into the JSON value its schema describes:
// the root element is the body (its name is not checked: documents name
// it in many ways), attributes and child elements are the properties,
// texts are converted to the property's type (integer, number, boolean;
// a text that does not convert stays a string, for the schema to refuse).
func decodeXML(data []byte, ref *openapi3.SchemaRef) (any, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, err
	}
	var s *openapi3.Schema
	if ref != nil {
		s = ref.Value
	}
	return nodeValue(root, s, 0), nil
}

// parseXML reads the element tree of a document (namespace prefixes are
// dropped from names).
func parseXML(data []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, errors.New("XML nested deeper than 64 elements")
			}
			n := &xmlNode{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			} else {
				return nil, errors.New("not XML: more than one root element")
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("not XML: no element")
	}
	return root, nil
}

// nodeValue is the value of an element by its schema.
func nodeValue(n *xmlNode, s *openapi3.Schema, depth int) any {
	if depth > maxXMLDepth {
		return nil
	}
	if isArraySchema(s) {
		// a wrapped array: its child elements are the items
		var items *openapi3.Schema
		if s.Items != nil {
			items = s.Items.Value
		}
		out := make([]any, 0, len(n.children))
		for _, c := range n.children {
			out = append(out, nodeValue(c, items, depth+1))
		}
		return out
	}
	props := schemaProperties(s)
	if len(props) == 0 && len(n.children) == 0 && len(n.attrs) == 0 {
		return scalarValue(strings.TrimSpace(n.text.String()), s)
	}
	obj := map[string]any{}
	// the properties, by their XML names
	byXML := map[string]string{}
	for k, p := range props {
		name, _, _ := xmlName(p, k)
		byXML[name] = k
		if p != nil && p.XML != nil && p.XML.Attribute {
			if v, ok := n.attrs[name]; ok {
				obj[k] = scalarValue(v, p)
			}
			continue
		}
		if isArraySchema(p) && !(p.XML != nil && p.XML.Wrapped) {
			// unwrapped: the run of elements named after the items
			var items *openapi3.Schema
			if p.Items != nil {
				items = p.Items.Value
			}
			in, _, _ := xmlName(items, name)
			var arr []any
			for _, c := range n.children {
				if c.name == in {
					arr = append(arr, nodeValue(c, items, depth+1))
				}
			}
			if arr != nil {
				obj[k] = arr
			}
			byXML[in] = k
			continue
		}
		for _, c := range n.children {
			if c.name == name {
				obj[k] = nodeValue(c, p, depth+1)
				break
			}
		}
	}
	// what the schema does not name is kept, for it to refuse
	for _, c := range n.children {
		if _, known := byXML[c.name]; !known {
			obj[c.name] = nodeValue(c, nil, depth+1)
		}
	}
	for a, v := range n.attrs {
		if _, known := byXML[a]; !known {
			obj[a] = v
		}
	}
	return obj
}

// scalarValue converts an element's text to its schema's type.
func scalarValue(txt string, s *openapi3.Schema) any {
	if s == nil {
		return txt
	}
	switch {
	case s.Type.Is("integer") || s.Type.Includes("integer"):
		if n, err := strconv.ParseInt(txt, 10, 64); err == nil {
			return float64(n)
		}
	case s.Type.Is("number") || s.Type.Includes("number"):
		if f, err := strconv.ParseFloat(txt, 64); err == nil {
			return f
		}
	case s.Type.Is("boolean") || s.Type.Includes("boolean"):
		if b, err := strconv.ParseBool(txt); err == nil {
			return b
		}
	}
	if txt == "" && s.PermitsNull() {
		return nil
	}
	return txt
}

// isXMLMedia reports whether a media type is XML (application/xml,
// text/xml, …+xml).
func isXMLMedia(mt string) bool {
	mt = strings.ToLower(strings.TrimSpace(mt))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}
