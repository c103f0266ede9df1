package server

import (
	"net/http"
	"sync"
	"time"

	"github.com/standin/standin/internal/journal"
)

// recorderPool hands out the recorders of requests and takes them back when
// the request is done, so a request does not allocate its recorder and
// journal entry (~300 bytes, most of a kept answer's own garbage). The zero
// value is ready to use.
type recorderPool struct{ p sync.Pool }

// get returns a recorder of w, all else zero but the journal and the start.
func (rp *recorderPool) get(w http.ResponseWriter, j *journal.Journal, start time.Time) *recorder {
	rec, _ := rp.p.Get().(*recorder)
	if rec == nil {
		rec = new(recorder)
	}
	rec.ResponseWriter, rec.journal, rec.start = w, j, start
	rec.entry = &rec.entryVal
	return rec
}

// put takes rec back once its request is answered and journaled; nothing
// may use it afterwards. It is cleared first, so that the pool keeps no
// writer, body or entry strings of a request alive.
func (rp *recorderPool) put(rec *recorder) {
	*rec = recorder{}
	rp.p.Put(rec)
}
