package records

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/contract/jsonptr"
	"github.com/standin/standin/internal/store"
)

// Kinds of refused writes, besides ErrNotFound, ErrOutOfScope and
// ErrBadRequest (an invalid record); match with errors.Is.
var (
	// ErrConflict: a unique value of the record is taken.
	ErrConflict = errors.New("conflict")
	// ErrRefused: the record's state refuses the update (RefuseWhen).
	ErrRefused = errors.New("refused by the record's state")
)

// RefusedError says why a guarded write was refused; nothing was written.
type RefusedError struct {
	// Err is the kind: ErrBadRequest, ErrConflict, ErrRefused or
	// ErrOutOfScope.
	Err error
	// Reason says what is wrong, for the client ("" when the kind says
	// it all).
	Reason string
	// Field and Value name the field whose value refused an update
	// (ErrRefused).
	Field string
	Value any
}

// Error returns the reason, else the kind.
func (e *RefusedError) Error() string {
	if e.Reason == "" {
		return e.Err.Error()
	}
	return e.Reason
}

// Unwrap returns the kind.
func (e *RefusedError) Unwrap() error { return e.Err }

func refuse(kind error, format string, args ...any) error {
	return &RefusedError{Err: kind, Reason: fmt.Sprintf(format, args...)}
}

// Blocker refuses deleting a record while records of a collection refer
// to it: those whose Field equals the target's key field and that satisfy
// Where.
type Blocker struct {
	// Collection is the store name of the blocking collection; Name is
	// its name in the API, for messages.
	Collection, Name string
	Field            string
	Where            map[string][]any
	// Code and Message describe the refusal (Message "" says how many).
	Code, Message string
	// IDField names a blocking record in messages ("" is "id").
	IDField string
}

// Block is a blocker that matched, with the records that block.
type Block struct {
	Code, Collection, Message string
	// IDs are the blocking records' IDField values, in store order.
	IDs []any
}

// BlockedError says a delete was refused by its blockers; nothing was
// written.
type BlockedError struct {
	// Key is the target's key field value, as stored.
	Key    any
	Blocks []Block
}

// Error names every blocking record, per blocker.
func (e *BlockedError) Error() string {
	parts := make([]string, len(e.Blocks))
	for i, b := range e.Blocks {
		parts[i] = fmt.Sprintf("%s (%s)", b.Message, JoinIDs(b.IDs))
	}
	return "cannot be deleted: " + strings.Join(parts, "; ")
}

// JoinIDs writes record ids as a comma-separated list.
func JoinIDs(ids []any) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

// target finds the record k selects inside a write transaction, as Get
// does outside one. Writes go to the store itself, never to the large data
// set.
func (v View) target(tx *store.Tx, col string, k *Key) (store.Item, error) {
	return v.lookup(source{tx: tx}, col, k)
}

// Delete removes the record k selects in the collection col, unless a
// blocker matches it, in one store transaction, and returns the record
// deleted. Errors: ErrNotFound, ErrOutOfScope, *BlockedError.
func (v View) Delete(col string, k Key, blockers []Blocker) (store.Record, error) {
	var deleted store.Record
	err := v.src.st.Update(func(tx *store.Tx) error {
		it, err := v.target(tx, col, &k)
		if err != nil {
			return err
		}
		if be, err := blocked(tx, it.Lookup(k.Field), blockers); err != nil {
			return err
		} else if be != nil {
			be.Key = it.Lookup(k.Field)
			return be
		}
		if _, err := tx.Delete(col, k.Field, it.Lookup(k.Field)); err != nil {
			return err
		}
		deleted = it.Record()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

// blocked returns a *BlockedError naming every record that blocks
// deleting the record whose key field has the value key, or nil.
func blocked(tx *store.Tx, key any, blockers []Blocker) (*BlockedError, error) {
	var blocks []Block
	for _, bl := range blockers {
		items, err := tx.Find(bl.Collection, bl.Field, key)
		if err != nil {
			return nil, err
		}
		idField := bl.IDField
		if idField == "" {
			idField = "id"
		}
		var ids []any
		for _, it := range items {
			if MatchesWhere(it, bl.Where) {
				ids = append(ids, it.Lookup(idField))
			}
		}
		if len(ids) == 0 {
			continue
		}
		msg := bl.Message
		if msg == "" {
			msg = fmt.Sprintf("%d blocking %s", len(ids), bl.Name)
		}
		blocks = append(blocks, Block{Code: bl.Code, Collection: bl.Name, Message: msg, IDs: ids})
	}
	if len(blocks) == 0 {
		return nil, nil
	}
	return &BlockedError{Blocks: blocks}, nil
}

// Update writes fields into an existing record.
type Update struct {
	// RefuseWhen refuses the update (ErrRefused) when the record's field
	// has one of the values.
	RefuseWhen map[string][]any
	// Set gives the fields written; the string "{{now}}" is the current
	// time in RFC 3339.
	Set map[string]any
	// Now is the clock of "{{now}}" (nil: time.Now).
	Now func() time.Time
	// Change, when set, computes further fields from the record as it is
	// inside the transaction (a list that grows by some keys), written
	// after Set; nil values delete the field.
	Change func(current store.Record) map[string]any
}

// Update writes u into the record k selects in the collection col, in one
// store transaction, and returns the record after the change. Errors:
// ErrNotFound, ErrOutOfScope, a *RefusedError of kind ErrRefused.
func (v View) Update(col string, k Key, u Update) (store.Record, error) {
	var updated store.Record
	err := v.src.st.Update(func(tx *store.Tx) error {
		it, err := v.target(tx, col, &k)
		if err != nil {
			return err
		}
		for _, field := range slices.Sorted(mapKeys(u.RefuseWhen)) {
			if val := it.Lookup(field); OneOf(val, u.RefuseWhen[field]) {
				return &RefusedError{Err: ErrRefused, Reason: fmt.Sprintf("%s is %v", field, val), Field: field, Value: val}
			}
		}
		next := maps.Clone(it.Record())
		now := nowText(u.Now)
		for field, val := range u.Set {
			if val == "{{now}}" {
				val = now
			}
			next[field] = val
		}
		if u.Change != nil {
			for field, val := range u.Change(it.Record()) {
				if val == nil {
					delete(next, field)
					continue
				}
				next[field] = val
			}
		}
		next = v.src.canonical(col, next)
		if err := tx.Replace(col, it.Seq, next); err != nil {
			return err
		}
		updated = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}

func nowText(now func() time.Time) string {
	if now == nil {
		now = time.Now
	}
	return now().UTC().Format(time.RFC3339)
}

// Create is a new record.
type Create struct {
	// Body is the record as the client sent it.
	Body map[string]any
	// Assign gives the fields set when Body leaves them out: "{{uuid}}" is
	// a new random UUID, "{{seq}}" one more than the largest integer value
	// of the field in the collection ("{{seq MIN MAX}}": within [MIN, MAX],
	// the smallest free value once the largest is MAX), "{{now}}" the
	// current time in RFC 3339; any other value is copied.
	Assign map[string]any
	// Fill, when set, completes the record after Assign, before Check
	// (the body's record valid against the collection's schema whatever
	// the request schema left out). taken reports whether a value of a
	// unique field is already stored.
	Fill func(rec store.Record, taken func(field string, value any) bool) store.Record
	// Now is the clock of "{{now}}" (nil: time.Now).
	Now func() time.Time
	// Check validates the record; one reason per violation.
	Check func(store.Record) []string
	// KeyField is the field the stored record is read back by for the
	// scope check; Scoped applies the principal's scope to the new record.
	KeyField string
	Scoped   bool
}

// Create inserts a new record into the collection col in one store
// transaction and returns it as stored. Errors: *RefusedError of kind
// ErrBadRequest (invalid), ErrConflict (a unique value taken) or
// ErrOutOfScope (the record would be outside the principal's scope).
func (v View) Create(col string, c Create) (store.Record, error) {
	var created store.Record
	err := v.src.st.Update(func(tx *store.Tx) error {
		rec := maps.Clone(c.Body)
		if rec == nil {
			rec = store.Record{}
		}
		for _, field := range slices.Sorted(mapKeys(c.Assign)) {
			if _, given := rec[field]; given {
				continue
			}
			val, err := assignValue(tx, col, field, c.Assign[field], c.Now)
			if err != nil {
				return err
			}
			rec[field] = val
		}
		if c.Fill != nil {
			rec = c.Fill(rec, func(field string, value any) bool {
				_, ok, _ := tx.Get(col, field, value)
				return ok
			})
		}
		rec = v.src.canonical(col, rec)
		if err := check(c.Check, rec); err != nil {
			return err
		}
		if _, err := tx.Insert(col, rec); err != nil {
			return storeRefusal(err)
		}
		if v.scoped(c.Scoped) {
			if it, ok, _ := tx.Get(col, c.KeyField, store.Lookup(rec, c.KeyField)); ok && !v.p.Allows(v.src.api, it) {
				return refuse(ErrOutOfScope, "the record would be outside the token's scope")
			}
		}
		created = rec
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// Change replaces a record or patches it.
type Change struct {
	// Body is the new record, or with Patch a JSON merge patch (RFC 7396)
	// of the stored one.
	Body  map[string]any
	Patch bool
	// Check validates the record after the change; one reason per
	// violation.
	Check func(store.Record) []string
	// KeyName is how the request names the key, for messages ("the
	// path's petId").
	KeyName string
	// Fill, when set, completes the record after the change, before Check,
	// from the stored one (its key kept).
	Fill func(stored, next store.Record) store.Record
}

// Replace replaces (or patches) the record k selects in the collection
// col, in one store transaction, and returns the record after the change.
// The record's key field keeps its value. Errors: ErrNotFound,
// ErrOutOfScope, *RefusedError of kind ErrBadRequest (invalid, or a
// changed key), ErrConflict or ErrOutOfScope (the record would leave the
// principal's scope).
func (v View) Replace(col string, k Key, c Change) (store.Record, error) {
	var replaced store.Record
	err := v.src.st.Update(func(tx *store.Tx) error {
		it, err := v.target(tx, col, &k)
		if err != nil {
			return err
		}
		body := c.Body
		if c.Patch {
			next, ok := MergePatch(map[string]any(it.Record()), body).(map[string]any)
			if !ok {
				return refuse(ErrBadRequest, "request body: a merge patch must be a JSON object")
			}
			body = next
		}
		body = v.src.canonical(col, body)
		stored := it.Lookup(k.Field)
		if val, ok := body[k.Field]; ok && !Equal(val, stored) {
			key, _ := store.KeyOf(stored)
			return refuse(ErrBadRequest, "request body at /%s: must equal %s %q (a record's key does not change)", jsonptr.Token(k.Field), c.KeyName, key)
		}
		next := maps.Clone(body)
		if next == nil {
			next = map[string]any{}
		}
		next[k.Field] = stored
		if c.Fill != nil {
			next = c.Fill(it.Record(), next)
			next[k.Field] = stored
		}
		if err := check(c.Check, next); err != nil {
			return err
		}
		if err := tx.Replace(col, it.Seq, next); err != nil {
			return storeRefusal(err)
		}
		if v.scoped(k.Scoped) {
			if nit, ok, _ := tx.Get(col, k.Field, stored); ok && !v.p.Allows(v.src.api, nit) {
				return refuse(ErrOutOfScope, "the record would leave the token's scope")
			}
		}
		replaced = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return replaced, nil
}

func check(fn func(store.Record) []string, rec store.Record) error {
	if fn == nil {
		return nil
	}
	if msgs := fn(rec); len(msgs) > 0 {
		return refuse(ErrBadRequest, "%s", strings.Join(msgs, "; "))
	}
	return nil
}

// storeRefusal turns a store error on a write into the client's fault it
// is: a taken unique value (ErrConflict) or a record without its key
// (ErrBadRequest).
func storeRefusal(err error) error {
	switch {
	case errors.Is(err, store.ErrDuplicate):
		return refuse(ErrConflict, "%s", trimStore(err))
	case errors.Is(err, store.ErrMissingKey):
		return refuse(ErrBadRequest, "%s", trimStore(err))
	}
	return err
}

func trimStore(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "store:") {
		return rest
	}
	return msg
}

// assignValue computes one Assign expression.
func assignValue(tx *store.Tx, col, field string, expr any, now func() time.Time) (any, error) {
	s, ok := expr.(string)
	if !ok {
		return expr, nil
	}
	switch s {
	case "{{uuid}}":
		return newUUID(), nil
	case "{{now}}":
		return nowText(now), nil
	case "{{seq}}":
		highest := 0.0
		err := tx.Scan(col, func(it store.Item) bool {
			if f, ok := integer(it.Lookup(field)); ok && f > highest {
				highest = f
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		return highest + 1, nil
	}
	if lo, hi, ok := seqBounds(s); ok {
		return boundedSeq(tx, col, field, lo, hi)
	}
	return s, nil
}

// seqBounds reads "{{seq MIN MAX}}".
func seqBounds(s string) (lo, hi float64, ok bool) {
	inner, found := strings.CutPrefix(s, "{{seq ")
	if !found || !strings.HasSuffix(inner, "}}") {
		return 0, 0, false
	}
	parts := strings.Fields(strings.TrimSuffix(inner, "}}"))
	if len(parts) != 2 {
		return 0, 0, false
	}
	a, err1 := strconv.ParseFloat(parts[0], 64)
	b, err2 := strconv.ParseFloat(parts[1], 64)
	if err1 != nil || err2 != nil || a > b {
		return 0, 0, false
	}
	return math.Ceil(a), math.Floor(b), true
}

// boundedSeq is one more than the largest integer value of the field
// within [lo, hi], or the smallest free one once that is hi (a key a path
// parameter's bounds allow, so the record can be read back).
func boundedSeq(tx *store.Tx, col, field string, lo, hi float64) (any, error) {
	highest := lo - 1
	used := map[float64]bool{}
	err := tx.Scan(col, func(it store.Item) bool {
		if f, ok := integer(it.Lookup(field)); ok && f >= lo && f <= hi {
			used[f] = true
			highest = max(highest, f)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if highest < hi {
		return highest + 1, nil
	}
	for f := lo; f <= hi; f++ {
		if !used[f] {
			return f, nil
		}
	}
	return nil, refuse(ErrConflict, "no free value of %s within [%v, %v]", field, lo, hi)
}

func integer(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, x == math.Trunc(x)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return float64(n), err == nil
	}
	return 0, false
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
