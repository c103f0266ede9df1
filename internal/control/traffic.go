package control

import (
	"fmt"
	"net/http"
	"strings"
)

// traffic serves GET /__standin/traffic[?api=NAME]: each API's request
// counts (requests, 4xx, 5xx, 429, faults) and latency percentiles (p50,
// p99) since start-up and over the last minutes, with a series per step
// (metrics.TrafficReport). Every API served is listed, in the order of GET
// /apis, then "" when requests no API served were counted; ?api= keeps one.
func (h *handler) traffic(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	q := r.URL.Query()
	for k := range q {
		if k != "api" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q; parameters: api", k))
			return
		}
	}
	names := make([]string, 0, len(h.b.APIs()))
	for _, a := range h.b.APIs() {
		names = append(names, a.Name)
	}
	rep := h.opts.Traffic.Report(names)
	if api, ok := q["api"]; ok {
		if len(api) != 1 || !h.knownAPI(api[0]) {
			writeError(w, http.StatusNotFound, h.unknownAPI(strings.Join(api, ",")))
			return
		}
		for _, a := range rep.APIs {
			if a.API == api[0] {
				rep.APIs = rep.APIs[:0:0]
				rep.APIs = append(rep.APIs, a)
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, rep)
}
