package server

// Helpers shared by the server tests (rest_test.go, scenarios_test.go,
// control_test.go, config_test.go). Top-level names start with "st" so they
// do not collide with other test files of the package.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
	"github.com/standin/standin/specs"

	"github.com/standin/standin/internal/specinfer"
)

// The golden files are rewritten with `go test ./internal/server -run X -update`.
// The flag may already be registered by another test file of the package.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func stUpdate() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// stGoldenFile compares got with the golden file (written instead with
// -update, its folder made).
func stGoldenFile(t testing.TB, file string, got []byte) {
	t.Helper()
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
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\n%s", file, got)
	}
}

const (
	stAdmin    = "standin-admin"
	stReadonly = "standin-readonly"
	stPartner  = "standin-partner"
)

// stServer is a mock behind an httptest server.
type stServer struct {
	*httptest.Server
	mock  *Server
	clock *ratelimit.FakeClock
	// masks are old, new pairs TestAnswersGolden replaces in answers.
	masks []string
}

// stStart starts a mock with the defaults changed by mut (may be nil) and a
// fake clock.
func stStart(t testing.TB, mut func(*config.Config)) *stServer {
	t.Helper()
	cfg := config.Default()
	if mut != nil {
		mut(&cfg)
	}
	clk := ratelimit.NewFakeClock(time.Time{})
	mock, err := New(cfg, Options{Clock: clk})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(ts.Close)
	return &stServer{Server: ts, mock: mock, clock: clk}
}

// startOwnSpec serves the document at file with --spec and loads it for
// judging answers as API name (stSpecs.validate).
func startOwnSpec(t *testing.T, name, file string) (*stServer, stSpecs) {
	t.Helper()
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{file} })
	doc, _, err := specinfer.LoadOpenAPI(os.DirFS(filepath.Dir(file)), filepath.Base(file), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, stSpecs{name: doc}
}

// stReq is one request to send.
type stReq struct {
	method string // default GET
	path   string // with query
	token  string // Bearer token; "" sends none
	header map[string]string
	body   string
}

// stResp is an answer, read whole.
type stResp struct {
	status int
	header http.Header
	body   []byte
}

func (r stResp) String() string {
	b := r.body
	if len(b) > 400 {
		b = append(b[:400:400], "…"...)
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

// json decodes the body into a generic value.
func (r stResp) json(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.body)
	}
	return v
}

func (s *stServer) do(t testing.TB, q stReq) stResp {
	t.Helper()
	r, err := s.try(context.Background(), q)
	if err != nil {
		t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	return r
}

func (s *stServer) try(ctx context.Context, q stReq) (stResp, error) {
	method := q.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+q.path, body)
	if err != nil {
		return stResp{}, err
	}
	if q.token != "" {
		req.Header.Set("Authorization", "Bearer "+q.token)
	}
	if q.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range q.header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return stResp{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return stResp{}, err
	}
	return stResp{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// stJSON parses a JSON literal for comparisons.
func stJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON literal: %v\n%s", err, s)
	}
	return v
}

// stSameJSON fails unless got's body equals want as JSON values.
func stSameJSON(t testing.TB, got stResp, want any) {
	t.Helper()
	g := got.json(t)
	if !reflect.DeepEqual(g, want) {
		gb, _ := json.MarshalIndent(g, "", "  ")
		wb, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("body differs\n got: %s\nwant: %s", gb, wb)
	}
}

// stGolden compares a JSON body, indented, with testdata/rest/<name>.json;
// -update rewrites the file.
func stGolden(t testing.TB, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("golden %s: body is not JSON: %v", name, err)
	}
	buf.WriteByte('\n')
	stGoldenFile(t, filepath.Join("testdata", "rest", name+".json"), buf.Bytes())
}

// stSpecs holds the OpenAPI documents of the REST APIs, by API name.
type stSpecs map[string]*openapi3.T

func stLoadSpecs(t testing.TB) stSpecs {
	t.Helper()
	all, err := manifest.LoadAll(specs.FS)
	if err != nil {
		t.Fatal(err)
	}
	out := stSpecs{}
	for _, a := range all {
		if a.REST == nil {
			continue
		}
		doc, _, err := openapi.Load(specs.FS, a.Dir+"/"+a.REST.Spec, source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out[a.Name] = doc
	}
	return out
}

// route builds the kin-openapi route of an operation by its id. The route is
// built by hand: kin-openapi's routers send externalID:c333333 to
// {companyUuid}.
func (ss stSpecs) route(t testing.TB, api, opID string) *routers.Route {
	t.Helper()
	doc := ss[api]
	if doc == nil {
		t.Fatalf("no OpenAPI document for %s", api)
	}
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		for method, op := range item.Operations() {
			if op.OperationID == opID {
				return &routers.Route{Spec: doc, Path: p, PathItem: item, Method: method, Operation: op}
			}
		}
	}
	t.Fatalf("%s: no operation %s", api, opID)
	return nil
}

// validate checks an answer against the operation's documented response for
// its status (undocumented statuses are errors).
func (ss stSpecs) validate(t testing.TB, api, opID, path string, params map[string]string, r stResp) error {
	t.Helper()
	rt := ss.route(t, api, opID)
	req := httptest.NewRequest(rt.Method, path, nil)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: rt}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: specs.SchemaOptions(),
		},
	})
}

// stGraphQLError checks a well-formed GraphQL error response: errors with a
// message and extensions.code, data absent or null. It returns the codes.
func stGraphQLError(t testing.TB, r stResp) []string {
	t.Helper()
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("GraphQL body is not JSON: %v: %s", err, r.body)
	}
	if len(body.Data) > 0 && string(body.Data) != "null" {
		t.Errorf("GraphQL error response has data %s", body.Data)
	}
	if len(body.Errors) == 0 {
		t.Fatalf("GraphQL error response has no errors: %s", r.body)
	}
	var codes []string
	for _, e := range body.Errors {
		code, _ := e.Extensions["code"].(string)
		if e.Message == "" || code == "" {
			t.Errorf("GraphQL error without message or extensions.code: %s", r.body)
		}
		codes = append(codes, code)
	}
	return codes
}

// stLimit is a rate limit for config.API.RateLimit.
func stLimit(n int, window time.Duration) *manifest.RateLimit {
	return &manifest.RateLimit{Limit: n, Window: manifest.Duration(window)}
}
