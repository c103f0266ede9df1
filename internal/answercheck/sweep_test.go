package answercheck

import (
	"encoding/json"
	"testing"
)

// TestIsRecord: a record read back is the one asked for by its id field,
// else, when it has no field idFrom knows, by one of its own scalars.
// Directus names a created field only in the Location header and keys it
// by "field" under /fields/{collection}/{id}: the read-back, the record as
// written, was judged another record and the write not persisted.
func TestIsRecord(t *testing.T) {
	for _, tt := range []struct {
		body  string
		param string
		want  any
		is    bool
	}{
		{`{"data": {"field": "corpus-created-2", "type": "integer"}}`, "id", "corpus-created-2", true},
		{`{"data": {"field": "corpus-created-2", "type": "integer"}}`, "id", "corpus-created-3", false},
		{`{"id": 7, "note": "corpus-created-2"}`, "id", "corpus-created-2", false},
		{`{"id": 7}`, "id", json.Number("7"), true},
		{`{"pet_id": 9, "id": 5}`, "pet_id", json.Number("9"), true},
		{`{"data": []}`, "id", "x", false},
		{`{"field": "x"}`, "id", nil, false},
	} {
		var v any
		if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
			t.Fatal(err)
		}
		if got := isRecord(v, tt.param, tt.want); got != tt.is {
			t.Errorf("isRecord(%s, %q, %v) = %v, want %v", tt.body, tt.param, tt.want, got, tt.is)
		}
	}
}
