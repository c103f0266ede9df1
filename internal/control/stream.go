package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// StreamBuffer is how many requests a slow stream listener may fall behind
// before it misses some.
const StreamBuffer = 256

// streamHeartbeat keeps idle streams (and proxies) from timing out.
const streamHeartbeat = 15 * time.Second

// stream serves GET /__standin/requests/stream: server-sent events, one
// "request" event (data: the journal entry as JSON) per completed request
// that matches the same filters as GET /__standin/requests (limit and since
// are ignored), and a comment line every 15 s while idle.
func (h *handler) stream(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	f, ok := h.filter(w, r)
	if !ok {
		return
	}
	j := h.b.Journal()
	if j == nil {
		writeError(w, http.StatusNotFound, "this server keeps no journal")
		return
	}
	// Subscribed before the first byte: a client that saw the stream open
	// sees every later request.
	ch, stop := j.Subscribe(StreamBuffer)
	defer stop()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, ": standin request stream\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return // the writer cannot stream
	}
	tick := time.NewTicker(streamHeartbeat)
	defer tick.Stop()
	f.Limit, f.Since = 0, time.Time{}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		case e, ok := <-ch:
			if !ok {
				return
			}
			if !f.Match(&e) {
				continue
			}
			data, err := json.Marshal(e)
			if err != nil {
				continue
			}
			if _, err := fmt.Fprintf(w, "event: request\ndata: %s\n\n", data); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
