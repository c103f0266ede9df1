package fakedata

import (
	"math"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestJSONNode: the node built without yaml's encoder reads back as the
// value does through the encoder's node, for every JSON shape.
func TestJSONNode(t *testing.T) {
	values := []any{
		nil, "", "text", "true", "10", "2006-01-02T15:04:05Z", "a: b", true, false,
		0.0, 1.0, -3.0, 0.5, 1e300, 123456789012.0, float64(1 << 60), -0.25,
		[]any{}, []any{1.0, "x", nil, []any{true}},
		map[string]any{}, map[string]any{"link": map[string]any{"to": []any{map[string]any{"collection": "users", "type": "User"}}, "min": 0.0, "max": 3.0}},
		map[string]any{"time": map[string]any{"from": "2020-01-01T00:00:00Z", "format": "2006-01-02"}, "z": 1.5, "a": "y"},
	}
	for _, v := range values {
		fast, ok := jsonNode(v)
		if !ok {
			t.Fatalf("%#v: not built", v)
		}
		slow := &yaml.Node{}
		if err := slow.Encode(v); err != nil {
			t.Fatal(err)
		}
		got, err1 := value(fast)
		want, err2 := value(slow)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%#v: built node reads %#v (%v), encoded %#v (%v)", v, got, err1, want, err2)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), []any{math.Inf(-1)}, map[string]any{"x": struct{}{}}} {
		if _, ok := jsonNode(bad); ok {
			t.Errorf("%#v: built, want the encoder's path", bad)
		}
	}
}
