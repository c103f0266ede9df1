package schemagen

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/regexgen"
)

// The span of generated dates: realistic, recent and past.
var (
	dateFrom = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	dateTo   = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Date is a date-time of the span generated dates are drawn from.
func Date(f *gofakeit.Faker) time.Time {
	return f.DateRange(dateFrom, dateTo).UTC().Truncate(time.Second)
}

// str makes a string: by format, else by the field's name; then made to
// match the pattern and the lengths.
func (w *walk) str(s *openapi3.Schema, name, col string, variant int) string {
	f := w.faker(name, variant)
	v, formatted := Formatted(s.Format, f)
	if !formatted {
		v = Text(Kind(name, col), f, variant)
	}
	if s.Pattern != "" {
		if p, ok := Matching(s.Pattern, v, f); ok {
			v, formatted = p, true
		}
	}
	n := utf8.RuneCountInString(v)
	if uint64(n) < s.MinLength {
		if formatted {
			if p, ok := Matching(s.Pattern, "", f); ok && uint64(utf8.RuneCountInString(p)) >= s.MinLength {
				v = p
			}
		} else {
			for uint64(utf8.RuneCountInString(v)) < s.MinLength {
				v += " " + f.Word()
			}
		}
	}
	if s.MaxLength != nil && uint64(utf8.RuneCountInString(v)) > *s.MaxLength {
		v = strings.TrimSpace(string([]rune(v)[:*s.MaxLength]))
		if uint64(utf8.RuneCountInString(v)) < s.MinLength {
			v = string([]rune(v + strings.Repeat("x", int(s.MinLength)))[:s.MinLength])
		}
	}
	return v
}

// Formatted is a string of a format (date-time, email, uuid, …); false
// for a format it does not know.
func Formatted(format string, f *gofakeit.Faker) (string, bool) {
	switch format {
	case "date-time":
		return Date(f).Format(time.RFC3339), true
	case "date":
		return Date(f).Format("2006-01-02"), true
	case "time":
		return Date(f).Format("15:04:05Z"), true
	case "duration":
		return fmt.Sprintf("P%dD", f.Number(1, 30)), true
	case "email", "idn-email":
		return strings.ToLower(f.Email()), true
	case "uri", "url", "iri", "uri-reference", "iri-reference":
		return f.URL(), true
	case "uri-template":
		return f.URL() + "/{id}", true
	case "uuid":
		return f.UUID(), true
	case "hostname", "idn-hostname":
		return f.DomainName(), true
	case "ipv4":
		return f.IPv4Address(), true
	case "ipv6":
		return f.IPv6Address(), true
	case "byte":
		return base64.StdEncoding.EncodeToString([]byte(f.Word() + " " + f.Word())), true
	case "regex":
		return "^[a-z]+$", true
	case "json-pointer":
		return "/" + f.Noun(), true
	}
	return "", false
}

// Text is a realistic string of a kind (Kind): fakedata's kinds, and
// timestamp, sha, isbn, stateWord, statusWord and typeWord.
func Text(kind string, f *gofakeit.Faker, variant int) string {
	switch kind {
	case "timestamp":
		return Date(f).Format(time.RFC3339)
	case "sha":
		return f.Regex("[0-9a-f]{40}")
	case "isbn":
		return f.Regex("97[89][0-9]{10}")
	case "stateWord":
		return StateWords[f.IntN(len(StateWords))]
	case "statusWord":
		return StatusWords[f.IntN(len(StatusWords))]
	case "typeWord":
		return TypeWords[f.IntN(len(TypeWords))]
	}
	if v, ok := fakedata.Fake(kind, f); ok {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return f.Word()
}

// Matching is a string that matches the pattern: v itself when it does,
// else one drawn from the pattern, else the shortest the pattern allows;
// false when the pattern is not a regular expression Go reads.
func Matching(pattern, v string, f *gofakeit.Faker) (string, bool) {
	if pattern == "" {
		return v, v != ""
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return v, false
	}
	if v != "" && re.MatchString(v) {
		return v, true
	}
	for try := 0; try < 3; try++ {
		if c := f.Regex(pattern); re.MatchString(c) {
			return c, true
		}
	}
	if c, ok := regexgen.Shortest(pattern); ok && re.MatchString(c) {
		return c, true
	}
	return v, false
}

// number makes a number within the schema's bounds, in a range its name
// makes plausible (an id counts from 1), a multiple of multipleOf.
func (w *walk) number(s *openapi3.Schema, name string, variant int, integer bool) float64 {
	lo, hi := NumberRange(name, s, integer)
	var v float64
	if conventions.IDLike(name) {
		v = lo + float64(variant)
		if v < 1 && hi >= 1 {
			v = 1 + float64(variant)
		}
	} else {
		f := w.faker(name, variant)
		v = lo + f.Float64()*(hi-lo)
		if !integer {
			v = math.Round(v*100) / 100
		}
	}
	if integer {
		v = math.Round(v)
	}
	v = math.Max(lo, math.Min(hi, v))
	if m := s.MultipleOf; m != nil && *m > 0 {
		v = math.Ceil(v / *m) * *m
		if v > hi {
			v = math.Floor(hi / *m) * *m
		}
		if integer {
			v = math.Round(v)
		}
	}
	return v
}
