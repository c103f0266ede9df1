package anyapi

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// tagsSpec is a list keyed by slug (no id anywhere), its records declared
// through allOf, paged by page/size in an envelope, filtered by an enum,
// with an array query parameter (exploded: ?slug=a&slug=b).
const tagsSpec = `openapi: 3.0.3
info: {title: tags, version: "1"}
paths:
  /tags:
    get:
      operationId: listTags
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 0, default: 0}}
        - {name: size, in: query, schema: {type: integer, minimum: 1, maximum: 20, default: 10}}
        - {name: kind, in: query, schema: {type: string, enum: [topic, place]}}
        - {name: slug, in: query, style: form, explode: true, schema: {type: array, maxItems: 5, items: {type: string}}}
      responses:
        "200":
          description: a page of tags
          content:
            application/json:
              schema:
                type: object
                required: [items, total]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Tag"}}
                  total: {type: integer}
        "400": {$ref: "#/components/responses/Error"}
  /tags/{slug}:
    get:
      operationId: getTag
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string, pattern: "^[a-z0-9-]+$", maxLength: 40}}
      responses:
        "200":
          description: one tag
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Tag"}
        "400": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
components:
  responses:
    Error:
      description: an error
      content:
        application/json:
          schema: {type: object, required: [message], properties: {message: {type: string}}}
  schemas:
    Named:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Tag:
      allOf:
        - $ref: "#/components/schemas/Named"
        - type: object
          required: [slug, kind]
          properties:
            slug: {type: string, pattern: "^[a-z0-9-]+$"}
            kind: {type: string, enum: [topic, place]}
`

// tagsDefects are the ways tagsServer can be wrong.
type tagsDefects struct {
	repeatPage  bool // page 1 answers page 0
	wrongRecord bool // GET /tags/{slug} answers another tag
	numericName bool // the third tag's name is a number
	noFilter    bool // ?kind= is ignored
}

// tagsServer serves tagsSpec; arrays counts the lists asked with several
// slug values.
func tagsServer(d tagsDefects, arrays *atomic.Int32) http.Handler {
	var tags []map[string]any
	for i := range 17 {
		kind := "topic"
		if i%3 == 0 {
			kind = "place"
		}
		tags = append(tags, map[string]any{"slug": fmt.Sprintf("tag-%02d", i), "name": fmt.Sprintf("Tag %d", i), "kind": kind})
	}
	if d.numericName {
		tags[2] = map[string]any{"slug": "tag-02", "name": 2, "kind": "topic"}
	}
	slugRE := regexp.MustCompile(`^[a-z0-9-]+$`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			problem(w, http.StatusMethodNotAllowed, "read only")
			return
		}
		if slug, ok := strings.CutPrefix(r.URL.Path, "/tags/"); ok {
			if !slugRE.MatchString(slug) || len(slug) > 40 {
				problem(w, http.StatusBadRequest, "slug: lower case letters, digits and dashes")
				return
			}
			for i, tg := range tags {
				if tg["slug"] == slug {
					if d.wrongRecord {
						tg = tags[(i+1)%len(tags)]
					}
					writeJSON(w, http.StatusOK, tg)
					return
				}
			}
			problem(w, http.StatusNotFound, "no such tag")
			return
		}
		if r.URL.Path != "/tags" {
			problem(w, http.StatusNotFound, "no such path")
			return
		}
		q := r.URL.Query()
		page, size := 0, 10
		var err error
		if v := q.Get("page"); v != "" {
			if page, err = strconv.Atoi(v); err != nil || page < 0 {
				problem(w, http.StatusBadRequest, "page: an integer from 0")
				return
			}
		}
		if v := q.Get("size"); v != "" {
			if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 20 {
				problem(w, http.StatusBadRequest, "size: an integer from 1 to 20")
				return
			}
		}
		kind := q.Get("kind")
		if kind != "" && kind != "topic" && kind != "place" {
			problem(w, http.StatusBadRequest, "kind: topic or place")
			return
		}
		if len(q["slug"]) > 5 {
			problem(w, http.StatusBadRequest, "slug: at most 5")
			return
		}
		if len(q["slug"]) > 1 {
			arrays.Add(1)
		}
		picked := []map[string]any{}
		for _, tg := range tags {
			if kind != "" && !d.noFilter && tg["kind"] != kind {
				continue
			}
			if len(q["slug"]) > 0 && !slices.Contains(q["slug"], tg["slug"].(string)) {
				continue
			}
			picked = append(picked, tg)
		}
		if d.repeatPage && page == 1 {
			page = 0
		}
		from, to := min(page*size, len(picked)), min((page+1)*size, len(picked))
		writeJSON(w, http.StatusOK, map[string]any{"items": picked[from:to], "total": len(picked)})
	})
}

// TestSlugKeyedList: a list whose records have no id but a slug (the
// item path's parameter), declared through allOf, is recognised as a
// list: walked in full, paged, filtered, each slug read back; array,
// enum and bounded query parameters are generated. Each planted defect is
// caught naming the slug, the page or the allOf branch and field.
func TestSlugKeyedList(t *testing.T) {
	t.Run("correct", func(t *testing.T) {
		var arrays atomic.Int32
		passes(t, run(t, tagsSpec, tagsServer(tagsDefects{}, &arrays), "--examples", "60"),
			"rest-records", "rest-paging", "rest-filters", "rest-lookups", "rest-not-found", "rest-invalid-input", "rest-property-params")
		if arrays.Load() == 0 {
			t.Error("no list was asked with several values of the array parameter slug")
		}
	})
	var arrays atomic.Int32
	for _, tc := range []struct {
		name   string
		defect tagsDefects
		check  string
		says   []string
	}{
		{"page 1 repeats page 0", tagsDefects{repeatPage: true}, "rest-paging", []string{"page 1 repeats 7 of its 7 records from page 0 (first: slug tag-00)"}},
		{"a read answers another tag", tagsDefects{wrongRecord: true}, "rest-lookups", []string{`asked for slug "tag-00", got another record (slug tag-01)`}},
		{"a field violating an allOf branch", tagsDefects{numericName: true}, "rest-records", []string{"/items/2/name", "allOf branch 1 (Named)", "value must be a string"}},
		{"the enum filter ignored", tagsDefects{noFilter: true}, "rest-filters", []string{`filter kind="place"`, "the filter is not applied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			catches(t, run(t, tagsSpec, tagsServer(tc.defect, &arrays)), tc.check, tc.says...)
		})
	}
}
