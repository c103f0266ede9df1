package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// MaxRecordsBody bounds the body of a data API write.
const MaxRecordsBody = 16 << 20

// DataBackend is a Backend that also serves the data API.
type DataBackend interface {
	Backend
	// Records is the data API's logic over the server's store.
	Records() *records.Service
}

// dataRoute routes /apis/{api}/collections[/{c}/records[/{key}]]. It
// answers 404 itself and reports false when the path is none of these.
func (h *handler) dataRoute(w http.ResponseWriter, r *http.Request) (route, bool) {
	p := strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), Prefix), "/")
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s", r.URL.Path))
			return route{}, false
		}
		segs[i] = u
	}
	db, ok := h.b.(DataBackend)
	if !ok || db.Records() == nil {
		writeError(w, http.StatusNotFound, "this server has no data API")
		return route{}, false
	}
	svc := db.Records()
	switch {
	case len(segs) == 3 && segs[2] == "collections":
		api := segs[1]
		return route{[]string{"GET"}, func(w http.ResponseWriter, r *http.Request, _ string) {
			cols, err := svc.Collections(api)
			if err != nil {
				writeRecordsError(w, err)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"api": api, "collections": cols})
		}}, true
	case len(segs) == 5 && segs[2] == "collections" && segs[4] == "records":
		api, col := segs[1], segs[3]
		return route{[]string{"GET", "POST"}, func(w http.ResponseWriter, r *http.Request, _ string) {
			if r.Method == http.MethodPost {
				insertRecords(w, r, svc, api, col)
				return
			}
			listRecords(w, r, svc, api, col)
		}}, true
	case len(segs) == 6 && segs[2] == "collections" && segs[4] == "records":
		api, col, key := segs[1], segs[3], segs[5]
		return route{[]string{"GET", "PUT", "PATCH", "DELETE"}, func(w http.ResponseWriter, r *http.Request, _ string) {
			oneRecord(w, r, svc, api, col, key)
		}}, true
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s; the data API is %s/apis/{api}/collections[/{collection}/records[/{key}]]", r.URL.Path, Prefix))
	return route{}, false
}

func listRecords(w http.ResponseWriter, r *http.Request, svc *records.Service, api, col string) {
	q := r.URL.Query()
	for k := range q {
		if k != "limit" && k != "after" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q; parameters: limit, after", k))
			return
		}
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > records.MaxLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit %q must be an integer from 1 to %d", v, records.MaxLimit))
			return
		}
		limit = n
	}
	page, err := svc.List(api, col, limit, q.Get("after"))
	if err != nil {
		writeRecordsError(w, err)
		return
	}
	out := map[string]any{"records": page.Records, "total": page.Total}
	if page.Next != "" {
		out["next"] = page.Next
	}
	writeJSON(w, http.StatusOK, out)
}

func insertRecords(w http.ResponseWriter, r *http.Request, svc *records.Service, api, col string) {
	body, ok := readJSONBody(w, r)
	if !ok {
		return
	}
	recs, err := svc.Insert(api, col, body)
	if err != nil {
		writeRecordsError(w, err)
		return
	}
	if _, many := body.([]any); many {
		writeJSON(w, http.StatusCreated, map[string]any{"records": recs})
		return
	}
	if key, ok := svc.KeyOf(api, col, recs[0]); ok {
		w.Header().Set("Location", recordPath(api, col, key))
	}
	writeJSON(w, http.StatusCreated, recs[0])
}

func oneRecord(w http.ResponseWriter, r *http.Request, svc *records.Service, api, col, key string) {
	var (
		rec map[string]any
		err error
	)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		rec, err = svc.Get(api, col, key)
	case http.MethodDelete:
		if err = svc.Delete(api, col, key); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	case http.MethodPut, http.MethodPatch:
		if r.Method == http.MethodPatch {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json-patch+json" {
				writeError(w, http.StatusUnsupportedMediaType, "PATCH takes a JSON merge patch (application/merge-patch+json, RFC 7396), not a JSON Patch")
				return
			}
		}
		body, ok := readJSONBody(w, r)
		if !ok {
			return
		}
		if r.Method == http.MethodPut {
			rec, err = svc.Replace(api, col, key, body)
		} else {
			rec, err = svc.Patch(api, col, key, body)
		}
	}
	if err != nil {
		writeRecordsError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// readJSONBody reads one JSON value, answering 400 (or 413) when it cannot.
func readJSONBody(w http.ResponseWriter, r *http.Request) (any, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "" && mt != "application/json" && mt != "application/merge-patch+json" && !strings.HasSuffix(mt, "+json") {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send application/json", mt))
		return nil, false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxRecordsBody))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errors.New("data after the JSON value")
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", mbe.Limit))
		case errors.Is(err, io.EOF):
			writeError(w, http.StatusBadRequest, "empty body: send a JSON record")
		default:
			writeError(w, http.StatusBadRequest, "bad JSON body: "+err.Error())
		}
		return nil, false
	}
	return v, true
}

// writeRecordsError answers an error of package records in the control
// API's shape.
func writeRecordsError(w http.ResponseWriter, err error) {
	var ve *records.ValidationError
	var ce *records.ConflictError
	switch {
	case errors.As(err, &ve):
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": ve.Error(), "violations": ve.Violations})
	case errors.As(err, &ce):
		writeJSON(w, http.StatusConflict, map[string]any{"error": ce.Error(), "pointer": ce.Pointer, "field": ce.Field, "value": ce.Value})
	case errors.Is(err, records.ErrUnknownAPI), errors.Is(err, records.ErrUnknownCollection), errors.Is(err, records.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, records.ErrBadRequest):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrUnavailable):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "the shared state is unavailable; nothing was written, retry later")
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

func recordPath(api, col, key string) string {
	return Prefix + "/apis/" + url.PathEscape(api) + "/collections/" + url.PathEscape(col) + "/records/" + url.PathEscape(key)
}
