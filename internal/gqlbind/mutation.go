package gqlbind

import (
	"errors"
	"fmt"
	"strings"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/store"
)

// blockersOf compiles a delete binding's blockers for the record layer;
// a blocking record is named by its collection's first unique field.
func (b *Binder) blockersOf(bd *binding) []records.Blocker {
	out := make([]records.Blocker, 0, len(bd.Blockers))
	for _, bl := range bd.Blockers {
		idField := "id"
		if c, ok := b.api.Collection(bl.Collection); ok && len(c.Unique) > 0 {
			idField = c.Unique[0]
		}
		out = append(out, records.Blocker{Collection: manifest.StoreName(b.api.Name, bl.Collection), Name: bl.Collection,
			Field: bl.Field, Where: bl.Where, Code: bl.Code, Message: bl.Message, IDField: idField})
	}
	return out
}

// delete answers a delete field: the record layer's guarded delete, its
// refusals as field errors.
func (b *Binder) delete(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	key := argAt(f.Args, bd.Arg)
	deleted, err := v.Delete(bd.col, records.Key{Field: bd.Field, Value: key, Scoped: bd.Scoped}, bd.blockers)
	if err != nil {
		return nil, b.writeError(bd, key, err)
	}
	return fillPayload(bd.Payload, deleted), nil
}

// update answers an update field: the record layer's guarded update.
func (b *Binder) update(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	key := argAt(f.Args, bd.Arg)
	updated, err := v.Update(bd.col, records.Key{Field: bd.Field, Value: key, Scoped: bd.Scoped},
		records.Update{RefuseWhen: bd.RefuseWhen, Set: bd.Set, Now: b.opts.Now})
	if err != nil {
		return nil, b.writeError(bd, key, err)
	}
	return fillPayload(bd.Payload, updated), nil
}

// writeError is the field error of a refused write: NOT_FOUND, FORBIDDEN
// (outside the token's scope), BAD_USER_INPUT (the record's state refuses
// an update), or the first matching blocker's code (CodeConflict when no
// matching blocker has one) for a blocked delete, naming every blocking
// record in the message and under extensions.blockers.
func (b *Binder) writeError(bd *binding, key any, err error) error {
	var re *records.RefusedError
	var be *records.BlockedError
	switch {
	case errors.As(err, &be):
		parts := make([]string, len(be.Blocks))
		details := make([]any, len(be.Blocks))
		for i, bl := range be.Blocks {
			parts[i] = fmt.Sprintf("%s (%s)", bl.Message, records.JoinIDs(bl.IDs))
			details[i] = map[string]any{"code": bl.Code, "collection": bl.Collection, "ids": bl.IDs}
		}
		code := CodeConflict
		for _, bl := range be.Blocks {
			if bl.Code != "" {
				code = bl.Code
				break
			}
		}
		return &exec.Error{
			Code:       code,
			Message:    fmt.Sprintf("%s %s cannot be deleted: %s", bd.noun, quote(key), strings.Join(parts, "; ")),
			Extensions: map[string]any{"blockers": details},
		}
	case errors.As(err, &re) && errors.Is(re.Err, records.ErrRefused):
		return badInput("%s %s has %s %v", bd.noun, quote(key), re.Field, re.Value)
	case errors.Is(err, records.ErrNotFound):
		return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
	case errors.Is(err, records.ErrOutOfScope):
		return outOfScope(bd, key)
	}
	return err
}

// unavailable turns a write the shared state could not take into the
// field error CodeUnavailable; a write whose outcome is unknown gets that
// code too, with extensions "outcome": "unknown" and "writeId".
func unavailable(v any, err error) (any, error) {
	var ue *store.UnknownOutcomeError
	switch {
	case errors.Is(err, store.ErrUnavailable):
		return nil, &exec.Error{Code: CodeUnavailable, Message: "the shared state is unavailable; nothing was written, retry later", Err: err}
	case errors.As(err, &ue):
		return nil, &exec.Error{Code: CodeUnavailable, Message: render.UnknownOutcomeMessage(ue.WriteID), Err: err,
			Extensions: map[string]any{"outcome": render.OutcomeUnknown, "writeId": ue.WriteID}}
	}
	return v, err
}

func fillPayload(tmpl map[string]any, rec store.Record) map[string]any {
	out := make(map[string]any, len(tmpl))
	for k, v := range tmpl {
		if v == "{{record}}" {
			out[k] = rec
			continue
		}
		out[k] = v
	}
	return out
}
