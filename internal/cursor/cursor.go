// Package cursor encodes and decodes the opaque Relay cursors of GraphQL
// connections.
//
// A cursor names a position, not an offset: the store sequence number of the
// record at that position and, for ordered views, the order it was issued
// for and the record's sort value. A cursor therefore stays valid while
// records are added or removed elsewhere in the list, and keeps pointing at
// the same gap when its own record is deleted. Cursors are base64url text;
// clients must treat them as opaque.
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Cursor is a decoded position.
type Cursor struct {
	// Seq is the store sequence number of the record.
	Seq uint64
	// Order names the ordering the cursor belongs to ("" for the default
	// order, else e.g. "NAME:ASC").
	Order string
	// Value is the record's sort value in that order (JSON scalar).
	Value any
}

// ErrInvalid is returned for text that is not a cursor of this server.
var ErrInvalid = errors.New("invalid cursor")

const prefix = "c1|"

// MaxLen bounds the length of a cursor accepted by Decode.
const MaxLen = 512

// Encode returns the opaque text of c.
func Encode(c Cursor) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	sb.WriteString(strconv.FormatUint(c.Seq, 10))
	if c.Order != "" {
		v, err := json.Marshal(c.Value)
		if err != nil {
			v = []byte("null")
		}
		sb.WriteByte('|')
		sb.WriteString(c.Order)
		sb.WriteByte('|')
		sb.Write(v)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(sb.String()))
}

// EncodeSeq is Encode for the default order, without allocation beyond the
// result.
func EncodeSeq(seq uint64) string {
	var buf [32]byte
	b := append(buf[:0], prefix...)
	b = strconv.AppendUint(b, seq, 10)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode parses the text of a cursor.
func Decode(s string) (Cursor, error) {
	if s == "" || len(s) > MaxLen {
		return Cursor{}, ErrInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, ErrInvalid
	}
	text := string(raw)
	if !strings.HasPrefix(text, prefix) {
		return Cursor{}, ErrInvalid
	}
	parts := strings.SplitN(text[len(prefix):], "|", 3)
	seq, err := strconv.ParseUint(parts[0], 10, 64)
	if err != nil || seq == 0 {
		return Cursor{}, ErrInvalid
	}
	c := Cursor{Seq: seq}
	switch len(parts) {
	case 1:
		return c, nil
	case 3:
		if parts[1] == "" {
			return Cursor{}, ErrInvalid
		}
		c.Order = parts[1]
		if err := json.Unmarshal([]byte(parts[2]), &c.Value); err != nil {
			return Cursor{}, ErrInvalid
		}
		switch c.Value.(type) {
		case string, float64, bool, nil:
			return c, nil
		}
	}
	return Cursor{}, ErrInvalid
}
