package specs

import (
	"errors"
	"fmt"
	"time"
)

// CheckDate reports why s is not an RFC 3339 full-date (YYYY-MM-DD, a day
// the month has: 2024-02-29 is one, 2023-02-29 and 2023-02-30 are not), or
// nil. It is the check of `format: date`; kin-openapi's pattern for it
// accepts any day up to 31 in any month.
func CheckDate(s string) error {
	if len(s) != len("2006-01-02") {
		return errDateSyntax
	}
	_, _, _, err := fullDate(s)
	return err
}

// CheckDateTime reports why s is not an RFC 3339 date-time, or nil: a
// full-date as CheckDate wants it, "T", a time of 00:00:00 to 23:59:59
// (an hour of 24 is ISO 8601's, not RFC 3339's), an optional fraction of a
// second, and "Z" or an offset of -23:59 to +23:59. "T" and "Z" may be
// lower case (RFC 3339 section 5.6). A second of 60 is a leap second and
// is accepted where one can be inserted: at 23:59:60 UTC on the last day of
// a month (the offset applied: 1990-12-31T15:59:60-08:00 is one, RFC 3339
// section 5.7), whether or not one was.
func CheckDateTime(s string) error {
	const min = len("2006-01-02T15:04:05Z")
	if len(s) < min {
		return errDateTimeSyntax
	}
	y, mo, d, err := fullDate(s[:10])
	if err == errDateSyntax {
		return errDateTimeSyntax
	}
	if err != nil {
		return err
	}
	if s[10] != 'T' && s[10] != 't' || s[13] != ':' || s[16] != ':' {
		return errDateTimeSyntax
	}
	h, ok1 := digits2(s[11:13])
	mi, ok2 := digits2(s[14:16])
	sec, ok3 := digits2(s[17:19])
	if !ok1 || !ok2 || !ok3 {
		return errDateTimeSyntax
	}
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return errDateTimeSyntax
		}
		rest = rest[n:]
	}
	offset := 0 // minutes east of UTC
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == len("+07:00") && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits2(rest[1:3])
		om, ok2 := digits2(rest[4:6])
		if !ok1 || !ok2 {
			return errDateTimeSyntax
		}
		if oh > 23 || om > 59 {
			return fmt.Errorf("offset %s is out of range (-23:59 to +23:59)", rest)
		}
		offset = oh*60 + om
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return errDateTimeSyntax
	}
	switch {
	case h > 23:
		return fmt.Errorf("hour %02d is out of range (00 to 23; 24:00 is not RFC 3339)", h)
	case mi > 59:
		return fmt.Errorf("minute %02d is out of range (00 to 59)", mi)
	case sec > 60:
		return fmt.Errorf("second %02d is out of range (00 to 59, 60 for a leap second)", sec)
	case sec == 60:
		// The same instant in UTC, one second earlier: 23:59:59 on a
		// month's last day.
		utc := time.Date(y, time.Month(mo), d, h, mi, 59, 0, time.UTC).Add(-time.Duration(offset) * time.Minute)
		if utc.Hour() != 23 || utc.Minute() != 59 || utc.Day() != daysIn(utc.Year(), int(utc.Month())) {
			return errors.New("second 60 is a leap second, only at 23:59:60 UTC on the last day of a month")
		}
	}
	return nil
}

var (
	errDateSyntax     = errors.New("not an RFC 3339 full-date (YYYY-MM-DD)")
	errDateTimeSyntax = errors.New("not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm))")
)

// fullDate reads YYYY-MM-DD (exactly ten bytes) and checks that the day is
// one of the month's.
func fullDate(s string) (y, m, d int, err error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, errDateSyntax
	}
	hi, ok1 := digits2(s[0:2])
	lo, ok2 := digits2(s[2:4])
	m, ok3 := digits2(s[5:7])
	d, ok4 := digits2(s[8:10])
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return 0, 0, 0, errDateSyntax
	}
	y = hi*100 + lo
	if m < 1 || m > 12 {
		return 0, 0, 0, fmt.Errorf("month %02d is out of range (01 to 12)", m)
	}
	if d < 1 {
		return 0, 0, 0, fmt.Errorf("day %02d is out of range (01 to 28, 29, 30 or 31)", d)
	}
	if n := daysIn(y, m); d > n {
		return 0, 0, 0, fmt.Errorf("%s %04d has %d days, not %d", time.Month(m), y, n, d)
	}
	return y, m, d, nil
}

// daysIn is the number of days of a month of the proleptic Gregorian
// calendar.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits2 reads two ASCII digits.
func digits2(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}
