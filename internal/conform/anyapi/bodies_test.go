package anyapi

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// formsSpec takes a form (application/x-www-form-urlencoded) and a
// multipart form with a file.
const formsSpec = `openapi: 3.0.3
info: {title: forms, version: "1"}
paths:
  /subscribers:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/NewSubscriber"}
            example: {email: ann@example.com, plan: free, seats: 1}
      responses:
        "201":
          description: subscribed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Subscriber"}
        "400": {$ref: "#/components/responses/Error"}
        "415": {$ref: "#/components/responses/Error"}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title, file]
              properties:
                title: {type: string, minLength: 1, maxLength: 40}
                pages: {type: integer, minimum: 1, maximum: 500}
                file: {type: string, format: binary}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema:
                type: object
                required: [id, title, bytes]
                properties:
                  id: {type: integer}
                  title: {type: string}
                  pages: {type: integer}
                  bytes: {type: integer}
        "400": {$ref: "#/components/responses/Error"}
        "415": {$ref: "#/components/responses/Error"}
components:
  responses:
    Error:
      description: an error
      content:
        application/json:
          schema: {type: object, required: [message], properties: {message: {type: string}}}
  schemas:
    NewSubscriber:
      type: object
      required: [email, plan]
      properties:
        email: {type: string, format: email}
        plan: {type: string, enum: [free, pro]}
        seats: {type: integer, minimum: 1, maximum: 100}
    Subscriber:
      allOf:
        - $ref: "#/components/schemas/NewSubscriber"
        - type: object
          required: [id]
          properties: {id: {type: integer}}
`

// formsDefects are the ways formsServer can be wrong.
type formsDefects struct {
	anyPlan    bool // a plan outside the enum is taken
	pagesPanic bool // pages that are not a number crash the handler (500)
	jsonOnly   bool // the uploads take JSON only: a multipart form gets 415
}

// formsServer serves formsSpec; seen counts the bodies of each media
// type it read.
func formsServer(d formsDefects, seen map[string]*atomic.Int32) http.Handler {
	var next atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if c := seen[mt]; c != nil {
			c.Add(1)
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/subscribers":
			if mt != "application/x-www-form-urlencoded" {
				problem(w, http.StatusUnsupportedMediaType, "a form, please")
				return
			}
			if err := r.ParseForm(); err != nil {
				problem(w, http.StatusBadRequest, err.Error())
				return
			}
			email, plan := r.PostForm.Get("email"), r.PostForm.Get("plan")
			if !strings.Contains(email, "@") {
				problem(w, http.StatusBadRequest, "email: required, an address")
				return
			}
			if plan != "free" && plan != "pro" && (!d.anyPlan || plan == "") {
				problem(w, http.StatusBadRequest, "plan: free or pro")
				return
			}
			out := map[string]any{"id": next.Add(1), "email": email, "plan": plan}
			if s := r.PostForm.Get("seats"); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 || n > 100 {
					problem(w, http.StatusBadRequest, "seats: 1 to 100")
					return
				}
				out["seats"] = n
			}
			writeJSON(w, http.StatusCreated, out)
		case r.Method == http.MethodPost && r.URL.Path == "/uploads":
			if mt != "multipart/form-data" || d.jsonOnly {
				problem(w, http.StatusUnsupportedMediaType, "a multipart form, please")
				return
			}
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				problem(w, http.StatusBadRequest, err.Error())
				return
			}
			title := r.FormValue("title")
			if title == "" || len(title) > 40 {
				problem(w, http.StatusBadRequest, "title: 1 to 40 characters")
				return
			}
			files := r.MultipartForm.File["file"]
			if len(files) != 1 {
				problem(w, http.StatusBadRequest, "file: one file")
				return
			}
			out := map[string]any{"id": next.Add(1), "title": title, "bytes": files[0].Size}
			if s := r.FormValue("pages"); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil && d.pagesPanic {
					problem(w, http.StatusInternalServerError, "strconv.Atoi: "+err.Error())
					return
				}
				if err != nil || n < 1 || n > 500 {
					problem(w, http.StatusBadRequest, "pages: 1 to 500")
					return
				}
				out["pages"] = n
			}
			writeJSON(w, http.StatusCreated, out)
		default:
			problem(w, http.StatusNotFound, "no such path")
		}
	})
}

// TestFormAndMultipartBodies: request bodies are generated from the
// contract's forms (its example, every field, the required ones) and sent
// as application/x-www-form-urlencoded and multipart/form-data (a binary
// field as a file part); invalid ones (a required field missing, text for
// a number, a value outside the enum, out of bounds or too long) must get
// a documented 4xx. The correct server passes; each defect is caught.
func TestFormAndMultipartBodies(t *testing.T) {
	t.Run("correct", func(t *testing.T) {
		seen := map[string]*atomic.Int32{"application/x-www-form-urlencoded": {}, "multipart/form-data": {}}
		passes(t, run(t, formsSpec, formsServer(formsDefects{}, seen)), "rest-write-bodies", "rest-invalid-bodies")
		for mt, n := range seen {
			if n.Load() < 3 {
				t.Errorf("the server read %d bodies as %s", n.Load(), mt)
			}
		}
	})
	for _, tc := range []struct {
		name   string
		defect formsDefects
		check  string
		says   []string
	}{
		{"a form value outside the enum taken", formsDefects{anyPlan: true}, "rest-invalid-bodies",
			[]string{"plan not a value of its enum (application/x-www-form-urlencoded): answered 201, the invalid request was accepted"}},
		{"text for a number crashes the multipart handler", formsDefects{pagesPanic: true}, "rest-invalid-bodies",
			[]string{"pages not a number (multipart/form-data): answered 500, a server error"}},
		{"multipart forms refused", formsDefects{jsonOnly: true}, "rest-write-bodies",
			[]string{"every field, generated (multipart/form-data): answered 415, want the documented success (201)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			catches(t, run(t, formsSpec, formsServer(tc.defect, nil)), tc.check, tc.says...)
		})
	}
}

// TestInvalidBodiesWhereNoRefusalIsDocumented: an operation that
// documents no status an invalid request could get (here 201 alone) is
// refused with any client error: the contract says nothing of it, and a
// documented one is out of every server's reach. A body accepted is still
// caught.
func TestInvalidBodiesWhereNoRefusalIsDocumented(t *testing.T) {
	const refusals = `        "400": {$ref: "#/components/responses/Error"}
        "415": {$ref: "#/components/responses/Error"}
  /uploads:`
	if !strings.Contains(formsSpec, refusals) {
		t.Fatal("formsSpec changed: its /subscribers refusals are not where this test takes them out")
	}
	spec := strings.Replace(formsSpec, refusals, "  /uploads:", 1)
	t.Run("correct", func(t *testing.T) {
		passes(t, run(t, spec, formsServer(formsDefects{}, nil)), "rest-invalid-bodies")
	})
	t.Run("a value outside the enum taken", func(t *testing.T) {
		catches(t, run(t, spec, formsServer(formsDefects{anyPlan: true}, nil)), "rest-invalid-bodies",
			"plan not a value of its enum (application/x-www-form-urlencoded): answered 201, the invalid request was accepted (want a documented 4xx: none documented)")
	})
}
