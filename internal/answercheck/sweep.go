package answercheck

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Options of a sweep.
type Options struct {
	// Base is the server's URL (plus the API's base path, if any).
	Base string
	// Client sends the requests (nil: http.DefaultClient).
	Client *http.Client
	// Credential is the value every security scheme gets (a bearer token,
	// an API key, basic's user and password).
	Credential string
}

// Answer is one answer of a sweep and its verdict.
type Answer struct {
	Op          string // "GET /pets/{petId}"
	Kind        string // list, get, unknown id, create, bad body, update, delete, read back …, other
	Request     string // "GET /pets/3"
	RequestBody string
	Status      int
	ContentType string
	Body        string // the first 2,000 bytes
	Verdict     Verdict
}

func (a Answer) String() string {
	s := fmt.Sprintf("%s [%s] %s → %d: %s", a.Op, a.Kind, a.Request, a.Status, a.Verdict.Reason)
	for _, e := range a.Verdict.Errors {
		s += "\n    " + e
	}
	if a.RequestBody != "" {
		s += "\n    request body: " + a.RequestBody
	}
	s += "\n    body: " + a.Body
	return s
}

// Tally counts the verdicts of a sweep.
type Tally struct {
	Operations int
	Answers    []Answer
	// Writes are the checkable writes answered 2xx, Persisted those read
	// back as written (a delete: 404 or 410 after it).
	Writes, Persisted int
	NotPersisted      []string
	// UnknownIDs are the gets of an id no record has, Unknown404 those
	// answered 404.
	UnknownIDs, Unknown404 int
	// BadBodies are the creates sent a body of a wrong type, BadRefused
	// those refused with a 4xx.
	BadBodies, BadRefused int
	// Harness notes what the sweep could not do itself (no valid body).
	Harness []string
}

// Invalid lists the invalid answers.
func (t *Tally) Invalid() []Answer {
	var out []Answer
	for _, a := range t.Answers {
		if !a.Verdict.Valid {
			out = append(out, a)
		}
	}
	return out
}

// Summary is a line of counts, then the commonest reasons of invalid
// answers.
func (t *Tally) Summary() string {
	inv := t.Invalid()
	var b strings.Builder
	fmt.Fprintf(&b, "operations %d, answers %d, valid %d, invalid %d; writes persisted %d/%d; unknown id 404 %d/%d; bad body refused %d/%d\n",
		t.Operations, len(t.Answers), len(t.Answers)-len(inv), len(inv), t.Persisted, t.Writes, t.Unknown404, t.UnknownIDs, t.BadRefused, t.BadBodies)
	count := map[string]int{}
	for _, a := range inv {
		r, _, _ := strings.Cut(a.Verdict.Reason, " (documented")
		if len(a.Verdict.Errors) > 0 {
			_, msg, _ := strings.Cut(a.Verdict.Errors[0], ": ")
			r += ": " + digits.ReplaceAllString(msg, "N")
		}
		count[r+" ["+a.Kind+"]"]++
	}
	reasons := make([]string, 0, len(count))
	for r := range count {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if count[reasons[i]] != count[reasons[j]] {
			return count[reasons[i]] > count[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	for _, r := range reasons {
		fmt.Fprintf(&b, "  %d × %s\n", count[r], r)
	}
	return b.String()
}

var digits = regexp.MustCompile(`\d+`)

// collection is an item path P/{param} answering GET whose parent P lists
// (GET) or creates (POST).
type collection struct {
	param                          string
	list, create, get, update, del *Operation
	parent                         string
	name                           string
}

var itemPath = regexp.MustCompile(`^(.*)/\{([^}/]+)\}$`)

func collections(ops []Operation) []collection {
	by := map[string]*Operation{}
	for i := range ops {
		by[ops[i].Method+" "+ops[i].Path] = &ops[i]
	}
	var out []collection
	for i := range ops {
		o := &ops[i]
		if o.Method != "get" {
			continue
		}
		m := itemPath.FindStringSubmatch(o.Path)
		if m == nil || m[1] == "" {
			continue
		}
		c := collection{name: o.Path, parent: m[1], param: m[2], get: o, list: by["get "+m[1]], create: by["post "+m[1]]}
		if c.list == nil && c.create == nil {
			continue
		}
		c.update = by["put "+o.Path]
		if c.update == nil {
			c.update = by["patch "+o.Path]
		}
		c.del = by["delete "+o.Path]
		out = append(out, c)
	}
	return out
}

// sweeper holds one sweep's state.
type sweeper struct {
	d     *Document
	opt   Options
	t     *Tally
	known map[string]any // path parameter → an id seen in an answer
	marks int
}

// Sweep drives a running server through every operation of the document:
// per collection (an item path P/{x} answering GET, whose P lists or
// creates) list, get, get with an unknown id, create, a bad body, update,
// delete and a read back after each write; every other operation once,
// with valid parameters and the credentials its security asks for.
func Sweep(ctx context.Context, d *Document, opt Options) *Tally {
	if opt.Client == nil {
		opt.Client = http.DefaultClient
	}
	ops := d.Operations()
	sw := &sweeper{d: d, opt: opt, t: &Tally{Operations: len(ops)}, known: map[string]any{}}
	cols := collections(ops)
	in := map[*Operation]bool{}
	for _, c := range cols {
		for _, o := range []*Operation{c.list, c.create, c.get, c.update, c.del} {
			if o != nil {
				in[o] = true
			}
		}
	}
	for _, c := range cols {
		sw.collection(ctx, c)
	}
	for i := range ops {
		o := &ops[i]
		if in[o] {
			continue
		}
		var body *reqBody
		if o.Method == "post" || o.Method == "put" || o.Method == "patch" || bodyRequired(sw.d, o) {
			body = sw.bodyFor(o, false)
		}
		sw.call(ctx, o, "other", body, nil)
	}
	return sw.t
}

type result struct {
	status   int
	location string
	value    any
	ok       bool
}

func (sw *sweeper) collection(ctx context.Context, c collection) {
	gp := Param{Name: c.param, In: "path", Schema: map[string]any{"type": "string"}}
	for _, p := range c.get.Params {
		if p.In == "path" && p.Name == c.param {
			gp = p
		}
	}
	var existing any
	if c.list != nil {
		r := sw.call(ctx, c.list, "list", nil, nil)
		if l, ok := r.value.([]any); ok && len(l) > 0 && scalarJSON(l[0]) {
			existing = l[0] // a list of the records' names
		} else {
			existing = idFrom(firstRecord(r.value), c.param)
		}
	}
	if existing != nil {
		sw.known[c.param] = existing
	}
	found := map[string]bool{}
	first := existing
	if first == nil {
		first = sw.paramValue(gp)
	}
	r := sw.call(ctx, c.get, "get", nil, map[string]any{c.param: first})
	if existing != nil && r.ok {
		found[fmt.Sprint(existing)] = true
	}
	sw.t.UnknownIDs++
	if r := sw.call(ctx, c.get, "unknown id", nil, map[string]any{c.param: sw.unknownID(gp)}); r.status == 404 {
		sw.t.Unknown404++
	}
	var created any
	if c.create != nil {
		body := sw.bodyFor(c.create, false)
		marked := sw.mark(body, "created", c.param)
		r := sw.call(ctx, c.create, "create", body, nil)
		if r.ok {
			created = idFrom(r.value, c.param)
			if created == nil && r.location != "" {
				if u, err := url.PathUnescape(r.location[strings.LastIndex(r.location, "/")+1:]); err == nil {
					created = u
				}
			}
			switch {
			case marked == nil:
			case created == nil:
				sw.t.Writes++
				sw.t.NotPersisted = append(sw.t.NotPersisted, "POST "+c.parent+": no id in the answer to read it back by")
			default:
				sw.t.Writes++
				back := sw.call(ctx, c.get, "read back (create)", nil, map[string]any{c.param: created})
				if back.ok && isRecord(back.value, c.param, created) && shows(back.value, marked, true) && shows(back.value, scalars(body.value), false) {
					sw.t.Persisted++
					found[fmt.Sprint(created)] = true
				} else {
					sw.t.NotPersisted = append(sw.t.NotPersisted, fmt.Sprintf("POST %s: read back %v: %d", c.parent, created, back.status))
				}
			}
		}
		if bad := sw.bodyFor(c.create, true); bad != nil {
			sw.t.BadBodies++
			if r := sw.call(ctx, c.create, "bad body", bad, nil); r.status >= 400 && r.status < 500 {
				sw.t.BadRefused++
			}
		}
	}
	target := created
	if target == nil {
		target = existing
	}
	if c.update != nil {
		body := sw.bodyFor(c.update, false)
		changed := sw.mark(body, "updated", c.param)
		pv := map[string]any{}
		if target != nil {
			pv[c.param] = target
		}
		r := sw.call(ctx, c.update, "update", body, pv)
		if target != nil && r.ok && changed != nil {
			sw.t.Writes++
			back := sw.call(ctx, c.get, "read back (update)", nil, pv)
			if back.ok && isRecord(back.value, c.param, target) && shows(back.value, changed, true) {
				sw.t.Persisted++
			} else {
				sw.t.NotPersisted = append(sw.t.NotPersisted, fmt.Sprintf("%s: read back %v: %d", c.update, target, back.status))
			}
		}
	}
	if c.del != nil {
		pv := map[string]any{}
		if target != nil {
			pv[c.param] = target
		}
		r := sw.call(ctx, c.del, "delete", nil, pv)
		if target != nil && r.ok {
			sw.t.Writes++
			back := sw.call(ctx, c.get, "read back (delete)", nil, pv)
			if (back.status == 404 || back.status == 410) && found[fmt.Sprint(target)] {
				sw.t.Persisted++
			} else {
				sw.t.NotPersisted = append(sw.t.NotPersisted, fmt.Sprintf("%s: read back %v after the delete: %d", c.del, target, back.status))
			}
		}
		if target == existing {
			delete(sw.known, c.param)
		}
	}
}

// bodyRequired reports whether an operation requires a request body.
func bodyRequired(d *Document, o *Operation) bool {
	rb, _ := d.Resolve(o.Pointer + "/requestBody")
	m, _ := rb.(map[string]any)
	return m["required"] == true
}

// reqBody is a request body and the media type it is sent as.
type reqBody struct {
	mediaType string
	pointer   string // the schema's pointer ("" when none)
	value     any
}

var mediaPreference = []func(string) bool{
	func(m string) bool { return m == "application/json" },
	func(m string) bool { return strings.HasSuffix(m, "+json") || strings.Contains(m, "/json") },
	func(m string) bool { return m == "*/*" || m == "application/*" },
	func(m string) bool { return m == "application/x-www-form-urlencoded" },
	func(m string) bool { return m == "multipart/form-data" },
	func(m string) bool { return strings.HasPrefix(m, "text/plain") },
	func(string) bool { return true },
}

// bodyFor makes a request body valid against the request schema (its
// example, else generated), or with spoil one property of a wrong type
// (nil when none can be made).
func (sw *sweeper) bodyFor(o *Operation, spoil bool) *reqBody {
	if _, ok := o.Op["requestBody"]; !ok {
		return nil
	}
	rbv, ptr := sw.d.Resolve(o.Pointer + "/requestBody")
	rb, _ := rbv.(map[string]any)
	content, _ := rb["content"].(map[string]any)
	if len(content) == 0 {
		return nil
	}
	types := make([]string, 0, len(content))
	for t := range content {
		types = append(types, t)
	}
	sort.Strings(types)
	mt := ""
	for _, pref := range mediaPreference {
		for _, t := range types {
			if pref(strings.ToLower(t)) {
				mt = t
				break
			}
		}
		if mt != "" {
			break
		}
	}
	m, _ := content[mt].(map[string]any)
	b := &reqBody{mediaType: mt}
	var candidates []any
	if ex, ok := m["example"]; ok {
		candidates = append(candidates, ex)
	}
	for _, e := range mapValues(m["examples"]) {
		if ex, ok := deref(sw.d.Orig, e).(map[string]any); ok && ex["value"] != nil {
			candidates = append(candidates, ex["value"])
		}
	}
	if m["schema"] != nil {
		b.pointer = ptr + "/content/" + Token(mt) + "/schema"
		for v := 0; v < 4; v++ {
			candidates = append(candidates, sw.d.Generate(m["schema"], true, v), sw.d.Generate(m["schema"], false, v))
		}
	}
	valid := func(v any) bool {
		if b.pointer == "" {
			return true
		}
		return sw.d.Check(Requests, b.pointer, roundTrip(v)).Valid
	}
	for _, c := range candidates {
		if c != nil && valid(c) {
			b.value = c
			break
		}
	}
	if b.value == nil {
		if len(candidates) > 0 {
			b.value = candidates[0]
		} else {
			b.value = map[string]any{}
		}
		if !spoil {
			sw.t.Harness = append(sw.t.Harness, o.String()+": no request body valid against the request schema could be made")
		}
	}
	if !spoil {
		return b
	}
	obj, ok := b.value.(map[string]any)
	if !ok || b.pointer == "" {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		bad := map[string]any{}
		for kk, vv := range obj {
			bad[kk] = vv
		}
		switch obj[k].(type) {
		case string:
			bad[k] = 12345
		default:
			bad[k] = []any{"not", "this"}
		}
		if !valid(bad) {
			return &reqBody{mediaType: mt, pointer: b.pointer, value: bad}
		}
	}
	return nil
}

// roundTrip turns a Go value into the validator's JSON values.
func roundTrip(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	out, err := decode(data)
	if err != nil {
		return v
	}
	return out
}

// mark sets the first string property of a body (not the key) to a value
// of the sweep's own, when the request schema still accepts it.
func (sw *sweeper) mark(b *reqBody, prefix, key string) map[string]any {
	if b == nil {
		return nil
	}
	obj, ok := b.value.(map[string]any)
	if !ok {
		return nil
	}
	sw.marks++
	val := fmt.Sprintf("sweep-%s-%d", prefix, sw.marks)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	writeOnly := map[string]bool{}
	if b.pointer != "" {
		sv, _ := sw.d.Resolve(b.pointer)
		sch, _ := sv.(map[string]any)
		for name, p := range mapOf(sch["properties"]) {
			if pv, _ := sw.d.follow(sw.d.file, p); pv != nil {
				if pm, _ := pv.(map[string]any); pm["writeOnly"] == true {
					writeOnly[name] = true // never read back
				}
			}
		}
	}
	for _, k := range keys {
		if _, isStr := obj[k].(string); !isStr || k == key || k == "id" || writeOnly[k] {
			continue
		}
		try := map[string]any{}
		for kk, vv := range obj {
			try[kk] = vv
		}
		try[k] = val
		if b.pointer == "" || sw.d.Check(Requests, b.pointer, roundTrip(try)).Valid {
			b.value = try
			return map[string]any{k: val}
		}
	}
	return nil
}

// call sends one request and judges its answer.
func (sw *sweeper) call(ctx context.Context, o *Operation, kind string, body *reqBody, pathValues map[string]any) result {
	u := o.Path
	for _, name := range pathParamNames(o.Path) {
		v, ok := pathValues[name]
		if !ok {
			v, ok = sw.known[name]
		}
		if !ok {
			p := Param{Name: name, In: "path", Schema: map[string]any{"type": "string"}}
			for _, q := range o.Params {
				if q.In == "path" && q.Name == name {
					p = q
				}
			}
			v = sw.paramValue(p)
		}
		u = strings.Replace(u, "{"+name+"}", url.PathEscape(fmt.Sprint(v)), 1)
	}
	q := url.Values{}
	hdr := http.Header{}
	hdr.Set("Accept", "application/json, */*;q=0.5")
	var cookies []string
	sw.credentials(o, q, hdr, &cookies)
	for _, p := range o.Params {
		if !p.Required || p.In == "path" {
			continue
		}
		v := sw.paramValue(p)
		switch p.In {
		case "query":
			if l, ok := v.([]any); ok {
				for _, e := range l {
					q.Add(p.Name, fmt.Sprint(e))
				}
			} else {
				q.Set(p.Name, fmt.Sprint(v))
			}
		case "header":
			if !strings.EqualFold(p.Name, "content-type") && !strings.EqualFold(p.Name, "accept") && !strings.EqualFold(p.Name, "authorization") {
				hdr.Set(p.Name, fmt.Sprint(v))
			}
		case "cookie":
			cookies = append(cookies, p.Name+"="+url.QueryEscape(fmt.Sprint(v)))
		}
	}
	if len(cookies) > 0 {
		hdr.Set("Cookie", strings.Join(cookies, "; "))
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	a := Answer{Op: o.String(), Kind: kind, Request: strings.ToUpper(o.Method) + " " + u}
	var rd io.Reader
	if body != nil {
		data, ctype := encodeBody(body)
		rd = bytes.NewReader(data)
		hdr.Set("Content-Type", ctype)
		a.RequestBody = clip(string(data))
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(o.Method), sw.opt.Base+u, rd)
	if err != nil {
		a.Verdict = Verdict{Reason: "request not made: " + err.Error()}
		sw.t.Answers = append(sw.t.Answers, a)
		return result{}
	}
	req.Header = hdr
	resp, err := sw.opt.Client.Do(req)
	if err != nil {
		a.Verdict = Verdict{Reason: "no answer: " + err.Error()}
		sw.t.Answers = append(sw.t.Answers, a)
		return result{}
	}
	data, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	a.Status, a.ContentType, a.Body = resp.StatusCode, resp.Header.Get("Content-Type"), clip(string(data))
	a.Verdict = sw.d.Judge(*o, resp.StatusCode, a.ContentType, data)
	if kind == "bad body" && resp.StatusCode < 300 {
		a.Verdict.Valid = false
		a.Verdict.Reason = fmt.Sprintf("bad body accepted (%d)", resp.StatusCode)
	}
	sw.t.Answers = append(sw.t.Answers, a)
	r := result{status: resp.StatusCode, location: resp.Header.Get("Location"), ok: resp.StatusCode >= 200 && resp.StatusCode < 300}
	_ = json.Unmarshal(data, &r.value)
	return r
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

func encodeBody(b *reqBody) ([]byte, string) {
	mt := strings.ToLower(b.mediaType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		v := url.Values{}
		if m, ok := b.value.(map[string]any); ok {
			for k, e := range m {
				if s, ok := e.(string); ok {
					v.Set(k, s)
				} else {
					j, _ := json.Marshal(e)
					v.Set(k, string(j))
				}
			}
		}
		return []byte(v.Encode()), mt
	case strings.Contains(mt, "json") || strings.Contains(mt, "*"):
		data, _ := json.Marshal(b.value)
		if strings.Contains(mt, "*") {
			mt = "application/json"
		}
		return data, b.mediaType
	}
	if s, ok := b.value.(string); ok {
		return []byte(s), b.mediaType
	}
	data, _ := json.Marshal(b.value)
	return data, b.mediaType
}

// credentials place the credential where the operation's first security
// alternative asks (none when an alternative is empty).
func (sw *sweeper) credentials(o *Operation, q url.Values, hdr http.Header, cookies *[]string) {
	reqs, ok := o.Op["security"].([]any)
	if !ok {
		reqs = asList(sw.d.Orig["security"])
	}
	if len(reqs) == 0 {
		return
	}
	for _, r := range reqs {
		if m, ok := r.(map[string]any); ok && len(m) == 0 {
			return
		}
	}
	first, _ := reqs[0].(map[string]any)
	comps, _ := sw.d.Orig["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	tok := sw.opt.Credential
	for name := range first {
		sc, _ := deref(sw.d.Orig, schemes[name]).(map[string]any)
		if sc == nil {
			continue
		}
		typ, _ := sc["type"].(string)
		scheme, _ := sc["scheme"].(string)
		switch {
		case typ == "apiKey":
			n, _ := sc["name"].(string)
			switch sc["in"] {
			case "header":
				hdr.Set(n, tok)
			case "query":
				q.Set(n, tok)
			case "cookie":
				*cookies = append(*cookies, n+"="+tok)
			}
		case typ == "http" && strings.EqualFold(scheme, "basic"):
			hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(tok+":"+tok)))
		default:
			hdr.Set("Authorization", "Bearer "+tok)
		}
	}
}

// paramValue is a valid value for a parameter: its example, else one
// generated from its schema.
func (sw *sweeper) paramValue(p Param) any {
	if ex, ok := p.Raw["example"]; ok && ex != nil {
		if _, isObj := ex.(map[string]any); !isObj {
			return ex
		}
	}
	for _, e := range mapValues(p.Raw["examples"]) {
		if ex, ok := deref(sw.d.Orig, e).(map[string]any); ok && ex["value"] != nil {
			return ex["value"]
		}
	}
	if p.Schema == nil {
		return "x"
	}
	return sw.d.gen(p.Schema, genOptions{name: p.Name}, 0)
}

// unknownID is a value no record has, inside the parameter's type and
// bounds.
func (sw *sweeper) unknownID(p Param) any {
	s := p.Schema
	if s == nil {
		s = map[string]any{}
	}
	switch mainType(s) {
	case "integer", "number":
		if m, ok := num(s["maximum"]); ok {
			return int64(m)
		}
		return 987654321
	}
	if s["format"] == "uuid" {
		return "0ddba11a-0000-4000-8000-00000000dead"
	}
	if _, ok := s["pattern"]; ok {
		return sw.paramValue(p)
	}
	if _, ok := s["enum"]; ok {
		return sw.paramValue(p)
	}
	v := "sweep-unknown-7f3a"
	if m, ok := num(s["maxLength"]); ok && len(v) > int(m) {
		v = v[:int(m)]
	}
	return v
}

var paramName = regexp.MustCompile(`\{([^}]+)\}`)

func pathParamNames(p string) []string {
	var out []string
	for _, m := range paramName.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

// unwrap is the record of an answer: the body, or its data/item/result
// object when the body wraps it.
func unwrap(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if _, has := m["id"]; !has {
		for _, k := range []string{"data", "item", "result"} {
			if in, ok := m[k].(map[string]any); ok {
				return in
			}
		}
	}
	return m
}

var idSuffix = regexp.MustCompile(`(_id|Id|ID|_uuid|Uuid)$`)

// idSynonyms are the fields a parameter name stands for when the record
// has no field of its own name.
var idSynonyms = map[string][]string{"username": {"login"}, "owner": {"login"}, "org": {"login"}, "user": {"login"}}

func scalarJSON(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

func idFrom(v any, param string) any {
	m, ok := unwrap(v).(map[string]any)
	if !ok {
		return nil
	}
	words := strings.FieldsFunc(idSuffix.ReplaceAllString(param, ""), func(r rune) bool { return r == '_' || r == '-' })
	last := ""
	if len(words) > 1 {
		last = words[len(words)-1]
	}
	cands := []string{param}
	cands = append(cands, idSynonyms[param]...)
	cands = append(cands, idSynonyms[last]...)
	if idSuffix.MatchString(param) || strings.HasSuffix(param, "id") {
		cands = append(cands, "id") // key_id is the key's id, not its key
	}
	for _, n := range append(cands, idSuffix.ReplaceAllString(param, ""), last, "id", "uuid", "key", "name", "slug") {
		if n == "" {
			continue
		}
		switch x := m[n].(type) {
		case string:
			return x
		case float64:
			return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return nil
}

func firstRecord(v any) any {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if _, ok := e.(map[string]any); ok {
				return e
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if l, ok := x[k].([]any); ok {
				for _, e := range l {
					if _, ok := e.(map[string]any); ok {
						return e
					}
				}
			}
		}
	}
	return nil
}

func scalars(v any) map[string]any {
	out := map[string]any{}
	if m, ok := v.(map[string]any); ok {
		for k, e := range m {
			switch e.(type) {
			case map[string]any, []any, nil:
			default:
				out[k] = e
			}
		}
	}
	return out
}

// shows reports whether a read-back record has the values sent (those of
// its fields it has; all of them when present is true).
func shows(v any, sent map[string]any, present bool) bool {
	m, ok := unwrap(v).(map[string]any)
	if !ok {
		return false
	}
	for k, want := range sent {
		got, has := m[k]
		if has && fmt.Sprint(got) != fmt.Sprint(want) || !has && present {
			return false
		}
	}
	return true
}

func sameID(a, b any) bool { return a != nil && b != nil && fmt.Sprint(a) == fmt.Sprint(b) }

// isRecord reports whether a record read back is the one with id want: its
// id field (idFrom) says so, or, when it has none of those names, one of
// its own scalars holds the id (a create named in the Location header
// only; Directus keys its fields by "field" under /fields/{collection}/{id}).
func isRecord(v any, param string, want any) bool {
	if id := idFrom(v, param); id != nil {
		return sameID(id, want)
	}
	m, ok := unwrap(v).(map[string]any)
	if !ok || want == nil {
		return false
	}
	for _, x := range m {
		if scalarJSON(x) && sameID(x, want) {
			return true
		}
	}
	return false
}
