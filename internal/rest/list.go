package rest

import (
	"errors"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// streamListAbove is the number of records above which a list is written
// as it is encoded (chunked, no Content-Length) rather than built whole:
// an unpaged list of a million records is a 300 MB body.
const streamListAbove = 2000

// streamChunk is how many bytes a streamed list gathers before writing.
const streamChunk = 64 << 10

// listChunk is how many records a streamed list takes from the store at a
// time.
const listChunk = 1000

// query is the records query of a list request: the binding's collection
// and scope, and the request's filters (all must match; the first given
// is read through the store's index). ok is false when two filters on one
// field ask for different values, which no record satisfies.
func (op *operation) query(lr *listRequest) (q records.Query, ok bool) {
	q = records.Query{Collection: op.collection, Scoped: op.binding.Scoped, Cost: time.Duration(op.binding.RecordCost)}
	if i := lr.firstFilter(); i >= 0 {
		q.Where.Eq = make(map[string]any, len(lr.filters))
		q.Where.Index = op.filters[i].field
		for i, v := range lr.filters {
			if !lr.given[i] {
				continue
			}
			field := op.filters[i].field
			if prev, dup := q.Where.Eq[field]; dup && prev != v {
				return q, false
			}
			q.Where.Eq[field] = v
		}
	}
	q.Where.Scope = lr.scope
	return q, true
}

// serveList answers a list: the records the view, the scope and the
// filters keep, cut to the page, in the envelope. A page of up to
// streamListAbove records is built from the cached encodings; a longer one
// is streamed.
func (op *operation) serveList(w http.ResponseWriter, e *Engine, r *http.Request, v records.View, lr *listRequest) {
	if op.noBody {
		w.WriteHeader(op.ok)
		return
	}
	needTotal := op.env.has(slotTotalElements) || op.env.has(slotTotalPages) || op.env.has(slotLinks)
	var l records.List
	if q, ok := op.query(lr); ok {
		var err error
		l, err = v.List(q, records.Span{Offset: lr.offset, Limit: lr.limit, Total: needTotal, StreamAbove: op.streamAbove, Chunk: listChunk})
		if err != nil {
			var te *records.TimeoutError
			if errors.As(err, &te) {
				e.problem(w, op, http.StatusGatewayTimeout, timeoutMessage(te))
				return
			}
			e.log.Error("rest: store scan failed", "operation", op.id, "err", err)
			l = records.List{}
		}
	}
	items, total, count := l.Items, l.Total, l.Count
	var links []byte
	if op.env.has(slotLinks) {
		links = op.links(nil, r, lr, total)
	}
	fill := func(b []byte, s slot, list func(b []byte) []byte) []byte {
		switch s {
		case slotItems:
			return list(b)
		case slotLinks:
			return append(b, links...)
		case slotSize:
			n := lr.size
			if n < 0 {
				n = count
			}
			return strconv.AppendInt(b, int64(n), 10)
		case slotNumber:
			return strconv.AppendInt(b, int64(lr.number), 10)
		case slotTotalElements:
			return strconv.AppendInt(b, int64(total), 10)
		case slotTotalPages:
			return strconv.AppendInt(b, int64(totalPages(total, lr.size)), 10)
		}
		return append(b, "null"...)
	}
	switch {
	case l.Stream != nil:
		op.streamList(w, l.Stream, fill)
		return
	case len(items) > op.streamAbove:
		op.streamList(w, slices.Values(items), fill)
		return
	}
	size := 2 + op.env.size() + len(links)
	encs := make([][]byte, len(items))
	for i, it := range items {
		encs[i] = op.cache.get(it, op).item
		size += len(encs[i]) + 1
	}
	buf := make([]byte, 0, size+4*20)
	body := op.env.wrap(buf, slotItems, func(b []byte, s slot) []byte {
		return fill(b, s, func(b []byte) []byte {
			b = append(b, '[')
			for i, enc := range encs {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, enc...)
			}
			return append(b, ']')
		})
	})
	writeBody(w, op.ok, body, []string{strconv.Itoa(len(body))})
}

// timeoutMessage is the 504 detail of a list of the large data set that
// would take longer than the request's time allows.
func timeoutMessage(te *records.TimeoutError) string {
	if te.Message != "" || te.Err != nil {
		return te.Error()
	}
	return "the list would fetch " + strconv.Itoa(te.Records) + " records, more than the request's time limit allows; use paging to fetch fewer per request"
}

// streamList writes a long list as it encodes it, in chunks of about
// streamChunk bytes: memory stays bounded whatever the list's length.
// Encodings come from the cache when there, else are made without caching.
func (op *operation) streamList(w http.ResponseWriter, items iter.Seq[store.Item], fill func([]byte, slot, func([]byte) []byte) []byte) {
	h := w.Header()
	h["Content-Type"] = ctJSON
	w.WriteHeader(op.ok)
	buf := make([]byte, 0, streamChunk+4096)
	failed := false
	flush := func(b []byte) []byte {
		if len(b) >= streamChunk && !failed {
			if _, err := w.Write(b); err != nil {
				failed = true // the client went away: stop encoding
			}
			return b[:0]
		}
		return b
	}
	buf = op.env.wrap(buf, slotItems, func(b []byte, s slot) []byte {
		return fill(b, s, func(b []byte) []byte {
			b = append(b, '[')
			first := true
			for it := range items {
				if failed {
					break
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				if ent := op.cache.peek(it); ent != nil {
					b = append(b, ent.item...)
				} else {
					b = appendJSON(b, op.project(it))
				}
				b = flush(b)
			}
			return append(b, ']')
		})
	})
	if !failed {
		_, _ = w.Write(buf)
	}
}
