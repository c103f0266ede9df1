package control

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/store"
)

// WriteOutcomes is a Backend whose writes may go through a shared log
// (--state): GET /__standin/writes/{id} tells what became of a write that
// was answered 503 with its outcome unknown (the id from
// X-Standin-Write-Id). WriteOutcome answers store.ErrNoLog when the state
// is not shared.
type WriteOutcomes interface {
	WriteOutcome(ctx context.Context, id string) (store.WriteOutcome, error)
}

// writeOutcomeWait bounds how long GET /writes/{id} waits for the log.
const writeOutcomeWait = 2 * time.Second

// writeOutcome answers GET /writes/{id}: 200 {"writeId", "outcome":
// "applied" (with "position") | "not-applied" | "unknown" (with "reason":
// the log cannot tell)}; 503 with Retry-After while the shared state
// cannot be reached; 400 for a malformed id; 404 without shared state.
func (h *handler) writeOutcome(w http.ResponseWriter, r *http.Request, v map[string]string) {
	wo, ok := h.b.(WriteOutcomes)
	if !ok {
		writeError(w, http.StatusNotFound, "this server shares no state (--state): every write was answered for certain")
		return
	}
	id := v["id"]
	ctx, cancel := context.WithTimeout(r.Context(), writeOutcomeWait)
	defer cancel()
	o, err := wo.WriteOutcome(ctx, id)
	switch {
	case errors.Is(err, store.ErrNoLog):
		writeError(w, http.StatusNotFound, "this server shares no state (--state): every write was answered for certain")
	case errors.Is(err, store.ErrBadWriteID):
		writeError(w, http.StatusBadRequest, err.Error())
	case err != nil:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "the shared state is unreachable: the outcome cannot be learned now, ask again later",
			"writeId": id, "outcome": render.OutcomeUnknown})
	default:
		body := map[string]any{"writeId": id, "outcome": string(o.Outcome)}
		if o.Position != "" {
			body["position"] = o.Position
		}
		if o.Reason != "" {
			body["reason"] = o.Reason
		}
		writeJSON(w, http.StatusOK, body)
	}
}
