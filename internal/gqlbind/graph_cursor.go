package gqlbind

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/cursor"
)

// graph cursors: cursor.Encode with Order "g<rank>.<order key>" and the
// record's sort value.
func encodeGraphCursor(n *gnode, o gorder, val any) string {
	switch val.(type) {
	case string, float64, bool, nil:
	default:
		val = nil
	}
	seq := n.it.Seq
	if seq == 0 {
		seq = 1
	}
	return cursor.Encode(cursor.Cursor{Seq: seq, Order: "g" + strconv.Itoa(n.r.rank) + "." + o.key(), Value: val})
}

// cursorPos is the position of a cursor among items: its record's, else
// the last record before it in the order.
func cursorPos(items []*gnode, s string, o gorder, sortBy map[*gnode]any, name string) (int, error) {
	c, err := cursor.Decode(s)
	if err != nil || !strings.HasPrefix(c.Order, "g") {
		return 0, badInput("%s: %q is not a cursor issued by this connection", name, s)
	}
	rankText, key, ok := strings.Cut(c.Order[1:], ".")
	rank, err := strconv.Atoi(rankText)
	if !ok || err != nil {
		return 0, badInput("%s: %q is not a cursor issued by this connection", name, s)
	}
	if key != o.key() {
		return 0, badInput("%s: the cursor belongs to another orderBy than this query's", name)
	}
	for i, n := range items {
		if n.r.rank == rank && n.it.Seq == c.Seq {
			return i, nil
		}
	}
	// the record is gone: the gap it left, by (sort value, rank, seq)
	pos := -1
	for i, n := range items {
		cmp := 0
		if o.value != "" {
			cmp = compareValues(sortBy[n], c.Value)
			if o.dir == "DESC" {
				cmp = -cmp
			}
		}
		if cmp == 0 {
			cmp = compareInts(n.r.rank, rank)
		}
		if cmp == 0 {
			cmp = compareInts(int(n.it.Seq), int(c.Seq))
		}
		if cmp < 0 {
			pos = i
		}
	}
	if name == "before" {
		return pos + 1, nil
	}
	return pos, nil
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareValues orders JSON scalars: null first, then booleans, numbers,
// strings; values of one kind by their natural order.
func compareValues(a, b any) int {
	rank := func(x any) int {
		switch x.(type) {
		case nil:
			return 0
		case bool:
			return 1
		case float64, int:
			return 2
		case string:
			return 3
		}
		return 4
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return compareInts(ra, rb)
	}
	switch x := a.(type) {
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case float64, int:
		fa, fb := toFloat(a), toFloat(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case string:
		return strings.Compare(x, b.(string))
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return math.NaN()
}
