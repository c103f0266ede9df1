package specinfer

// Verifying answers: sample records are answered as each bound operation
// answers them (projected, constants set, enveloped) and held to the
// operation's answer schema. What fails is mended, in this order: a field
// filled from a record field its schema refuses is filled from another
// record field whose values it accepts, else it takes a constant its
// schema allows (schemagen); fields the answer's schema does not allow are
// projected away; a list of scalars answers a scalar field of each record
// (manifest Operation.Each); an answer that holds nothing of the record
// (an empty object) is a constant one (Operation.Answer); an envelope's
// field takes a constant. What cannot be mended is a warning.

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/contract/jsonptr"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/schemagen"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// shape is one bound operation's answer: the schema of the whole answer
// and of the part made of a record (a list's items, the record inside an
// item envelope, else the whole).
type shape struct {
	id, what   string
	whole, out *openapi3.Schema
}

// verifier holds what verifying one collection's answers needs.
type verifier struct {
	c       *collection
	samples []map[string]any
	opts    []openapi3.SchemaValidationOption
	gen     *schemagen.Generator
	warn    warnFunc
}

// verifyAnswers checks and mends the answers of a collection's bound
// operations against their schemas, with samples of its records.
func verifyAnswers(c *collection, samples []map[string]any, seed uint64, v31 bool, warn warnFunc) {
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	if v31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	v := &verifier{c: c, opts: opts, warn: warn, gen: schemagen.New(schemagen.Options{Seed: seed, Optional: true, Validate: opts})}
	// a record as a create would make it, whatever the rules give
	if rec, ok := normalize(v.gen.Value(&openapi3.SchemaRef{Value: c.schema}, "")).(map[string]any); ok {
		samples = append(samples, rec)
	}
	v.samples = samples
	for _, sh := range c.shapes {
		b, ok := c.ops[sh.id]
		if !ok || b.Collection != c.name || sh.out == nil {
			continue
		}
		// answers are held to what the document's author meant where a
		// closed object refuses what its own parts declare and no answer
		// could match (records are made the same way:
		// contractapi.RecordSchemaAt)
		sh.whole, sh.out = servable(sh.whole), servable(sh.out)
		v.operation(&b, sh)
		c.ops[sh.id] = b
	}
}

// servable is contractapi.Servable of a schema (nil for nil).
func servable(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	return contractapi.Servable(&openapi3.SchemaRef{Value: s}).Value
}

func (v *verifier) operation(b *manifest.Operation, sh shape) {
	if b.Action == "list" && scalarSchema(sh.out) {
		v.each(b, sh)
	} else if isObject(sh.out) {
		v.object(b, sh)
	} else if !v.answersOK(b, sh.out) {
		if b.Action == "list" {
			v.warn(CodeShape, "%s: its items are not records of collection %s; each is answered as the record", sh.what, v.c.name)
		} else if val, ok := v.constant(sh.out, ""); ok {
			b.Answer, b.Fields, b.Constants, b.Envelope = val, nil, nil, nil
			return
		}
	}
	if b.Envelope != nil {
		v.envelope(b, sh)
	}
}

// answersOK reports whether every sample answers validly.
func (v *verifier) answersOK(b *manifest.Operation, out *openapi3.Schema) bool {
	for _, rec := range v.samples {
		if out.VisitJSON(answerOf(b, rec), v.opts...) != nil {
			return false
		}
	}
	return true
}

// each makes a list of scalars answer a record field every sample's value
// of which the items' schema accepts: the key first, then the fields in
// name order.
func (v *verifier) each(b *manifest.Operation, sh shape) {
	cands := []string{v.c.key}
	props := properties(v.c.schema)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	cands = append(cands, names...)
	for _, f := range cands {
		ok := len(v.samples) > 0
		for _, rec := range v.samples {
			if sh.out.VisitJSON(store.Lookup(rec, f), v.opts...) != nil {
				ok = false
				break
			}
		}
		if ok {
			b.Each, b.Fields, b.Constants = f, nil, nil
			return
		}
	}
	b.Each = v.c.key
	v.warn(CodeShape, "%s: a list of %s, and no field of the records has such values; each item is the record's %s", sh.what, mainType(sh.out), v.c.key)
}

// object mends the projection of records onto an object answer.
func (v *verifier) object(b *manifest.Operation, sh shape) {
	defer constantAnswer(b)
	out := sh.out
	props := properties(out)
	for round := 0; round < 4; round++ {
		failing, root := v.failing(b, out)
		if len(failing) == 0 && !root {
			return
		}
		if root {
			// fields the answer does not allow: only the declared ones
			v.identity(b, props)
			if failing, root = v.failing(b, out); !root && len(failing) == 0 {
				return
			}
		}
		for _, f := range failing {
			p := props[f]
			if p == nil || p.Value == nil {
				continue
			}
			v.identity(b, props)
			dropField(b, f)
			if src := v.source(f, p.Value); src != "" {
				b.Fields[f] = src
				continue
			}
			if val, ok := v.constant(p.Value, f); ok {
				if b.Constants == nil {
					b.Constants = map[string]any{}
				}
				b.Constants[f] = val
			}
		}
	}
	if failing, root := v.failing(b, out); len(failing) > 0 || root {
		if b.Action != "list" {
			if val, ok := v.constant(out, ""); ok {
				b.Answer, b.Fields, b.Constants, b.Envelope = val, nil, nil, nil
				v.warn(CodeShape, "%s: its answer cannot be made from the records of collection %s; it answers a constant its schema allows", sh.what, v.c.name)
				return
			}
		}
		v.warn(CodeShape, "%s: answers from collection %s fail its schema at %s", sh.what, v.c.name, strings.Join(failing, ", "))
	}
}

// constantAnswer makes an answer that holds nothing of the record (its
// projection, made explicit, names no record field: Ideal Postcodes'
// DELETE answers {"result": {"deleted": 1}, "code": 2000, "message":
// "Success"}) the constant answer its constants make (Operation.Answer):
// an empty projection would answer the record as stored beside them.
func constantAnswer(b *manifest.Operation) {
	if b.Action == "list" || b.Answer != nil || b.Fields == nil || len(b.Fields) > 0 || len(b.Constants) == 0 || b.Envelope != nil {
		return
	}
	b.Answer = answerOf(b, map[string]any{})
	b.Fields, b.Constants = nil, nil
}

// failing lists the top-level answer fields some sample's answer fails
// at; root tells a failure of the answer as a whole (a field it does not
// allow, a wrong type). A failing allOf is read at the fields its parts
// fail at (ShipEngine's list items are allOf: [warehouse]).
func (v *verifier) failing(b *manifest.Operation, out *openapi3.Schema) ([]string, bool) {
	set := map[string]bool{}
	root := false
	for _, rec := range v.samples {
		err := out.VisitJSON(answerOf(b, rec), v.opts...)
		if err == nil {
			continue
		}
		vs := contractapi.Flatten(err, contractapi.FlattenOptions{Branches: true})
		if len(vs) == 0 {
			root = true
		}
		for _, x := range vs {
			if ptr := jsonptr.Split(x.Pointer); len(ptr) > 0 {
				set[ptr[0]] = true
			} else {
				root = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set)), root
}

// identity turns an answer of the record as stored into the explicit
// projection of the answer's declared fields the record has.
func (v *verifier) identity(b *manifest.Operation, props openapi3.Schemas) {
	if len(b.Fields) > 0 {
		return
	}
	b.Fields = map[string]string{}
	rec := properties(v.c.schema)
	for name := range props {
		if _, ok := rec[name]; ok {
			b.Fields[name] = name
		}
	}
}

// dropField removes an answer field (and what is below it) from the
// projection and the constants.
func dropField(b *manifest.Operation, f string) {
	for k := range b.Fields {
		if k == f || strings.HasPrefix(k, f+".") {
			delete(b.Fields, k)
		}
	}
	for k := range b.Constants {
		if k == f || strings.HasPrefix(k, f+".") {
			delete(b.Constants, k)
		}
	}
}

// source is a top-level record field every sample's value of which the
// answer field's schema accepts: the same name first, then one whose name
// shares a word, then any; "" when none.
func (v *verifier) source(name string, s *openapi3.Schema) string {
	if len(v.samples) == 0 {
		return ""
	}
	rec := properties(v.c.schema)
	names := make([]string, 0, len(rec))
	for n := range rec {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := closeness(name, names[i]), closeness(name, names[j])
		if ri != rj {
			return ri > rj
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		if closeness(name, n) == 0 {
			break // only fields whose names say they hold the same
		}
		ok := true
		for _, r := range v.samples {
			val, has := r[n]
			if !has || s.VisitJSON(val, v.opts...) != nil {
				ok = false
				break
			}
		}
		if ok {
			return n
		}
	}
	return ""
}

// closeness scores how much two field names say the same: 3 equal, 2 equal
// without case and separators, 1 a word in common, 0 none.
func closeness(a, b string) int {
	switch {
	case a == b:
		return 3
	case normName(a) == normName(b):
		return 2
	}
	for _, w := range conventions.Words(a) {
		if len(w) > 2 && slices.Contains(conventions.Words(b), w) {
			return 1
		}
	}
	return 0
}

func normName(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(s))
}

// constant is a value a schema accepts (null when it allows null): the
// answer field with no record field to fill it.
func (v *verifier) constant(s *openapi3.Schema, name string) (any, bool) {
	if s.Nullable || s.Type != nil && s.Type.IncludesNull() {
		return nil, true
	}
	val := normalize(v.gen.Value(&openapi3.SchemaRef{Value: s}, name))
	return val, s.VisitJSON(val, v.opts...) == nil
}

// envelope gives a constant to each envelope field the whole answer's
// schema refuses (its placeholders filled with sample values).
func (v *verifier) envelope(b *manifest.Operation, sh shape) {
	env, ok := b.Envelope.(map[string]any)
	if !ok || sh.whole == nil {
		return
	}
	props := properties(sh.whole)
	for round := 0; round < 3; round++ {
		filled := fillEnvelope(env, b, v.samples)
		err := sh.whole.VisitJSON(filled, v.opts...)
		if err == nil {
			return
		}
		changed := false
		for _, x := range contractapi.Flatten(err, contractapi.FlattenOptions{}) {
			ptr := jsonptr.Split(x.Pointer)
			if len(ptr) == 0 {
				continue
			}
			// down to the level of the envelope the field is at: through
			// the objects that hold the records ({"result": {"licensees":
			// "{{items}}", "hasMore": ...}})
			at, atProps := env, props
			for len(ptr) > 1 {
				sub, ok := at[ptr[0]].(map[string]any)
				p := atProps[ptr[0]]
				if !ok || !holdsRecords(sub) || p == nil || p.Value == nil {
					break
				}
				at, atProps, ptr = sub, properties(p.Value), ptr[1:]
			}
			f := ptr[0]
			if holdsRecords(at[f]) {
				continue // the records: mended above
			}
			p := atProps[f]
			if p == nil || p.Value == nil {
				continue
			}
			if val, ok := v.constant(p.Value, f); ok && !jsonEqual(at[f], val) {
				at[f] = val
				changed = true
			}
		}
		if !changed {
			v.warn(CodeShape, "%s: the envelope fails its schema (%s)", sh.what, oneLine(err))
			return
		}
	}
}

// holdsRecords reports whether an envelope value is, or holds, the
// records' placeholder ("{{items}}" or "{{item}}").
func holdsRecords(v any) bool {
	switch t := v.(type) {
	case string:
		s := strings.TrimSpace(t)
		return s == "{{items}}" || s == "{{item}}"
	case map[string]any:
		for _, x := range t {
			if holdsRecords(x) {
				return true
			}
		}
	}
	return false
}

// fillEnvelope is an envelope with its placeholders replaced by values
// like those rest gives (page figures 1, a self link, sample records).
func fillEnvelope(env any, b *manifest.Operation, samples []map[string]any) any {
	switch t := env.(type) {
	case string:
		switch strings.TrimSpace(t) {
		case "{{items}}":
			items := []any{}
			for i, r := range samples {
				if i == 2 {
					break
				}
				items = append(items, answerOf(b, r))
			}
			return items
		case "{{item}}":
			if len(samples) > 0 {
				return answerOf(b, samples[0])
			}
			return map[string]any{}
		case "{{links}}":
			return []any{map[string]any{"rel": "self", "href": "/?page=1"}}
		case "{{page.size}}", "{{page.number}}", "{{page.totalElements}}", "{{page.totalPages}}":
			return 1.0
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = fillEnvelope(x, b, samples)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = fillEnvelope(x, b, samples)
		}
		return out
	}
	return env
}

// answerOf is a record as the binding answers it (rest's projection).
func answerOf(b *manifest.Operation, rec map[string]any) any {
	if b.Answer != nil {
		return b.Answer
	}
	if b.Each != "" {
		return store.Lookup(rec, b.Each)
	}
	if len(b.Fields) == 0 && len(b.Constants) == 0 {
		return rec
	}
	out := map[string]any{}
	if len(b.Fields) == 0 {
		maps.Copy(out, rec)
	}
	for _, f := range slices.Sorted(maps.Keys(b.Fields)) {
		setPath(out, strings.Split(f, "."), store.Lookup(rec, b.Fields[f]))
	}
	for _, f := range slices.Sorted(maps.Keys(b.Constants)) {
		setPath(out, strings.Split(f, "."), b.Constants[f])
	}
	return out
}

func setPath(m map[string]any, path []string, val any) {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = val
}

// scalarSchema reports whether a schema's values are scalars.
func scalarSchema(s *openapi3.Schema) bool {
	switch mainType(s) {
	case "string", "integer", "number", "boolean":
		return true
	}
	return false
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
