package gqlbind

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

func (b *Binder) delete(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	key := argAt(f.Args, bd.Arg)
	var deleted store.Record
	err := b.st.Update(func(tx *store.Tx) error {
		it, ok, err := tx.Get(bd.col, bd.Field, key)
		if err != nil {
			return err
		}
		if !ok || v.Empty() {
			return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
		}
		if err := b.blocked(tx, bd, it, key); err != nil {
			return err
		}
		if _, err := tx.Delete(bd.col, bd.Field, key); err != nil {
			return err
		}
		deleted = it.Record()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fillPayload(bd.Payload, deleted), nil
}

// unavailable turns a write the shared state could not take into the
// field error CodeUnavailable.
func unavailable(v any, err error) (any, error) {
	if errors.Is(err, store.ErrUnavailable) {
		return nil, &exec.Error{Code: CodeUnavailable, Message: "the shared state is unavailable; nothing was written, retry later", Err: err}
	}
	return v, err
}

// blocked reports the blockers that refuse deleting rec, in one error
// naming every blocking record.
func (b *Binder) blocked(tx *store.Tx, bd *binding, rec store.Item, key any) error {
	var parts []string
	var code string
	var details []any
	for _, bl := range bd.Blockers {
		col := manifest.StoreName(b.api.Name, bl.Collection)
		items, err := tx.Find(col, bl.Field, rec.Lookup(bd.Field))
		if err != nil {
			return err
		}
		var ids []any
		for _, it := range items {
			if records.MatchesWhere(it, bl.Where) {
				ids = append(ids, it.Lookup("id"))
			}
		}
		if len(ids) == 0 {
			continue
		}
		if code == "" {
			code = bl.Code
		}
		msg := bl.Message
		if msg == "" {
			msg = fmt.Sprintf("%d blocking %s", len(ids), bl.Collection)
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", msg, joinIDs(ids)))
		details = append(details, map[string]any{"code": bl.Code, "collection": bl.Collection, "ids": ids})
	}
	if code == "" {
		return nil
	}
	return &exec.Error{
		Code:       code,
		Message:    fmt.Sprintf("%s %s cannot be deleted: %s", bd.noun, quote(key), strings.Join(parts, "; ")),
		Extensions: map[string]any{"blockers": details},
	}
}

func (b *Binder) update(v records.View, bd *binding, f exec.FieldContext) (any, error) {
	key := argAt(f.Args, bd.Arg)
	var updated store.Record
	err := b.st.Update(func(tx *store.Tx) error {
		it, ok, err := tx.Get(bd.col, bd.Field, key)
		if err != nil {
			return err
		}
		if !ok || v.Empty() {
			return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", bd.noun, bd.Field, quote(key))}
		}
		for field, vals := range bd.RefuseWhen {
			if v := it.Lookup(field); records.OneOf(v, vals) {
				return badInput("%s %s has %s %v", bd.noun, quote(key), field, v)
			}
		}
		next := maps.Clone(it.Record())
		now := b.opts.Now().UTC().Format(time.RFC3339)
		for field, v := range bd.Set {
			if v == "{{now}}" {
				v = now
			}
			next[field] = v
		}
		if err := tx.Replace(bd.col, it.Seq, next); err != nil {
			return err
		}
		updated = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fillPayload(bd.Payload, updated), nil
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
