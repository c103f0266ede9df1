package render

import "net/http"

// Headers of a write answered 503 whose outcome is unknown (shared state:
// the connection to Redis dropped after the write was sent, and whether it
// was appended could not be learned in time).
const (
	// WriteIDHeader carries the write id, for GET /__standin/writes/{id}.
	WriteIDHeader = "X-Standin-Write-Id"
	// WriteOutcomeHeader says "unknown".
	WriteOutcomeHeader = "X-Standin-Write-Outcome"
)

// OutcomeUnknown is the value of WriteOutcomeHeader, and of the "outcome"
// field of the data API's and GraphQL's answers, for such a write.
const OutcomeUnknown = "unknown"

// UnknownOutcomeHeaders sets the headers of a write whose outcome is
// unknown: its id, the outcome and Retry-After.
func UnknownOutcomeHeaders(h http.Header, writeID string) {
	h.Set(WriteIDHeader, writeID)
	h.Set(WriteOutcomeHeader, OutcomeUnknown)
	if h.Get("Retry-After") == "" {
		h.Set("Retry-After", "1")
	}
}

// UnknownOutcomeMessage is the error message of a write whose outcome is
// unknown, in every API's shape.
func UnknownOutcomeMessage(writeID string) string {
	return "the shared state became unreachable while the write was being made; its outcome is unknown " +
		"(it may or may not have been written): check GET /__standin/writes/" + writeID + " or read the record before retrying"
}
