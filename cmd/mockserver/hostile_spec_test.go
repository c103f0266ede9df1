//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileSpecs: a --spec that is not a regular file, larger than the
// cap or with a $ref out of its folder is refused at once (exit 2, the
// file and the place named, never opened for a blocking read); a
// multi-file spec starts; and a signal ends each start-up within a
// second.
func TestHostileSpecs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.yaml")
	if f, err := os.Create(huge); err == nil {
		_ = f.Truncate(100 << 20) // sparse: 100 MiB on paper
		f.Close()
	}
	const doc = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /notes/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"%s\"}}}}\n"
	outside := write("api/outside.yaml", strings.Replace(doc, "%s", "../schemas.yaml#/Note", 1))
	write("multi/schemas.yaml", "Note: {type: object, required: [id], properties: {id: {type: integer}}}\n")
	multi := write("multi/openapi.yaml", strings.Replace(doc, "%s", "schemas.yaml#/Note", 1))
	// Valid documents that were refused or mis-served (issue 22): SDLs
	// whose types refer to themselves, to each other or in a long chain
	// (served as links between records), a REST key of format uuid (one
	// record whatever the case of its letters), dates checked against the
	// calendar.
	selfRef := write("sdl/selfref.graphql", "type Query { nodes(first: Int, after: String, last: Int, before: String): NodeConnection! node(id: ID!): Node }\ntype NodeConnection { edges: [NodeEdge!]! pageInfo: PageInfo! }\ntype NodeEdge { node: Node! cursor: String! }\ntype PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }\ntype Node { id: ID! name: String! parent: Node }\n")
	mutual := write("sdl/mutual.graphql", "type Query { authors: [Author!]! }\ntype Author { id: ID! name: String! books: [Book!]! }\ntype Book { id: ID! title: String! author: Author! }\n")
	var chain strings.Builder
	chain.WriteString("type Query { t1s: [T1!]! }\n")
	for i := 1; i <= 7; i++ {
		next := ""
		if i < 7 {
			next = fmt.Sprintf(" next: T%d!", i+1)
		}
		fmt.Fprintf(&chain, "type T%d { id: ID! label: String!%s }\n", i, next)
	}
	chain7 := write("sdl/chain7.graphql", chain.String())
	const keyed = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /orders:\n    post:\n      requestBody: {required: true, content: {application/json: {schema: {$ref: \"#/components/schemas/Order\"}}}}\n      responses: {\"201\": {description: made, content: {application/json: {schema: {$ref: \"#/components/schemas/Order\"}}}}}\n  /orders/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]\n      responses: {\"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Order\"}}}}}\ncomponents:\n  schemas:\n    Order: {type: object, required: [id, due], properties: {id: {type: string, format: uuid}, due: {type: string, format: date}}}\n"
	orders := write("orders/openapi.yaml", keyed)
	graphql := func(path, query string) func(t *testing.T, base string) {
		return func(t *testing.T, base string) {
			code, body := post(t, base+path, `{"query":`+strconv.Quote(query)+`}`)
			if code != 200 || strings.Contains(body, `"errors"`) || !strings.Contains(body, `"data"`) {
				t.Errorf("%s: %d %s", query, code, body)
			}
		}
	}
	// recursive schemas (issue: a required self-reference overflowed the
	// stack after seconds at about 1 GiB): each starts, generated to a
	// bounded depth
	const recDoc = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /notes:\n    get:\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: \"#/components/schemas/Note\"}}}}}\n  /notes/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}}\n  /other:\n    get:\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}}\ncomponents:\n  schemas:\n"
	recSelf := write("rec/self.yaml", recDoc+"    Note: {type: object, required: [id, parent], properties: {id: {type: integer}, parent: {$ref: \"#/components/schemas/Note\"}}}\n")
	recMutual := write("rec/mutual.yaml", recDoc+"    Note: {type: object, required: [id, other], properties: {id: {type: integer}, other: {$ref: \"#/components/schemas/Other\"}}}\n    Other: {type: object, required: [note], properties: {note: {$ref: \"#/components/schemas/Note\"}}}\n")
	recChain := recDoc + "    Note: {type: object, required: [id, next], properties: {id: {type: integer}, next: {$ref: \"#/components/schemas/C1\"}}}\n"
	for i := 1; i < 30; i++ {
		recChain += fmt.Sprintf("    C%d: {type: object, required: [next, back], properties: {next: {$ref: \"#/components/schemas/C%d\"}, back: {type: array, items: {$ref: \"#/components/schemas/Note\"}}}}\n", i, i+1)
	}
	recDeep := write("rec/chain.yaml", recChain+"    C30: {type: object, required: [end], properties: {end: {type: string}}}\n")
	// a recursive document answers its list, its item and its other
	// operation with JSON generated to a bounded depth
	recursive := func(t *testing.T, base string) {
		code, body := get(t, base+"/notes")
		var list []struct{ ID json.Number }
		if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil {
			t.Fatalf("GET /notes: %d %.200s (%v)", code, body, err)
		}
		paths := []string{"/other"}
		if len(list) > 0 { // a schema that can never end seeds no records
			paths = append(paths, "/notes/"+list[0].ID.String())
		}
		for _, path := range paths {
			if code, body := get(t, base+path); code != 200 || !json.Valid([]byte(body)) || !strings.HasPrefix(body, "{") {
				t.Errorf("GET %s: %d %.200s", path, code, body)
			}
		}
	}
	tests := []struct {
		name, spec string
		code       int // -1: serves until the signal
		want       string
		probe      func(t *testing.T, base string) // what a served spec answers
	}{
		{"a named pipe", fifo, 2, "fifo.yaml: a named pipe, not a regular file", nil},
		{"/dev/zero", "/dev/zero", 2, "/dev/zero: a device, not a regular file", nil},
		{"a directory", dir, 2, "a directory, not a regular file", nil},
		{"100 MiB", huge, 2, "huge.yaml: 104857600 bytes, larger than the maximum of 67108864 bytes", nil},
		{"a $ref out of its folder", outside, 2, `outside.yaml:8:78: $ref "../schemas.yaml#/Note": outside the spec's folder`, nil},
		{"a $ref to a sibling file", multi, -1, "", nil},
		{"an SDL type that refers to itself", selfRef, -1, "",
			graphql("/selfref/graphql", `{ nodes(first: 3) { edges { node { id name parent { id parent { id parent { id } } } } } } }`)},
		{"two SDL types that refer to each other", mutual, -1, "",
			graphql("/mutual/graphql", `{ authors { id name books { id title author { id books { id author { name } } } } } }`)},
		{"an SDL chain of seven types", chain7, -1, "",
			graphql("/chain7/graphql", `{ t1s { id next { next { next { next { next { next { id label } } } } } } } }`)},
		{"a uuid key in upper case", orders, -1, "", func(t *testing.T, base string) {
			const id = "3f6d2c1e-8b4a-4c7e-9d2f-1a5b6c7d8e90"
			rec := `{"id":"%s","due":"2024-02-29"}`
			if code, body := post(t, base+"/__standin/apis/orders/collections/orders/records", fmt.Sprintf(rec, id)); code != 201 {
				t.Fatalf("insert: %d %s", code, body)
			}
			if code, body := post(t, base+"/__standin/apis/orders/collections/orders/records", fmt.Sprintf(rec, strings.ToUpper(id))); code != 409 {
				t.Errorf("the upper-case twin of a uuid key: %d %s, want 409", code, body)
			}
			if code, body := get(t, base+"/orders/"+strings.ToUpper(id)); code != 200 || !strings.Contains(body, id) {
				t.Errorf("GET by the upper-case key: %d %s", code, body)
			}
		}},
		{"an impossible date", orders, -1, "", func(t *testing.T, base string) {
			code, body := post(t, base+"/orders", `{"id":"0b0e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b","due":"2023-02-30"}`)
			if code != 400 || !strings.Contains(body, "/due") {
				t.Errorf("POST with 2023-02-30: %d %s, want 400 naming /due", code, body)
			}
			code, body = post(t, base+"/__standin/apis/orders/collections/orders/records", `{"id":"0b0e6f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b","due":"2023-02-30"}`)
			if code != 400 || !strings.Contains(body, "/due") {
				t.Errorf("data API with 2023-02-30: %d %s, want 400 naming /due", code, body)
			}
		}},
		{"a required self-reference", recSelf, -1, "", recursive},
		{"a mutual required reference", recMutual, -1, "", recursive},
		{"a chain of 30 required schemas, each referring back", recDeep, -1, "", recursive},
		// only a file that is not YAML/JSON, or no API description, stops
		// start-up; a document that breaks the specification is served
		{"not YAML", write("broken.yaml", "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n"), 2, "broken.yaml:2:7: YAML syntax: a mapping in { } is not closed", nil},
		{"not JSON", write("broken.json", "{\"openapi\": \"3.0.3\",\n \"paths\": {]}\n"), 2, "broken.json:2:12: JSON syntax", nil},
		{"no API description", write("config.yaml", "server: {port: 8080}\nlogging: {level: debug}\n"), 2, "config.yaml: neither an OpenAPI document", nil},
		{"only webhooks", filepath.Join("..", "..", "internal", "contract", "openapi", "testdata", "lenient", "only-webhooks.yaml"), -1, "", nil},
		{"invalid examples and specification errors", filepath.Join("..", "..", "internal", "contract", "openapi", "testdata", "lenient", "spec-errors.yaml"), -1, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuf
			done := make(chan int, 1)
			t0 := time.Now()
			go func() {
				done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", "error", "--spec", tt.spec}, env(nil), &stdout, &stderr)
			}()
			if tt.code >= 0 {
				select {
				case code := <-done:
					if took := time.Since(t0); took > 2*time.Second {
						t.Errorf("refused after %s, want under 2s", took)
					}
					if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
						t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.want)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("not refused within 10s")
				}
				return
			}
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(stdout.String(), "Standin mock server on") {
				if time.Now().After(deadline) {
					t.Fatalf("not started: %s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if took := time.Since(t0); took > 2*time.Second {
				t.Errorf("started after %s, want under 2s", took)
			}
			if tt.probe != nil {
				m := regexp.MustCompile(`Standin mock server on (http://\S+)`).FindStringSubmatch(stdout.String())
				if m == nil {
					t.Fatalf("no address in %q", stdout.String())
				}
				tt.probe(t, m[1])
			}
			cancel()
			t1 := time.Now()
			select {
			case code := <-done:
				if code != 0 || time.Since(t1) > time.Second {
					t.Errorf("exit %d after %s, want 0 within 1s", code, time.Since(t1))
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still serving 5s after the signal")
			}
		})
	}
}

// TestSignalEndsABlockedStartUp: a signal ends start-up even while a read
// of the user's files blocks (an api.yaml that is a FIFO with no writer:
// the manifest loader opens it): serve returns within a second.
func TestSignalEndsABlockedStartUp(t *testing.T) {
	specs := t.TempDir()
	if err := os.MkdirAll(filepath.Join(specs, "stuck"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(specs, "stuck", "api.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "cfg.yaml")
	if err := os.WriteFile(cfg, []byte("specsDir: "+specs+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuf
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--config", cfg}, env(nil), &stdout, &stderr)
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case code := <-done:
		t.Fatalf("start-up ended by itself (exit %d: %s): the case no longer blocks", code, stderr.String())
	default:
	}
	cancel()
	t0 := time.Now()
	select {
	case code := <-done:
		if code != 1 || time.Since(t0) > time.Second || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %d after %s, stderr %q; want 1 within 1s", code, time.Since(t0), stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("start-up ignored the signal")
	}
}

// TestConfigFIFOIsRefusedAtOnce: a --config that is a named pipe with no
// writer is refused at once (exit 2), never opened for a blocking read
// (regression: the file was opened before it was checked).
func TestConfigFIFOIsRefusedAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "standin.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr syncBuf
	done := make(chan int, 1)
	go func() {
		done <- serve(context.Background(), []string{"--addr", "127.0.0.1:0", "--config", fifo}, env(nil), &stdout, &stderr)
	}()
	select {
	case code := <-done:
		if code != 2 || !strings.Contains(stderr.String(), "a named pipe, not a regular file") {
			t.Errorf("exit %d, stderr %q; want 2 naming the named pipe", code, stderr.String())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a FIFO --config blocked start-up")
	}
}

// post sends a JSON body with the bundled admin token and returns the
// status and body.
func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// get reads url with the bundled admin token.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer standin-admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
