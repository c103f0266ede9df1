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
	"github.com/standin/standin/internal/usererr"
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
		return &usererr.Error{Place: usererr.Place{Line: n.Line, Col: n.Column}, Problem: fmt.Sprintf("%q is not a duration", s),
			Fix: "write a Go duration such as 2s, 500ms or 1m30s", Err: ErrInvalid}
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
				errs = append(errs, &usererr.Error{Place: usererr.Place{File: usererr.FileName(fsys, p)},
					Problem: "a scenario file ends in .yml", Fix: "rename it to end in " + Ext, Err: ErrInvalid})
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
			s, err := parse(p, usererr.FileName(fsys, p), data)
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
// to the scenarios folder: the API and name come from it. Errors are
// *usererr.Error values naming p, the line and column, and the fix; they
// match ErrInvalid.
func Parse(p string, data []byte) (*Scenario, error) { return parse(p, p, data) }

// parse is Parse with shown, the name of p the user knows (a path on disk),
// for messages.
func parse(p, shown string, data []byte) (*Scenario, error) {
	dir, base := path.Split(p)
	api := path.Base(strings.TrimSuffix(dir, "/"))
	name := strings.TrimSuffix(base, Ext)
	fail := func(at usererr.Place, problem, fix string) error {
		return &usererr.Error{Place: at, Problem: problem, Fix: fix, Err: ErrInvalid}
	}
	whole := usererr.Place{File: shown}
	if dir == "" || !nameRE.MatchString(api) {
		return nil, fail(whole, fmt.Sprintf("the folder %q does not name an API", api),
			"put the file in a folder named after its API (lower-case letters, digits and dashes)")
	}
	if !nameRE.MatchString(name) || name == None {
		return nil, fail(whole, fmt.Sprintf("the file name %q is not a scenario name", name),
			fmt.Sprintf("name the file after the scenario: lower-case letters, digits and dashes, starting with a letter, not %q", None))
	}

	var f file
	root, err := usererr.DecodeYAML(shown, data, &f)
	if err != nil {
		for _, e := range usererr.All(err) {
			e.Err = ErrInvalid
		}
		return nil, err
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, fail(whole, "the file is empty", "describe the scenario: description: and effect: (see scenarios/README.md)")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first, extra yaml.Node
	if dec.Decode(&first) == nil {
		if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
			return nil, fail(usererr.Place{File: shown, Line: extra.Line, Col: extra.Column}, "a second YAML document follows",
				"keep one scenario per file: move it to a file of its own")
		}
	}
	at := func(keys ...string) usererr.Place { return usererr.YAMLPlace(shown, root, keys...) }

	if f.Name != "" && f.Name != name {
		return nil, fail(at("name"), fmt.Sprintf("name %q differs from the file name %q", f.Name, name),
			fmt.Sprintf("rename the file to %s%s, or write name: %s (or leave name: out)", f.Name, Ext, name))
	}
	if f.API != "" && f.API != api {
		return nil, fail(at("api"), fmt.Sprintf("api %q differs from the folder %q", f.API, api),
			fmt.Sprintf("move the file to the folder %s/, or write api: %s (or leave api: out)", f.API, api))
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
			place := at(fe.keys...)
			if fe.key != "" {
				place = usererr.YAMLKeyPlace(shown, root, append(fe.keys, fe.key)...)
			}
			return nil, fail(place, fe.Error(), fe.fix)
		}
		return nil, fail(whole, err.Error(), "see scenarios/README.md")
	}
	return s, nil
}

// fieldError is a rule broken by one field, named by its YAML keys.
type fieldError struct {
	keys []string
	msg  string
	fix  string
	// key, when set, is a key under keys that is itself wrong: the
	// error points at it
	key string
}

func (e *fieldError) Error() string { return strings.Join(e.keys, ".") + ": " + e.msg }

// bad is a broken rule of the field at keys, and what to do about it.
func bad(msg, fix string, keys ...string) error { return &fieldError{keys: keys, msg: msg, fix: fix} }

// check applies the rules every scenario obeys, however it was built.
func check(s *Scenario) error {
	if !nameRE.MatchString(s.API) {
		return bad(fmt.Sprintf("API %q must be lower-case letters, digits and dashes", s.API), "name the API as its manifest does", "api")
	}
	if !nameRE.MatchString(s.Name) || s.Name == None {
		return bad(fmt.Sprintf("scenario name %q must be lower-case letters, digits and dashes, and not %q", s.Name, None), "choose a name such as server-error", "name")
	}
	if s.Description == "" {
		return bad("is required", "add description: saying what the scenario reproduces", "description")
	}
	for i, op := range s.Operations {
		if strings.TrimSpace(op) == "" {
			return bad(fmt.Sprintf("entry %d is empty", i), "name an operation id or a GraphQL field (Query.accounts), or remove the entry", "operations", strconv.Itoa(i))
		}
	}
	e := &s.Effect
	if e.Status != 0 && (e.Status < 400 || e.Status > 599) {
		return bad(fmt.Sprintf("%d is not an error status (400-599)", e.Status), "write a status from 400 to 599, e.g. status: 503", "effect", "status")
	}
	if e.GraphQLStatus != 0 && (e.GraphQLStatus < 200 || e.GraphQLStatus > 599) {
		return bad(fmt.Sprintf("%d is not an HTTP status (200-599)", e.GraphQLStatus), "write a status from 200 to 599 (GraphQL errors usually travel with 200)", "effect", "graphqlStatus")
	}
	if e.GraphQLStatus != 0 && e.Status == 0 {
		return bad("needs effect.status", "add status: (the REST answer's status) beside graphqlStatus:", "effect", "graphqlStatus")
	}
	for k, v := range e.Headers {
		if !validHeaderName(k) {
			return &fieldError{msg: fmt.Sprintf("%q is not a valid header name", k), fix: "use letters, digits and dashes (Retry-After)", keys: []string{"effect", "headers"}, key: k}
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return &fieldError{msg: fmt.Sprintf("the value of %q has a line break", k), fix: "write the value on one line", keys: []string{"effect", "headers", k}}
		}
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"delay", e.Delay}, {"maxDelay", e.MaxDelay}, {"holdCap", e.HoldCap}, {"queryBudget", e.QueryBudget}} {
		if d.v < 0 {
			return bad("must not be negative", "write a positive duration such as 2s, or 0", "effect", d.key)
		}
	}
	if e.HoldCap != 0 && !e.Hold {
		return bad("needs effect.hold: true", "add hold: true, or remove holdCap:", "effect", "holdCap")
	}
	if e.MaxDelay != 0 && e.Delay == 0 {
		return bad("needs effect.delay", "add delay: (the shortest delay), or remove maxDelay:", "effect", "maxDelay")
	}
	switch e.Fault {
	case "", FaultConnectionReset, FaultEmptyReply, FaultTruncated:
	default:
		return bad(fmt.Sprintf("%q is not a fault", e.Fault), fmt.Sprintf("write one of %s, %s, %s", FaultConnectionReset, FaultEmptyReply, FaultTruncated), "effect", "fault")
	}
	switch e.DataSet {
	case reqctx.DataNormal, reqctx.DataEmpty, reqctx.DataLarge:
	default:
		return bad(fmt.Sprintf("%q is not a data set", e.DataSet), fmt.Sprintf("write one of %s, %s", reqctx.DataEmpty, reqctx.DataLarge), "effect", "dataSet")
	}
	if e.ActAs != strings.TrimSpace(e.ActAs) {
		return bad("has surrounding spaces", "remove the spaces around the token", "effect", "actAs")
	}
	if e.IsZero() {
		return bad("does nothing", "set at least one of status, delay, hold, fault, dataSet, actAs, queryBudget", "effect")
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
