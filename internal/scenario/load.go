package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/reqctx"
)

// Ext is the extension of scenario files.
const Ext = ".yaml"

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// ErrInvalid marks a scenario file or scenario that breaks a rule; the
// message says which file, line and rule.
var ErrInvalid = errors.New("invalid scenario")

// file is the YAML form of a scenario (see scenarios/README.md).
type file struct {
	// Name and API are optional; when given they must match the file name
	// and the folder.
	Name        string   `yaml:"name"`
	API         string   `yaml:"api"`
	Description string   `yaml:"description"`
	Source      string   `yaml:"source"`
	Operations  []string `yaml:"operations"`
	Effect      effect   `yaml:"effect"`
}

type effect struct {
	Status        int               `yaml:"status"`
	Message       string            `yaml:"message"`
	Code          string            `yaml:"code"`
	Headers       map[string]string `yaml:"headers"`
	GraphQLStatus int               `yaml:"graphqlStatus"`
	Delay         duration          `yaml:"delay"`
	MaxDelay      duration          `yaml:"maxDelay"`
	Hold          bool              `yaml:"hold"`
	HoldCap       duration          `yaml:"holdCap"`
	Fault         string            `yaml:"fault"`
	DataSet       string            `yaml:"dataSet"`
	ActAs         string            `yaml:"actAs"`
	QueryBudget   duration          `yaml:"queryBudget"`
}

// duration reads a Go duration string ("2s", "1m30s").
type duration time.Duration

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (e.g. 2s, 500ms, 1m)", n.Line, s)
	}
	*d = duration(v)
	return nil
}

// Load reads every scenarios/<api>/<name>.yaml of fsys: fsys is the
// scenarios folder itself (as the embedded scenarios.FS is), so files sit at
// <api>/<name>.yaml. Files at the top and files not ending in .yaml are
// ignored, except .yml files, which are an error (a likely typo). Decoding
// is strict; errors name the file and, where known, the line.
func Load(fsys fs.FS) (*Registry, error) {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	var list []*Scenario
	var errs []error
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") {
			continue
		}
		api := d.Name()
		entries, err := fs.ReadDir(fsys, api)
		if err != nil {
			errs = append(errs, fmt.Errorf("scenarios/%s: %w", api, err))
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			p := path.Join(api, e.Name())
			if strings.HasSuffix(e.Name(), ".yml") {
				errs = append(errs, fmt.Errorf("%w: %s: use the extension %s", ErrInvalid, p, Ext))
				continue
			}
			if !strings.HasSuffix(e.Name(), Ext) {
				continue
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", p, err))
				continue
			}
			s, err := Parse(p, data)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			list = append(list, s)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewRegistry(list)
}

// Parse reads one scenario file. p is its path "<api>/<name>.yaml" relative
// to the scenarios folder: the API and name come from it.
func Parse(p string, data []byte) (*Scenario, error) {
	dir, base := path.Split(p)
	api := path.Base(strings.TrimSuffix(dir, "/"))
	name := strings.TrimSuffix(base, Ext)
	fail := func(line int, format string, args ...any) error {
		where := p
		if line > 0 {
			where = fmt.Sprintf("%s:%d", p, line)
		}
		return fmt.Errorf("%w: %s: %s", ErrInvalid, where, fmt.Sprintf(format, args...))
	}
	if dir == "" || !nameRE.MatchString(api) {
		return nil, fail(0, "the folder must name the API (lower-case letters, digits, dashes): %q", api)
	}
	if !nameRE.MatchString(name) || name == None {
		return nil, fail(0, "the file name must be the scenario name: lower-case letters, digits and dashes, starting with a letter, not %q", None)
	}

	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(p, err)
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, fail(0, "the file is empty")
	}
	if doc := root.Content[0]; doc.Kind != yaml.MappingNode {
		return nil, fail(doc.Line, "the file must be a mapping (name: value lines), not a %s", kindName(doc.Kind))
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, yamlError(p, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fail(extra.Line, "one scenario per file: a second YAML document follows")
	}
	line := func(keys ...string) int { return lineOf(root.Content[0], keys...) }

	if f.Name != "" && f.Name != name {
		return nil, fail(line("name"), "name %q differs from the file name %q", f.Name, name)
	}
	if f.API != "" && f.API != api {
		return nil, fail(line("api"), "api %q differs from the folder %q", f.API, api)
	}
	e := f.Effect
	s := &Scenario{
		Name:        name,
		API:         api,
		Description: strings.TrimSpace(f.Description),
		Source:      strings.TrimSpace(f.Source),
		Operations:  f.Operations,
		File:        p,
		Effect: Effect{
			Status:        e.Status,
			Message:       e.Message,
			Code:          e.Code,
			Headers:       e.Headers,
			GraphQLStatus: e.GraphQLStatus,
			Delay:         time.Duration(e.Delay),
			MaxDelay:      time.Duration(e.MaxDelay),
			Hold:          e.Hold,
			HoldCap:       time.Duration(e.HoldCap),
			Fault:         e.Fault,
			DataSet:       reqctx.DataSet(e.DataSet),
			ActAs:         e.ActAs,
			QueryBudget:   time.Duration(e.QueryBudget),
		},
	}
	if err := check(s); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return nil, fail(line(fe.keys...), "%s", fe.Error())
		}
		return nil, fail(0, "%v", err)
	}
	return s, nil
}

// fieldError is a rule broken by one field, named by its YAML keys.
type fieldError struct {
	keys []string
	msg  string
}

func (e *fieldError) Error() string { return strings.Join(e.keys, ".") + ": " + e.msg }

func bad(msg string, keys ...string) error { return &fieldError{keys: keys, msg: msg} }

// check applies the rules every scenario obeys, however it was built.
func check(s *Scenario) error {
	if !nameRE.MatchString(s.API) {
		return bad(fmt.Sprintf("API %q must be lower-case letters, digits and dashes", s.API), "api")
	}
	if !nameRE.MatchString(s.Name) || s.Name == None {
		return bad(fmt.Sprintf("scenario name %q must be lower-case letters, digits and dashes, and not %q", s.Name, None), "name")
	}
	if s.Description == "" {
		return bad("is required: say what the scenario reproduces", "description")
	}
	for i, op := range s.Operations {
		if strings.TrimSpace(op) == "" {
			return bad(fmt.Sprintf("entry %d is empty", i), "operations")
		}
	}
	e := &s.Effect
	if e.Status != 0 && (e.Status < 400 || e.Status > 599) {
		return bad(fmt.Sprintf("%d is not an error status (400-599)", e.Status), "effect", "status")
	}
	if e.GraphQLStatus != 0 && (e.GraphQLStatus < 200 || e.GraphQLStatus > 599) {
		return bad(fmt.Sprintf("%d is not an HTTP status (200-599)", e.GraphQLStatus), "effect", "graphqlStatus")
	}
	if e.GraphQLStatus != 0 && e.Status == 0 {
		return bad("needs effect.status", "effect", "graphqlStatus")
	}
	for k, v := range e.Headers {
		if !validHeaderName(k) {
			return bad(fmt.Sprintf("%q is not a valid header name", k), "effect", "headers")
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return bad(fmt.Sprintf("the value of %q has a line break", k), "effect", "headers")
		}
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"delay", e.Delay}, {"maxDelay", e.MaxDelay}, {"holdCap", e.HoldCap}, {"queryBudget", e.QueryBudget}} {
		if d.v < 0 {
			return bad("must not be negative", "effect", d.key)
		}
	}
	if e.HoldCap != 0 && !e.Hold {
		return bad("needs effect.hold: true", "effect", "holdCap")
	}
	if e.MaxDelay != 0 && e.Delay == 0 {
		return bad("needs effect.delay", "effect", "maxDelay")
	}
	switch e.Fault {
	case "", FaultConnectionReset, FaultEmptyReply, FaultTruncated:
	default:
		return bad(fmt.Sprintf("%q is not one of %s, %s, %s", e.Fault, FaultConnectionReset, FaultEmptyReply, FaultTruncated), "effect", "fault")
	}
	switch e.DataSet {
	case reqctx.DataNormal, reqctx.DataEmpty, reqctx.DataLarge:
	default:
		return bad(fmt.Sprintf("%q is not one of %s, %s", e.DataSet, reqctx.DataEmpty, reqctx.DataLarge), "effect", "dataSet")
	}
	if e.ActAs != strings.TrimSpace(e.ActAs) {
		return bad("has surrounding spaces", "effect", "actAs")
	}
	if e.IsZero() {
		return bad("does nothing: set at least one field", "effect")
	}
	return nil
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// lineOf returns the line of the value at keys inside a mapping node, or of
// the deepest key found; 0 if none.
func lineOf(n *yaml.Node, keys ...string) int {
	best := 0
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return best
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				best = n.Content[i].Line
				next = n.Content[i+1]
				break
			}
		}
		if next == nil {
			return best
		}
		n = next
	}
	return best
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// yamlLine finds yaml.v3's "line N: " in an error message.
func yamlLine(msg string) (int, string, bool) {
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0, "", false
	}
	rest := msg[i+len("line "):]
	j := strings.Index(rest, ": ")
	if j <= 0 {
		return 0, "", false
	}
	n, err := strconv.Atoi(rest[:j])
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, rest[j+2:], true
}

// yamlError turns a yaml.v3 decoding error into ErrInvalid naming the file
// and line as "file:line: message" (one per line for several field errors),
// so editors and logs can jump to it.
func yamlError(p string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, 0, len(te.Errors))
		for _, e := range te.Errors {
			if n, msg, ok := yamlLine(e); ok {
				msgs = append(msgs, fmt.Sprintf("%s:%d: %s", p, n, msg))
			} else {
				msgs = append(msgs, p+": "+e)
			}
		}
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(msgs, "; "))
	}
	if n, msg, ok := yamlLine(err.Error()); ok {
		return fmt.Errorf("%w: %s:%d: %s", ErrInvalid, p, n, msg)
	}
	return fmt.Errorf("%w: %s: %v", ErrInvalid, p, err)
}
