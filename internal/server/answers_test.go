package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/specs"
)

// answerSpecs are the user contracts served beside the bundled APIs in
// TestAnswersGolden, as --spec values (paths from this package's folder).
var answerSpecs = []string{
	"../rest/testdata/petstore.yaml",
	"books=../rest/testdata/books/openapi.yaml",
	"petstore-sdl=../rest/testdata/petstore/schema.graphql",
	"../specinfer/testdata/todo31.yaml",
	"../specinfer/testdata/odd.json",
}

// TestAnswersGolden requests every documented operation of every bundled
// API and of the user specs above (each path parameter example, each
// query parameter example alone and all together, an unknown id, each
// bundled token and none; the documented GraphQL queries, an
// introspection, an invalid query; then the writes) and compares status,
// headers and body, byte for byte, with testdata/answers/<api>.golden.
// It is the guard of the refactorings that promise no change of
// behaviour: -update rewrites the files.
func TestAnswersGolden(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Specs = answerSpecs })
	var list struct {
		APIs []struct {
			Name       string   `json:"name"`
			Protocols  []string `json:"protocols"`
			Operations []string `json:"operations"`
		} `json:"apis"`
	}
	if err := json.Unmarshal(s.do(t, stReq{path: "/__standin/apis"}).body, &list); err != nil {
		t.Fatal(err)
	}
	apis := list.APIs
	sort.Slice(apis, func(i, j int) bool { return apis[i].Name < apis[j].Name })
	if len(apis) != 4+len(answerSpecs) {
		t.Fatalf("%d APIs served, want %d", len(apis), 4+len(answerSpecs))
	}
	// the start-up summary: what is served, and the warnings about it
	ansCompare(t, "summary", []byte(s.mock.Summary("http://mock")))
	for _, a := range apis {
		t.Run(a.Name, func(t *testing.T) {
			var out bytes.Buffer
			vals := ansValues(t, s, a.Name)
			if slices.Contains(a.Protocols, "rest") {
				doc := ansDoc(t, a.Name)
				ansREST(t, s, &out, a.Operations, doc, vals)
			}
			if slices.Contains(a.Protocols, "graphql") {
				for _, op := range a.Operations {
					if method, p, _ := strings.Cut(op, " "); method == http.MethodPost {
						ansGraphQL(t, s, &out, a.Name, strings.TrimSuffix(p, " graphql"))
					}
				}
			}
			ansScenarios(t, s, &out, a.Name, a.Operations, vals)
			ansCompare(t, a.Name, out.Bytes())
		})
	}
}

// ansScenarios sends the API's first operation (in name order) once with
// each of its scenarios that answers at once (not the delays, holds and
// connection faults).
func ansScenarios(t *testing.T, s *stServer, out *bytes.Buffer, api string, ops []string, vals map[string][]string) {
	t.Helper()
	var body struct {
		Scenarios []struct {
			Name string `json:"name"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(s.do(t, stReq{path: "/__standin/scenarios?api=" + api}).body, &body); err != nil {
		t.Fatal(err)
	}
	list := body.Scenarios
	// the GraphQL endpoint, else the first read without path parameters,
	// else the first read with them filled from the records
	var q stReq
	sorted := slices.Sorted(slices.Values(ops))
	for _, op := range sorted {
		if f := strings.Fields(op); len(f) > 2 && f[2] == "graphql" {
			q = stReq{method: http.MethodPost, path: f[1], token: stAdmin, body: `{"query":"{ __typename }"}`}
			break
		}
	}
	for _, op := range sorted {
		if f := strings.Fields(op); q.path == "" && f[0] == http.MethodGet && !strings.Contains(f[1], "{") {
			q = stReq{method: f[0], path: f[1], token: stAdmin}
		}
	}
	for _, op := range sorted {
		f := strings.Fields(op)
		if q.path != "" || f[0] != http.MethodGet {
			continue
		}
		p := ansParam.ReplaceAllStringFunc(f[1], func(m string) string {
			v := vals[m[1:len(m)-1]]
			if len(v) == 0 {
				v = vals["id"]
			}
			if len(v) == 0 {
				return m
			}
			return url.PathEscape(v[0])
		})
		if !strings.Contains(p, "{") {
			q = stReq{method: f[0], path: p, token: stAdmin}
		}
	}
	if q.path == "" {
		return
	}
	for _, sc := range list {
		switch sc.Name {
		case "slow", "timeout", "connection-reset", "query-timeout":
			continue
		}
		q.header = map[string]string{"X-Standin-Scenario": sc.Name}
		fmt.Fprintf(out, "### scenario %s\n", sc.Name)
		ansDo(t, s, out, q)
	}
}

// ansDoc loads the OpenAPI document of a served API: a bundled one from
// specs/, a user one from answerSpecs.
func ansDoc(t *testing.T, api string) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	if data, err := fs.ReadFile(specs.FS, api+"/openapi.yaml"); err == nil {
		doc, err := loader.LoadFromData(data)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, v := range answerSpecs {
		name, file, ok := strings.Cut(v, "=")
		if !ok {
			file = v
			name = strings.TrimSuffix(filepath.Base(v), filepath.Ext(v))
		}
		if name == api {
			doc, err := loader.LoadFromFile(file)
			if err != nil {
				t.Fatal(err)
			}
			return doc
		}
	}
	t.Fatalf("no OpenAPI document for API %s", api)
	return nil
}

// ansValues gathers values for path parameters: the top-level scalar
// fields of the first two records of each of the API's collections (by
// field name; the first collection in name order wins).
func ansValues(t *testing.T, s *stServer, api string) map[string][]string {
	t.Helper()
	var list struct {
		Collections []struct {
			Name string `json:"name"`
		} `json:"collections"`
	}
	r := s.do(t, stReq{path: "/__standin/apis/" + api + "/collections"})
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatalf("collections of %s: %v: %s", api, err, r.body)
	}
	cols := list.Collections
	sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	vals := map[string][]string{}
	for _, c := range cols {
		r := s.do(t, stReq{path: "/__standin/apis/" + api + "/collections/" + c.Name + "/records?limit=2"})
		var page struct {
			Records []map[string]any `json:"records"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatalf("records of %s.%s: %v: %s", api, c.Name, err, r.body)
		}
		seen := map[string]bool{}
		for _, rec := range page.Records {
			for k, v := range rec {
				if _, taken := vals[k]; taken && !seen[k] {
					continue
				}
				switch v.(type) {
				case string, float64, bool:
					seen[k] = true
					vals[k] = append(vals[k], fmt.Sprint(v))
				}
			}
		}
	}
	return vals
}

// ansParamValues are the values a path parameter is tried with: its
// examples, else record values of the field it names (or id), and one
// that no record has.
func ansParamValues(p *openapi3.Parameter, vals map[string][]string) []string {
	var out []string
	if p.Example != nil {
		out = append(out, fmt.Sprint(p.Example))
	}
	names := make([]string, 0, len(p.Examples))
	for n := range p.Examples {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := p.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			out = append(out, fmt.Sprint(ex.Value.Value))
		}
	}
	if len(out) == 0 {
		low := strings.ToLower(p.Name)
		for k, v := range vals {
			if strings.EqualFold(k, p.Name) {
				out = append(out, v...)
			}
		}
		if len(out) == 0 && (strings.HasSuffix(low, "id") || strings.HasSuffix(low, "uuid")) {
			out = append(out, vals["id"]...)
		}
		sort.Strings(out)
	}
	return append(out, "999999")
}

// ansQueryValue is a value for a query parameter: its example, default or
// first enum value, else one by type.
func ansQueryValue(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	if p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		switch {
		case s.Example != nil:
			return fmt.Sprint(s.Example)
		case len(s.Enum) > 0:
			return fmt.Sprint(s.Enum[0])
		case s.Type.Is("integer") || s.Type.Is("number"):
			return "2"
		case s.Type.Is("boolean"):
			return "true"
		}
	}
	return "x"
}

// ansREST requests the REST operations: reads first (every token, the
// parameter examples, the query parameters), then the writes.
func ansREST(t *testing.T, s *stServer, out *bytes.Buffer, ops []string, doc *openapi3.T, vals map[string][]string) {
	type op struct{ method, tmpl string }
	var reads, writes []op
	for _, o := range ops {
		f := strings.Fields(o)
		if len(f) < 2 || len(f) > 2 && f[2] == "graphql" {
			continue
		}
		if f[0] == http.MethodGet {
			reads = append(reads, op{f[0], f[1]})
		} else {
			writes = append(writes, op{f[0], f[1]})
		}
	}
	sort.Slice(reads, func(i, j int) bool { return reads[i].tmpl < reads[j].tmpl })
	order := map[string]int{http.MethodPost: 0, http.MethodPut: 1, http.MethodPatch: 2, http.MethodDelete: 3}
	sort.SliceStable(writes, func(i, j int) bool {
		if writes[i].tmpl != writes[j].tmpl {
			return writes[i].tmpl < writes[j].tmpl
		}
		return order[writes[i].method] < order[writes[j].method]
	})
	for _, o := range append(reads, writes...) {
		item := doc.Paths.Find(o.tmpl)
		if item == nil {
			// a prefix or a matching template written otherwise
			for _, p := range doc.Paths.InMatchingOrder() {
				if strings.HasSuffix(o.tmpl, p) {
					item = doc.Paths.Value(p)
				}
			}
		}
		if item == nil {
			t.Fatalf("%s %s: not in the document", o.method, o.tmpl)
		}
		operation := item.GetOperation(o.method)
		var params openapi3.Parameters
		params = append(params, item.Parameters...)
		if operation != nil {
			params = append(params, operation.Parameters...)
		}
		paths := []string{o.tmpl}
		var query []*openapi3.Parameter
		for _, ref := range params {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			switch p.In {
			case openapi3.ParameterInPath:
				var next []string
				for _, pv := range paths {
					for _, v := range ansParamValues(p, vals) {
						next = append(next, strings.Replace(pv, "{"+p.Name+"}", url.PathEscape(v), 1))
					}
				}
				paths = next
			case openapi3.ParameterInQuery:
				query = append(query, p)
			}
		}
		if o.method != http.MethodGet {
			body := ansBody(operation)
			for _, p := range paths {
				ansDo(t, s, out, stReq{method: o.method, path: p, token: stAdmin, body: body})
				ansDo(t, s, out, stReq{path: p, token: stAdmin})
			}
			continue
		}
		for _, p := range paths {
			for _, tok := range []string{stAdmin, stReadonly, stPartner, "", "not-a-token"} {
				ansDo(t, s, out, stReq{path: p, token: tok})
			}
			if len(query) == 0 {
				continue
			}
			all := url.Values{}
			for _, q := range query {
				v := ansQueryValue(q)
				all.Set(q.Name, v)
				ansDo(t, s, out, stReq{path: p + "?" + url.Values{q.Name: {v}}.Encode(), token: stAdmin})
				ansDo(t, s, out, stReq{path: p + "?" + url.Values{q.Name: {"-1"}}.Encode(), token: stAdmin})
			}
			ansDo(t, s, out, stReq{path: p + "?" + all.Encode(), token: stAdmin})
		}
	}
}

// ansBody is a request body for a write: the operation's JSON example, or
// one made of the body schema's property examples and defaults, else
// "{}".
func ansBody(o *openapi3.Operation) string {
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return ""
	}
	mt := o.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return "{}"
	}
	var v any
	switch {
	case mt.Example != nil:
		v = mt.Example
	case len(mt.Examples) > 0:
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		if ex := mt.Examples[names[0]]; ex != nil && ex.Value != nil {
			v = ex.Value.Value
		}
	case mt.Schema != nil && mt.Schema.Value != nil:
		rec := map[string]any{}
		for name, p := range mt.Schema.Value.Properties {
			if p == nil || p.Value == nil {
				continue
			}
			switch {
			case p.Value.ReadOnly:
			case p.Value.Example != nil:
				rec[name] = p.Value.Example
			case len(p.Value.Examples) > 0:
				rec[name] = p.Value.Examples[0]
			case p.Value.Default != nil:
				rec[name] = p.Value.Default
			case p.Value.Const != nil:
				rec[name] = p.Value.Const
			case len(p.Value.Enum) > 0:
				rec[name] = p.Value.Enum[0]
			case p.Value.Format == "date-time":
				rec[name] = "2024-05-06T07:08:09Z"
			case p.Value.Format == "uuid":
				rec[name] = "0f0e0d0c-0b0a-4908-8706-050403020100"
			case p.Value.Format == "email":
				rec[name] = "golden@example.com"
			case p.Value.Type.Is("string") || p.Value.Type.Includes("string"):
				rec[name] = "golden " + name
			case p.Value.Type.Is("integer") || p.Value.Type.Is("number"):
				rec[name] = 2
			case p.Value.Type.Is("boolean") || p.Value.Type.Includes("boolean"):
				rec[name] = true
			}
		}
		v = rec
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// ansGraphQL sends the documented queries of the API (suite/testdata),
// an introspection query and an invalid query.
func ansGraphQL(t *testing.T, s *stServer, out *bytes.Buffer, api, gqlPath string) {
	dir := filepath.Join("..", "..", "suite", "testdata", "queries", api)
	files, _ := filepath.Glob(filepath.Join(dir, "*.graphql"))
	sort.Strings(files)
	var bodies []string
	for _, f := range files {
		q, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		req := map[string]any{"query": string(q)}
		if v, err := os.ReadFile(strings.TrimSuffix(f, ".graphql") + ".json"); err == nil {
			var vars any
			if err := json.Unmarshal(v, &vars); err != nil {
				t.Fatal(err)
			}
			req["variables"] = vars
		}
		b, _ := json.Marshal(req)
		bodies = append(bodies, string(b))
	}
	bodies = append(bodies,
		`{"query":"{ __schema { queryType { name } mutationType { name } types { name kind fields { name args { name type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name kind } } } } } } }"}`,
		`{"query":"{ nope }"}`,
		`{"query":"{"}`,
	)
	// the inferred SDL's collections, read through their connections
	if api == "petstore-sdl" {
		bodies = append(bodies,
			`{"query":"{ pets(first: 3) { edges { cursor node { id name tag } } pageInfo { hasNextPage endCursor } } }"}`,
			`{"query":"{ pets(first: 2, after: \"bogus\") { edges { node { id } } } }"}`,
		)
	}
	for _, b := range bodies {
		for _, tok := range []string{stAdmin, stReadonly, ""} {
			ansDo(t, s, out, stReq{method: http.MethodPost, path: gqlPath, token: tok, body: b})
		}
	}
}

// ansParam is a path template's parameter.
var ansParam = regexp.MustCompile(`\{[^}]*\}`)

// ansRandomKey is a key drawn by {{uuid}}.
var ansRandomKey = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// ansSkipHeaders differ from run to run.
var ansSkipHeaders = map[string]bool{"Date": true, "X-Request-Id": true}

// ansDo sends one request and writes it and its answer to out. The key
// a create draws at random (its Location's last segment) is written as
// <created-N> wherever it appears.
func ansDo(t *testing.T, s *stServer, out *bytes.Buffer, q stReq) {
	t.Helper()
	method := q.method
	if method == "" {
		method = http.MethodGet
	}
	r := s.do(t, q)
	if loc := r.header.Get("Location"); method == http.MethodPost && loc != "" {
		id := loc[strings.LastIndex(loc, "/")+1:]
		if ansRandomKey.MatchString(id) && !strings.Contains(out.String(), id) {
			n := strings.Count(out.String(), "\nLocation: ") + 1
			s.masks = append(s.masks, id, fmt.Sprintf("<created-%d>", n))
		}
	}
	if len(s.masks) > 0 {
		mask := strings.NewReplacer(s.masks...)
		for k, vs := range r.header {
			for i := range vs {
				vs[i] = mask.Replace(vs[i])
			}
			r.header[k] = vs
		}
		r.body = []byte(mask.Replace(string(r.body)))
	}
	fmt.Fprintf(out, "### %s %s", method, q.path)
	if q.token != "" {
		fmt.Fprintf(out, " (token %s)", q.token)
	}
	if q.body != "" {
		fmt.Fprintf(out, "\n%s", q.body)
	}
	fmt.Fprintf(out, "\n%d\n", r.status)
	names := make([]string, 0, len(r.header))
	for k := range r.header {
		if !ansSkipHeaders[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(out, "%s: %s\n", k, strings.Join(r.header[k], ", "))
	}
	out.WriteByte('\n')
	out.Write(r.body)
	out.WriteString("\n\n")
}

// ansCompare compares an API's answers with its golden file.
func ansCompare(t *testing.T, api string, got []byte) {
	t.Helper()
	file := path.Join("testdata", "answers", api+".golden")
	if stUpdate() {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			t.Fatalf("%s differs from the answers at line %d:\n got: %.300s\nwant: %.300s", file, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s differs from the answers: %d lines, want %d", file, len(gl), len(wl))
}
