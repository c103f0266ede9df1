package anyapi

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// notesSpec is a collection a client creates records in: create (its
// answer links to the read and says Location), read, replace, update (a
// merge patch), delete; notes are keyed by a uuid noteId; an apiKey
// header authenticates.
const notesSpec = `openapi: 3.0.3
info: {title: notes, version: "1"}
security: [{token: []}]
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        "200":
          description: every note
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
        "401": {$ref: "#/components/responses/Error"}
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewNote"}
            examples:
              groceries: {value: {title: Groceries, body: "milk, eggs", pinned: false}}
      responses:
        "201":
          description: the note made
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
          links:
            GetNote:
              operationId: getNote
              parameters: {noteId: "$response.body#/noteId"}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
  /notes/{noteId}:
    parameters:
      - {name: noteId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getNote
      responses:
        "200":
          description: the note
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
    put:
      operationId: replaceNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewNote"}
      responses:
        "200":
          description: the note replaced
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
    patch:
      operationId: updateNote
      requestBody:
        required: true
        content:
          application/merge-patch+json:
            schema: {$ref: "#/components/schemas/NotePatch"}
      responses:
        "200":
          description: the note changed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
    delete:
      operationId: deleteNote
      responses:
        "204": {description: deleted}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
components:
  securitySchemes:
    token: {type: apiKey, in: header, name: X-Token}
  responses:
    Error:
      description: an error
      content:
        application/json:
          schema: {type: object, required: [message], properties: {message: {type: string}}}
  schemas:
    NewNote:
      type: object
      required: [title]
      additionalProperties: false
      properties:
        title: {type: string, minLength: 1, maxLength: 80}
        body: {type: string}
        pinned: {type: boolean}
    NotePatch:
      type: object
      additionalProperties: false
      properties:
        title: {type: string, minLength: 1, maxLength: 80}
        body: {type: string}
        pinned: {type: boolean}
    Note:
      type: object
      required: [noteId, title, pinned]
      properties:
        noteId: {type: string, format: uuid}
        title: {type: string}
        body: {type: string}
        pinned: {type: boolean}
`

// notesDefects are the ways notesServer can be wrong.
type notesDefects struct {
	keepDeleted   bool // DELETE answers 204 and keeps the note
	patchNoPinned bool // PATCH ignores pinned
	replace500    bool // PUT crashes
	createdUnread bool // a note is not readable until it was listed
}

// notesServer serves notesSpec: X-Token must be k1; tenant, when set, is
// the X-Tenant every request must carry; POST /seed (not in the
// contract) adds three notes.
func notesServer(d notesDefects, tenant string, seeded *atomic.Int32) http.Handler {
	var mu sync.Mutex
	notes := map[string]map[string]any{}
	var order []string
	listed := map[string]bool{}
	add := func(n map[string]any) map[string]any {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
		n["noteId"] = id
		if _, ok := n["pinned"]; !ok {
			n["pinned"] = false
		}
		notes[id] = n
		order = append(order, id)
		return n
	}
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if tenant != "" && r.Header.Get("X-Tenant") != tenant {
			problem(w, http.StatusBadRequest, "X-Tenant: which tenant?")
			return
		}
		if r.URL.Path == "/seed" && r.Method == http.MethodPost {
			seeded.Add(1)
			for i := range 3 {
				add(map[string]any{"title": fmt.Sprintf("Seeded %d", i), "body": "from the setup hook"})
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Header.Get("X-Token") != "k1" {
			problem(w, http.StatusUnauthorized, "X-Token: who are you?")
			return
		}
		if r.URL.Path == "/notes" {
			switch r.Method {
			case http.MethodGet:
				out := []map[string]any{}
				for _, id := range order {
					out = append(out, notes[id])
					listed[id] = true
				}
				writeJSON(w, http.StatusOK, out)
			case http.MethodPost:
				body, msg := readNote(r, "application/json", true)
				if msg != "" {
					problem(w, http.StatusBadRequest, msg)
					return
				}
				n := add(body)
				w.Header().Set("Location", "/notes/"+n["noteId"].(string))
				writeJSON(w, http.StatusCreated, n)
			default:
				problem(w, http.StatusMethodNotAllowed, "GET or POST")
			}
			return
		}
		id, ok := strings.CutPrefix(r.URL.Path, "/notes/")
		if !ok {
			problem(w, http.StatusNotFound, "no such path")
			return
		}
		if !uuidRE.MatchString(id) {
			problem(w, http.StatusBadRequest, "noteId: a uuid")
			return
		}
		n, found := notes[id]
		if !found || (d.createdUnread && r.Method == http.MethodGet && !listed[id]) {
			problem(w, http.StatusNotFound, "no such note")
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, n)
		case http.MethodPut:
			if d.replace500 {
				problem(w, http.StatusInternalServerError, "nil pointer dereference")
				return
			}
			body, msg := readNote(r, "application/json", true)
			if msg != "" {
				problem(w, http.StatusBadRequest, msg)
				return
			}
			body["noteId"] = id
			if _, ok := body["pinned"]; !ok {
				body["pinned"] = false
			}
			notes[id] = body
			writeJSON(w, http.StatusOK, body)
		case http.MethodPatch:
			body, msg := readNote(r, "application/merge-patch+json", false)
			if msg != "" {
				problem(w, http.StatusBadRequest, msg)
				return
			}
			for k, v := range body {
				if k == "pinned" && d.patchNoPinned {
					continue
				}
				n[k] = v
			}
			writeJSON(w, http.StatusOK, n)
		case http.MethodDelete:
			if !d.keepDeleted {
				delete(notes, id)
				for i, o := range order {
					if o == id {
						order = append(order[:i], order[i+1:]...)
						break
					}
				}
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			problem(w, http.StatusMethodNotAllowed, "GET, PUT, PATCH or DELETE")
		}
	})
}

// readNote reads a NewNote (titleRequired) or a NotePatch of the media
// type, as strictly as the contract says; the string says what is wrong.
func readNote(r *http.Request, media string, titleRequired bool) (map[string]any, string) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != media {
		return nil, "Content-Type: " + media
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, "not a JSON object: " + err.Error()
	}
	for k, v := range body {
		switch k {
		case "title":
			s, ok := v.(string)
			if !ok || s == "" || len(s) > 80 {
				return nil, "title: 1 to 80 characters"
			}
		case "body":
			if _, ok := v.(string); !ok {
				return nil, "body: a string"
			}
		case "pinned":
			if _, ok := v.(bool); !ok {
				return nil, "pinned: a boolean"
			}
		default:
			return nil, k + ": not a field of a note"
		}
	}
	if _, ok := body["title"]; titleRequired && !ok {
		return nil, "title: required"
	}
	return body, ""
}

// TestCRUDChain: conform infers from the contract alone the life of a
// note (create, read by the id its answer's link gives, replace, read,
// update, read, delete, read: 404) and runs it, with generated and
// example bodies and invalid ones. The correct server passes every step;
// each defect is caught by the step it breaks, saying what.
func TestCRUDChain(t *testing.T) {
	args := []string{"--credential", "token=k1"}
	t.Run("correct", func(t *testing.T) {
		results := run(t, notesSpec, notesServer(notesDefects{}, "", nil), args...)
		passes(t, results, "rest-crud-chains", "rest-write-bodies", "rest-invalid-bodies", "rest-not-found", "rest-no-token", "rest-invalid-input")
		steps := 0
		for _, r := range results {
			if r.Check == "rest-crud-chains" && r.Status == "pass" {
				steps++
			}
		}
		if steps != 8 {
			t.Errorf("%d steps of the chain passed, want create, read, replace, read, update, read, delete, read", steps)
		}
	})
	for _, tc := range []struct {
		name   string
		defect notesDefects
		says   []string
	}{
		{"the delete keeps the note", notesDefects{keepDeleted: true}, []string{"want HTTP 404 for the deleted noteId", "the record is still there after its delete answered success"}},
		{"the update ignores a field", notesDefects{patchNoPinned: true}, []string{"/pinned: the update sent /pinned true, the record read back has false"}},
		{"the replace crashes", notesDefects{replace500: true}, []string{"the replace of noteId", "answered 500, a server error"}},
		{"a new note is not readable at once", notesDefects{createdUnread: true}, []string{"the read of noteId", "after the creation (id from the link GetNote ($response.body#/noteId))", "answered 404, want the documented success (200)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			catches(t, run(t, notesSpec, notesServer(tc.defect, "", nil), args...), "rest-crud-chains", tc.says...)
		})
	}
}

// TestSetupHookAndConfigCredentials: a conform.yaml gives the API its
// credential by the contract's scheme name (credentials:), a header every
// request carries (headers:) and a setup hook, run once before the
// checks, that seeds the notes the read checks then find.
func TestSetupHookAndConfigCredentials(t *testing.T) {
	var seeded atomic.Int32
	srv := notesServer(notesDefects{}, "acme", &seeded)
	base := serve(t, srv)
	dir := t.TempDir()
	spec := filepath.Join(dir, "notes.yaml")
	if err := os.WriteFile(spec, []byte(notesSpec), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "conform.yaml")
	yaml := fmt.Sprintf(`apis:
  notes:
    baseURL: %s
    spec: %s
    credentials: {token: k1}
    headers: {X-Tenant: acme}
    setup: {method: POST, url: %s/seed, header: {X-Tenant: acme}}
`, base, spec, base)
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := setUp([]string{"--config", conf})
	if err != nil {
		t.Fatal(err)
	}
	if seeded.Load() != 1 {
		t.Fatalf("the setup hook ran %d times before the checks, want once", seeded.Load())
	}
	results := runEnv(env)
	passes(t, results, "rest-success", "rest-lookups", "rest-records", "rest-no-token")
	if seeded.Load() != 1 {
		t.Errorf("the setup hook ran %d times in all, want once", seeded.Load())
	}
}
