package cursor

import (
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, c := range []Cursor{
		{Seq: 1},
		{Seq: 1 << 60},
		{Seq: 7, Order: "NAME:ASC", Value: "Acme | Co"},
		{Seq: 9, Order: "CREATED_ON:DESC", Value: "2024-01-01T00:00:00Z"},
		{Seq: 3, Order: "SCORE:ASC", Value: 1.5},
		{Seq: 3, Order: "X:ASC", Value: nil},
	} {
		got, err := Decode(Encode(c))
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)): %v", c, err)
		}
		if got != c {
			t.Errorf("round trip: got %+v, want %+v", got, c)
		}
	}
	if EncodeSeq(42) != Encode(Cursor{Seq: 42}) {
		t.Error("EncodeSeq differs from Encode")
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, s := range []string{
		"", "not base64!", "YWJj", // "abc"
		Encode(Cursor{Seq: 0}),
		"YzF8",                   // "c1|"
		"YzF8MXx8bnVsbA",         // "c1|1||null": empty order
		"YzF8MXxOQU1FOkFTQ3x7fQ", // object value
	} {
		if _, err := Decode(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

// FuzzDecode decodes arbitrary cursor text: no panic, and a cursor it
// accepts encodes and decodes back to the same position and order.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(Cursor{Seq: 5}))
	f.Add(Encode(Cursor{Seq: 5, Order: "NAME:DESC", Value: "z"}))
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Decode(s)
		if err != nil {
			return
		}
		again, err := Decode(Encode(c))
		if err != nil || again.Seq != c.Seq || again.Order != c.Order {
			t.Fatalf("re-encoding %+v gave %+v, %v", c, again, err)
		}
	})
}
