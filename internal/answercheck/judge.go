package answercheck

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Operation is one operation of the document.
type Operation struct {
	Method  string // lower case: get, post, ...
	Path    string // the path template
	ID      string // operationId, else "GET /path"
	Pointer string // "#/paths/~1pets/get"
	// Params are the path item's and the operation's parameters (the
	// operation's win), references followed.
	Params []Param
	// Op is the operation object as written.
	Op map[string]any
}

// Param is one parameter of an operation.
type Param struct {
	Name, In string
	Required bool
	// Schema is the parameter's schema, references followed (nil: none).
	Schema map[string]any
	// Raw is the parameter object.
	Raw map[string]any
}

// String is "GET /path".
func (o Operation) String() string { return strings.ToUpper(o.Method) + " " + o.Path }

// Operations lists every operation of the document, in path and method
// order.
func (d *Document) Operations() []Operation {
	paths, _ := d.Orig["paths"].(map[string]any)
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	var out []Operation
	for _, p := range names {
		item, _ := deref(d.Orig, paths[p]).(map[string]any)
		for _, m := range Methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			o := Operation{Method: m, Path: p, Op: op, Pointer: "#/paths/" + Token(p) + "/" + m}
			o.ID, _ = op["operationId"].(string)
			if o.ID == "" {
				o.ID = strings.ToUpper(m) + " " + p
			}
			seen := map[string]int{}
			for _, list := range [][]any{asList(item["parameters"]), asList(op["parameters"])} {
				for _, raw := range list {
					pm, _ := deref(d.Orig, raw).(map[string]any)
					name, _ := pm["name"].(string)
					in, _ := pm["in"].(string)
					if name == "" {
						continue
					}
					prm := Param{Name: name, In: in, Raw: pm}
					prm.Required, _ = pm["required"].(bool)
					prm.Schema, _ = deref(d.Orig, pm["schema"]).(map[string]any)
					if i, ok := seen[in+"\x00"+name]; ok {
						o.Params[i] = prm
						continue
					}
					seen[in+"\x00"+name] = len(o.Params)
					o.Params = append(o.Params, prm)
				}
			}
			out = append(out, o)
		}
	}
	return out
}

// Verdict is the judgement of one answer.
type Verdict struct {
	// Valid: the status is documented, the media type too, and the body
	// matches the schema (when one is documented).
	Valid bool
	// Checked: a schema was there to check the body against.
	Checked bool
	// Reason says why the answer is invalid, or why it was not checked.
	Reason string
	// Errors are the body's violations, one line each (pointer: message).
	Errors []string
}

// ResponseKey is the key of the responses object an answer's status
// falls under ("200", "2XX", "default"), "" when none.
func ResponseKey(responses map[string]any, status int) string {
	st := strconv.Itoa(status)
	for _, k := range []string{st, st[:1] + "XX", st[:1] + "xx", "default"} {
		if _, ok := responses[k]; ok {
			return k
		}
	}
	return ""
}

// Judge holds an answer to the operation's documented responses.
func (d *Document) Judge(o Operation, status int, contentType string, body []byte) Verdict {
	responses, _ := o.Op["responses"].(map[string]any)
	if len(responses) == 0 {
		return Verdict{Valid: true, Reason: "the operation documents no responses"}
	}
	key := ResponseKey(responses, status)
	if key == "" {
		keys := make([]string, 0, len(responses))
		for k := range responses {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return Verdict{Checked: true, Reason: fmt.Sprintf("status %d not documented (documented: %s)", status, strings.Join(keys, ", "))}
	}
	rv, rptr := d.Resolve(o.Pointer + "/responses/" + Token(key))
	r, _ := rv.(map[string]any)
	if r == nil {
		return Verdict{Reason: "response " + key + " cannot be resolved in the document"}
	}
	content, _ := r["content"].(map[string]any)
	if len(content) == 0 {
		if len(bytes.TrimSpace(body)) > 0 {
			return Verdict{Checked: true, Reason: fmt.Sprintf("a body where the document gives none for %s", key)}
		}
		return Verdict{Valid: true, Reason: "no content documented"}
	}
	types := make([]string, 0, len(content))
	for t := range content {
		types = append(types, t)
	}
	sort.Strings(types)
	if len(body) == 0 {
		if status == 204 || status == 304 || o.Method == "head" {
			return Verdict{Valid: true, Reason: "no body"}
		}
		return Verdict{Checked: true, Reason: "empty body where the document gives " + strings.Join(types, ", ")}
	}
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	mt := mediaMatch(types, ct)
	if mt == "" {
		if ct == "" {
			ct = "(none)"
		}
		return Verdict{Checked: true, Reason: fmt.Sprintf("media type %s not documented for %s (documented: %s)", ct, key, strings.Join(types, ", "))}
	}
	m, _ := content[mt].(map[string]any)
	if m["schema"] == nil {
		return Verdict{Valid: true, Reason: "no schema documented"}
	}
	if !isJSONMedia(ct) {
		return Verdict{Valid: true, Reason: "not JSON: not checked"}
	}
	ptr := rptr + "/content/" + Token(mt) + "/schema"
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return Verdict{Checked: true, Reason: "body is not JSON: " + err.Error()}
	}
	return d.check(Answers, ptr, v)
}

// Check validates a value against the schema at a pointer of one side
// (a request body against its schema, say).
func (d *Document) Check(s Side, pointer string, value any) Verdict {
	return d.check(s, pointer, value)
}

func (d *Document) check(s Side, ptr string, v any) Verdict {
	sch, err := d.Schema(s, ptr)
	if err != nil {
		return Verdict{Valid: true, Reason: "schema not compiled: " + firstLine(err.Error())}
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return Verdict{Checked: true, Reason: "body not valid against the schema", Errors: leaves(ve)}
		}
		return Verdict{Checked: true, Reason: "body not valid: " + err.Error()}
	}
	return Verdict{Valid: true, Checked: true}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

var printer = message.NewPrinter(language.English)

// leaves are a validation error's deepest causes, one line each.
func leaves(e *jsonschema.ValidationError) []string {
	var out []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			ptr := ""
			for _, t := range e.InstanceLocation {
				ptr += "/" + Token(t)
			}
			out = append(out, fmt.Sprintf("%s: %s", orRoot(ptr), e.ErrorKind.LocalizedString(printer)))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(e)
	sort.Strings(out)
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("… and %d more", len(out)-12))
	}
	return out
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

var jsonMedia = regexp.MustCompile(`^application/(.+\+)?json$|/json$|^\*/\*$|^application/\*$`)

func isJSONMedia(ct string) bool { return jsonMedia.MatchString(ct) }

// mediaMatch is the documented media type an answer's falls under.
func mediaMatch(types []string, ct string) string {
	base := func(k string) string { return strings.ToLower(strings.TrimSpace(strings.SplitN(k, ";", 2)[0])) }
	for _, k := range types {
		if base(k) == ct {
			return k
		}
	}
	for _, k := range types {
		if a, b, ok := strings.Cut(base(k), "/"); ok && b == "*" && strings.HasPrefix(ct, a+"/") {
			return k
		}
	}
	for _, k := range types {
		if strings.TrimSpace(k) == "*/*" {
			return k
		}
	}
	return ""
}
