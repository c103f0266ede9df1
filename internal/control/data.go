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
	"github.com/standin/standin/internal/render"
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

// dataRoutes registers /apis/{api}/collections[/{c}/records[/{key}]] when
// the backend has a data API. Each request asks the backend for the data
// API's service again (ServeHTTP answers 404 while there is none).
func (h *handler) dataRoutes() {
	if _, ok := h.b.(DataBackend); !ok {
		return
	}
	h.routes.handle("/apis/{api}/collections", []string{http.MethodGet}, func(w http.ResponseWriter, r *http.Request, v map[string]string) {
		cols, err := h.records().Collections(v["api"])
		if err != nil {
			writeRecordsError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"api": v["api"], "collections": cols})
	})
	h.routes.handle("/apis/{api}/collections/{c}/records", []string{http.MethodGet, http.MethodPost}, func(w http.ResponseWriter, r *http.Request, v map[string]string) {
		if r.Method == http.MethodPost {
			insertRecords(w, r, h.records(), v["api"], v["c"])
			return
		}
		listRecords(w, r, h.records(), v["api"], v["c"])
	})
	h.routes.handle("/apis/{api}/collections/{c}/records/{key}", []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete}, func(w http.ResponseWriter, r *http.Request, v map[string]string) {
		oneRecord(w, r, h.records(), v["api"], v["c"], v["key"])
	})
}

// records is the data API's service (nil when the backend has none).
func (h *handler) records() *records.Service {
	if db, ok := h.b.(DataBackend); ok {
		return db.Records()
	}
	return nil
}

// isDataPath reports whether a path relative to Prefix is in the data API's
// part of the tree.
func isDataPath(p string) bool {
	return strings.HasPrefix(p, "/apis/") && strings.Contains(p, "/collections")
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
	var ue *store.UnknownOutcomeError
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
	case errors.As(err, &ue):
		render.UnknownOutcomeHeaders(w.Header(), ue.WriteID)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": render.UnknownOutcomeMessage(ue.WriteID), "outcome": render.OutcomeUnknown, "writeId": ue.WriteID})
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

func recordPath(api, col, key string) string {
	return Prefix + "/apis/" + url.PathEscape(api) + "/collections/" + url.PathEscape(col) + "/records/" + url.PathEscape(key)
}
