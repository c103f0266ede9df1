package anyapi

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
)

// thingsSpec is a small contract (a list and a read by integer id) whose
// security is the given YAML: the document's security and
// components.securitySchemes, and the list operation's own security.
func thingsSpec(security, schemes, listSecurity string, documents401 bool) string {
	unauthorized := ""
	if documents401 {
		unauthorized = `
        "401": {$ref: "#/components/responses/Error"}`
	}
	return `openapi: 3.0.3
info: {title: things, version: "1"}
` + security + `
paths:
  /things:
    get:
      operationId: listThings
` + listSecurity + `
      responses:
        "200":
          description: every thing
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}` + unauthorized + `
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}
      responses:
        "200":
          description: one thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "400": {$ref: "#/components/responses/Error"}` + unauthorized + `
        "404": {$ref: "#/components/responses/Error"}
components:
` + schemes + `
  responses:
    Error:
      description: an error
      content:
        application/json:
          schema:
            type: object
            required: [message]
            properties: {message: {type: string}}
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
`
}

// thingsServer serves the things contract; allowed says whether a
// request's credentials let it in (the list's own rule when listAllowed
// is set).
func thingsServer(allowed, listAllowed func(*http.Request) bool) http.Handler {
	things := []map[string]any{{"id": 1, "name": "one"}, {"id": 2, "name": "two"}, {"id": 3, "name": "three"}}
	if listAllowed == nil {
		listAllowed = allowed
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			problem(w, http.StatusMethodNotAllowed, "read only")
			return
		}
		if r.URL.Path == "/things" {
			if !listAllowed(r) {
				problem(w, http.StatusUnauthorized, "who are you?")
				return
			}
			writeJSON(w, http.StatusOK, things)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/things/")
		if !ok {
			problem(w, http.StatusNotFound, "no such path")
			return
		}
		if !allowed(r) {
			problem(w, http.StatusUnauthorized, "who are you?")
			return
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id < 1 {
			problem(w, http.StatusBadRequest, "id: a positive integer")
			return
		}
		for _, th := range things {
			if th["id"] == int(id) {
				writeJSON(w, http.StatusOK, th)
				return
			}
		}
		problem(w, http.StatusNotFound, "no such thing")
	})
}

func headerIs(name, value string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Header.Get(name) == value }
}

// bearerIs accepts the bearer token tok, the scheme name in any case
// (RFC 9110 §11.1), as a correct server does.
func bearerIs(tok string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		return ok && strings.EqualFold(scheme, "Bearer") && got == tok
	}
}

func queryIs(name, value string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Query().Get(name) == value }
}

func cookieIs(name, value string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		c, err := r.Cookie(name)
		return err == nil && c.Value == value
	}
}

func anyone(*http.Request) bool { return true }

// TestAuthKinds: each kind of security scheme a contract declares (an
// apiKey in a header, the query or a cookie; HTTP basic; bearer; none;
// optional) is what conform sends, with the credentials named by the
// contract's own scheme names. The correct server passes every check; a
// server that gets its auth wrong in the way the row plants is caught by
// the check that row names, with a failure saying what broke.
func TestAuthKinds(t *testing.T) {
	const global = "security: [{key: []}]"
	for _, tc := range []struct {
		name                      string
		security, schemes, onList string
		documents401              bool
		args                      []string
		correct                   func(*http.Request) bool
		correctList               func(*http.Request) bool
		// the defect: a server variant, the check that catches it and
		// what its failure says
		defect, defectList func(*http.Request) bool
		check              string
		says               []string
		mustPass           []string
	}{
		{
			name: "apiKey header", security: global, documents401: true,
			schemes: "  securitySchemes: {key: {type: apiKey, in: header, name: X-API-Key}}",
			args:    []string{"--credential", "key=k1"}, correct: headerIs("X-API-Key", "k1"),
			defect: anyone, check: "rest-no-token", says: []string{"want HTTP 401, got 200", "requires credentials (security: key)"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-bad-token", "rest-security-schemes", "rest-not-found", "rest-lookups"},
		},
		{
			name: "apiKey in the query", security: global, documents401: true,
			schemes: "  securitySchemes: {key: {type: apiKey, in: query, name: api_key}}",
			args:    []string{"--credential", "key=k1"}, correct: queryIs("api_key", "k1"),
			defect: headerIs("Api-Key", "k1"), check: "rest-success", says: []string{"want HTTP 200, got 401"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-bad-token", "rest-security-schemes"},
		},
		{
			name: "apiKey in a cookie", security: global, documents401: true,
			schemes: "  securitySchemes: {key: {type: apiKey, in: cookie, name: session}}",
			args:    []string{"--credential", "key=k1"}, correct: cookieIs("session", "k1"),
			defect: func(r *http.Request) bool { _, err := r.Cookie("session"); return err == nil },
			check:  "rest-bad-token", says: []string{"want HTTP 401, got 200"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-bad-token", "rest-security-schemes"},
		},
		{
			name: "HTTP basic", security: "security: [{basicAuth: []}]", documents401: true,
			schemes: "  securitySchemes: {basicAuth: {type: http, scheme: basic}}",
			args:    []string{"--credential", "basicAuth=ann:s3cret"},
			correct: func(r *http.Request) bool { u, p, ok := r.BasicAuth(); return ok && u == "ann" && p == "s3cret" },
			defect:  func(r *http.Request) bool { u, _, ok := r.BasicAuth(); return ok && u != "" },
			check:   "rest-security-schemes", says: []string{"want HTTP 401, got 200"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-bad-token", "rest-security-schemes"},
		},
		{
			name: "bearer", security: "security: [{bearerAuth: []}]", documents401: true,
			schemes: "  securitySchemes: {bearerAuth: {type: http, scheme: bearer}}",
			args:    []string{"--token", "t1"}, correct: bearerIs("t1"),
			defect: func(r *http.Request) bool { return strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") },
			check:  "rest-bad-token", says: []string{"want HTTP 401, got 200", "with an unknown token"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-bad-token", "rest-security-schemes"},
		},
		{
			name: "oauth2 as bearer", security: "security: [{oauth: [things.read]}]", documents401: true,
			schemes: "  securitySchemes: {oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://example.com/token', scopes: {things.read: read}}}}}",
			args:    []string{"--credential", "oauth=t1"}, correct: bearerIs("t1"),
			defect: anyone, check: "rest-no-token", says: []string{"want HTTP 401, got 200"},
			mustPass: []string{"rest-success", "rest-no-token", "rest-security-schemes"},
		},
		{
			name: "none: no security, no credentials given", correct: anyone,
			defect: headerIs("Authorization", "Bearer t1"), check: "rest-success",
			says:     []string{"answered 401 to a request without credentials, but the contract declares no security for GET /things"},
			mustPass: []string{"rest-success", "rest-not-found", "rest-lookups", "rest-records"},
		},
		{
			name: "optional on the list ([{}, {key: []}])", security: global, documents401: true,
			schemes: "  securitySchemes: {key: {type: apiKey, in: header, name: X-API-Key}}",
			onList:  "      security: [{}, {key: []}]",
			args:    []string{"--credential", "key=k1"}, correct: headerIs("X-API-Key", "k1"),
			correctList: func(r *http.Request) bool {
				return r.Header.Get("X-API-Key") == "" || r.Header.Get("X-API-Key") == "k1"
			},
			defectList: headerIs("X-API-Key", "k1"),
			check:      "rest-optional-auth", says: []string{"answered 401 without credentials, but the contract makes them optional for GET /things"},
			mustPass: []string{"rest-optional-auth", "rest-success", "rest-no-token"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := thingsSpec(tc.security, tc.schemes, tc.onList, tc.documents401)
			t.Run("correct", func(t *testing.T) {
				passes(t, run(t, spec, thingsServer(tc.correct, tc.correctList), tc.args...), tc.mustPass...)
			})
			t.Run("defect", func(t *testing.T) {
				allowed, list := tc.correct, tc.correctList
				if tc.defect != nil {
					allowed, list = tc.defect, nil
				}
				if tc.defectList != nil {
					list = tc.defectList
				}
				catches(t, run(t, spec, thingsServer(allowed, list), tc.args...), tc.check, tc.says...)
			})
		})
	}
}

// TestCredentialMistakes: a contract that requires credentials, run with
// none, and a credential named after no scheme of the contract, are usage
// errors saying what to give; a contract without security needs none.
func TestCredentialMistakes(t *testing.T) {
	secured := thingsSpec("security: [{key: []}]", "  securitySchemes: {key: {type: apiKey, in: header, name: X-API-Key}}", "", true)
	for _, tc := range []struct {
		name, spec string
		args       []string
		says       string
	}{
		{"no credential for a secured contract", secured, nil, "GET /things requires credentials the run has none for: key (X-API-Key header): --credential key=VALUE"},
		{"a credential of no scheme", secured, []string{"--credential", "apikey=k1"}, `credential "apikey" names no security scheme of the contract (it declares key)`},
		{"an open contract needs none", thingsSpec("", "", "", false), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "things.yaml")
			if err := os.WriteFile(file, []byte(tc.spec), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := setUp(append([]string{"--spec", file, "--target", "http://127.0.0.1:1"}, tc.args...))
			switch {
			case tc.says == "" && err != nil:
				t.Fatalf("an open contract: %v", err)
			case tc.says != "" && (!errors.Is(err, conform.ErrUsage) || !strings.Contains(err.Error(), tc.says)):
				t.Fatalf("err %v, want a usage error saying %q", err, tc.says)
			}
		})
	}
}

// TestRefusalWithout401: an operation that requires credentials yet
// documents neither 401 nor 403 is held to answering 401 to none and to
// unknown ones, not to a documented status and body it does not have; a
// server that lets an unknown credential in is still caught.
func TestRefusalWithout401(t *testing.T) {
	spec := thingsSpec("security: [{key: []}]", "  securitySchemes: {key: {type: apiKey, in: header, name: X-API-Key}}", "", false)
	args := []string{"--credential", "key=k1"}
	t.Run("correct", func(t *testing.T) {
		passes(t, run(t, spec, thingsServer(headerIs("X-API-Key", "k1"), nil), args...), "rest-no-token", "rest-bad-token", "rest-security-schemes")
	})
	t.Run("an unknown key let in", func(t *testing.T) {
		anyKey := func(r *http.Request) bool { return r.Header.Get("X-API-Key") != "" }
		catches(t, run(t, spec, thingsServer(anyKey, nil), args...), "rest-bad-token", "yet it answered with an unknown token")
	})
}

// TestMutualTLSOnly: an operation whose only credential is a TLS client
// certificate (OpenAPI 3.1's mutualTLS) has nothing an HTTP request can
// leave out or spoil: rest-no-token and rest-bad-token skip it, saying
// why, where they had failed a server that cannot see certificates.
func TestMutualTLSOnly(t *testing.T) {
	spec := strings.Replace(thingsSpec("security: [{mtls: []}]", "  securitySchemes: {mtls: {type: mutualTLS}}", "", false), "openapi: 3.0.3", "openapi: 3.1.0", 1)
	results := run(t, spec, thingsServer(anyone, nil), "--credential", "mtls=client-cert")
	passes(t, results)
	skipped := 0
	for _, r := range results {
		if (r.Check == "rest-no-token" || r.Check == "rest-bad-token") && strings.Contains(r.SkipReason, "mutualTLS") {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("rest-no-token and rest-bad-token did not skip the mutualTLS operations")
	}
}
