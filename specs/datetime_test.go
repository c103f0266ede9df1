package specs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/specs"
)

func TestCheckDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" valid, else a part of the error
	}{
		{"2024-02-29", ""}, // leap year
		{"2000-02-29", ""}, // divisible by 400
		{"2023-02-28", ""},
		{"2023-01-31", ""},
		{"2023-04-30", ""},
		{"2023-12-31", ""},
		{"0000-02-29", ""}, // year 0 is a leap year (proleptic Gregorian)
		{"9999-12-31", ""},
		{"2023-02-29", "February 2023 has 28 days, not 29"},
		{"2023-02-30", "February 2023 has 28 days, not 30"},
		{"1900-02-29", "February 1900 has 28 days"}, // divisible by 100, not 400
		{"2024-02-30", "February 2024 has 29 days, not 30"},
		{"2023-04-31", "April 2023 has 30 days, not 31"},
		{"2023-06-31", "June 2023 has 30 days"},
		{"2023-09-31", "September 2023 has 30 days"},
		{"2023-11-31", "November 2023 has 30 days"},
		{"2023-01-32", "January 2023 has 31 days, not 32"},
		{"2023-01-00", "day 00 is out of range"},
		{"2023-00-10", "month 00 is out of range"},
		{"2023-13-01", "month 13 is out of range"},
		{"2023-1-01", "not an RFC 3339 full-date"},
		{"23-01-01", "not an RFC 3339 full-date"},
		{"2023/01/01", "not an RFC 3339 full-date"},
		{"2023-01-01T00:00:00Z", "not an RFC 3339 full-date"},
		{"２０２３-01-01", "not an RFC 3339 full-date"},
		{"", "not an RFC 3339 full-date"},
	}
	for _, tc := range tests {
		check(t, "CheckDate", tc.in, specs.CheckDate(tc.in), tc.want)
	}
}

func TestCheckDateTime(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2024-02-29T12:00:00Z", ""},
		{"2023-02-28T23:59:59Z", ""},
		{"2023-02-28T23:59:59.999999999+05:30", ""},
		{"2023-02-28T00:00:00.0-00:00", ""},
		{"2023-02-28t10:00:00z", ""}, // RFC 3339 5.6: T and Z may be lower case
		{"2023-06-30T00:00:00+23:59", ""},
		{"2023-02-29T12:00:00Z", "February 2023 has 28 days, not 29"},
		{"2023-02-30T12:00:00Z", "February 2023 has 28 days, not 30"},
		{"2023-04-31T00:00:00Z", "April 2023 has 30 days"},
		{"2023-13-01T00:00:00Z", "month 13"},
		{"2023-01-01T24:00:00Z", "hour 24 is out of range"}, // ISO 8601's end of day, not RFC 3339
		{"2023-01-01T23:60:00Z", "minute 60 is out of range"},
		{"2023-01-01T23:59:61Z", "second 61 is out of range"},
		{"2023-01-01T00:00:00+24:00", "offset +24:00 is out of range"},
		{"2023-01-01T00:00:00+05:60", "offset +05:60 is out of range"},
		// Leap seconds: 23:59:60 UTC on a month's last day only.
		{"2016-12-31T23:59:60Z", ""},
		{"1990-12-31T15:59:60-08:00", ""}, // RFC 3339 5.8's example
		{"1990-12-31T23:59:60Z", ""},
		{"2015-06-30T23:59:60Z", ""},
		{"2017-01-01T08:59:60+09:00", ""}, // 2016-12-31T23:59:60Z in Tokyo
		{"2024-02-29T23:59:60Z", ""},
		{"2023-12-30T23:59:60Z", "second 60 is a leap second"},
		{"2023-12-31T22:59:60Z", "second 60 is a leap second"},
		{"2023-12-31T23:58:60Z", "second 60 is a leap second"},
		{"2023-12-31T23:59:60+01:00", "second 60 is a leap second"},
		{"2023-12-31T23:59:60.5Z", ""},
		// Syntax.
		{"2023-01-01T00:00:00", "not an RFC 3339 date-time"},
		{"2023-01-01 00:00:00Z", "not an RFC 3339 date-time"},
		{"2023-01-01T00:00Z", "not an RFC 3339 date-time"},
		{"2023-01-01T00:00:00.Z", "not an RFC 3339 date-time"},
		{"2023-01-01T00:00:00+0100", "not an RFC 3339 date-time"},
		{"2023-01-01T00:00:00+01", "not an RFC 3339 date-time"},
		{"2023-01-01T0:00:00Z", "not an RFC 3339 date-time"},
		{"2023-1-01T00:00:00Z", "not an RFC 3339 date-time"},
		{"2023-01-01T00:00:00ZZ", "not an RFC 3339 date-time"},
		{"2023-01-01", "not an RFC 3339 date-time"},
		{"", "not an RFC 3339 date-time"},
	}
	for _, tc := range tests {
		check(t, "CheckDateTime", tc.in, specs.CheckDateTime(tc.in), tc.want)
	}
}

// Every valid date-time without a leap second is one Go's RFC 3339 parser
// reads (a cross-check of the calendar); the validators are the ones
// FormatValidators gives kin-openapi.
func TestDateFormatsAgree(t *testing.T) {
	for _, s := range []string{"2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2023-04-31T00:00:00+02:00", "2023-06-30T23:59:59.5-07:00"} {
		_, perr := time.Parse(time.RFC3339Nano, s)
		if err := specs.CheckDateTime(s); (err == nil) != (perr == nil) {
			t.Errorf("%s: CheckDateTime %v, time.Parse %v", s, err, perr)
		}
	}
	schema := openapi3.NewObjectSchema().
		WithProperty("d", openapi3.NewStringSchema().WithFormat("date")).
		WithProperty("t", openapi3.NewDateTimeSchema())
	for _, opts := range [][]openapi3.SchemaValidationOption{specs.SchemaOptions(), {openapi3.WithStringFormatValidators(specs.DateFormatValidators())}} {
		err := schema.VisitJSON(map[string]any{"d": "2023-02-30", "t": "2023-02-29T00:00:00Z"}, append(opts, openapi3.MultiErrors())...)
		if err == nil || !strings.Contains(err.Error(), "has 28 days, not 30") || !strings.Contains(err.Error(), "has 28 days, not 29") {
			t.Errorf("impossible dates: %v", err)
		}
		if err := schema.VisitJSON(map[string]any{"d": "2024-02-29", "t": "2024-02-29T00:00:00Z"}, opts...); err != nil {
			t.Errorf("leap day: %v", err)
		}
	}
}

// FuzzCheckDateTime: no panic, and what it accepts (bar leap seconds and
// lower-case letters) Go's RFC 3339 parser reads as the same calendar day.
func FuzzCheckDateTime(f *testing.F) {
	for _, s := range []string{"2024-02-29T12:00:00Z", "2023-02-30T12:00:00Z", "2016-12-31T23:59:60Z", "2023-01-01T00:00:00.1+05:30", "0000-01-01T00:00:00-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := specs.CheckDateTime(s)
		derr := specs.CheckDate(s)
		if derr == nil && len(s) != 10 {
			t.Fatalf("CheckDate accepted %q", s)
		}
		if err != nil || strings.ContainsAny(s, "tz") || len(s) > 19 && s[17:19] == "60" {
			return
		}
		tm, perr := time.Parse(time.RFC3339Nano, s)
		if perr != nil {
			if strings.Contains(perr.Error(), "out of range") || strings.Contains(perr.Error(), "parsing time") {
				// time.Parse wants at most 9 fraction digits; the RFC
				// sets no limit.
				if i := strings.IndexByte(s, '.'); i > 0 {
					return
				}
			}
			t.Fatalf("CheckDateTime accepted %q, time.Parse: %v", s, perr)
		}
		if got := tm.Format("2006-01-02"); got != s[:10] {
			t.Fatalf("%q is day %s to time.Parse", s, got)
		}
	})
}

func check(t *testing.T, fn, in string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s(%q) = %v, want valid", fn, in, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s(%q) = %v, want an error with %q", fn, in, err, want)
	}
}
