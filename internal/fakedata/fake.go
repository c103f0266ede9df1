package fakedata

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/standin/standin/internal/regexgen"
)

// fakers are the values of the fake generator ({fake: firstName}): each a
// realistic English-language value from gofakeit, drawn from the
// collection's seeded source.
var fakers = map[string]func(f *gofakeit.Faker) any{
	"name":        func(f *gofakeit.Faker) any { return f.Name() },
	"firstName":   func(f *gofakeit.Faker) any { return f.FirstName() },
	"lastName":    func(f *gofakeit.Faker) any { return f.LastName() },
	"username":    func(f *gofakeit.Faker) any { return f.Username() },
	"email":       func(f *gofakeit.Faker) any { return f.Email() },
	"phone":       func(f *gofakeit.Faker) any { return f.Phone() },
	"company":     func(f *gofakeit.Faker) any { return f.Company() },
	"jobTitle":    func(f *gofakeit.Faker) any { return f.JobTitle() },
	"street":      func(f *gofakeit.Faker) any { return f.Street() },
	"city":        func(f *gofakeit.Faker) any { return f.City() },
	"state":       func(f *gofakeit.Faker) any { return f.State() },
	"zip":         func(f *gofakeit.Faker) any { return f.Zip() },
	"country":     func(f *gofakeit.Faker) any { return f.Country() },
	"countryCode": func(f *gofakeit.Faker) any { return f.CountryAbr() },
	"url":         func(f *gofakeit.Faker) any { return f.URL() },
	"domain":      func(f *gofakeit.Faker) any { return f.DomainName() },
	"ipv4":        func(f *gofakeit.Faker) any { return f.IPv4Address() },
	"ipv6":        func(f *gofakeit.Faker) any { return f.IPv6Address() },
	"word":        func(f *gofakeit.Faker) any { return f.Word() },
	"noun":        func(f *gofakeit.Faker) any { return f.Noun() },
	"sentence":    func(f *gofakeit.Faker) any { return f.Sentence() },
	"comment":     func(f *gofakeit.Faker) any { return f.Comment() },
	"color":       func(f *gofakeit.Faker) any { return f.Color() },
	"hexColor":    func(f *gofakeit.Faker) any { return f.HexColor() },
	"language":    func(f *gofakeit.Faker) any { return f.Language() },
	"petName":     func(f *gofakeit.Faker) any { return f.PetName() },
	"animal":      func(f *gofakeit.Faker) any { return f.Animal() },
	"product":     func(f *gofakeit.Faker) any { return f.ProductName() },
	"description": func(f *gofakeit.Faker) any { return f.ProductDescription() },
	"title":       func(f *gofakeit.Faker) any { return f.BookTitle() },
	"slug":        func(f *gofakeit.Faker) any { return strings.ToLower(f.Adjective() + "-" + f.Noun()) },
	"file":        func(f *gofakeit.Faker) any { return strings.ToLower(f.Noun()) + "." + f.FileExtension() },
	"version":     func(f *gofakeit.Faker) any { return f.AppVersion() },
	"currency":    func(f *gofakeit.Faker) any { return f.CurrencyShort() },
	"token":       func(f *gofakeit.Faker) any { return f.LetterN(4) + f.DigitN(4) + f.LetterN(8) },
}

// Fake is one value of a kind of the fake generator (FakeKinds) drawn from
// f; false for an unknown kind.
func Fake(kind string, f *gofakeit.Faker) (any, bool) {
	fn := fakers[kind]
	if fn == nil {
		return nil, false
	}
	return fn(f), true
}

// FakeKinds lists the values the fake generator knows, sorted.
func FakeKinds() []string {
	out := make([]string, 0, len(fakers))
	for k := range fakers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type fakeNode struct{ fn func(f *gofakeit.Faker) any }

func (n fakeNode) eval(c *ctx) (any, error) { return n.fn(c.f), nil }

func compileFake(arg any) (node, error) {
	kind, ok := arg.(string)
	fn := fakers[kind]
	if !ok || fn == nil {
		return nil, bad("fake: %v is not one of %s", arg, strings.Join(FakeKinds(), ", "))
	}
	return fakeNode{fn}, nil
}

// regexNode makes strings matching a regular expression (RE2 syntax, as
// OpenAPI patterns are read here), of minLen to maxLen characters when
// those are set (maxLen 0: no bound): a drawn string outside them is
// drawn again (regexTries times), then the pattern's shortest match
// (regexgen.Shortest) is taken when it fits, else the last drawn.
type regexNode struct {
	pattern        string
	minLen, maxLen int
}

// regexTries is how often a string outside the length bounds is drawn
// again: ShipEngine's ids (^se(-[a-z0-9]+)+$, at most 25 characters) fit
// three draws in four.
const regexTries = 32

func (n regexNode) eval(c *ctx) (any, error) {
	v := c.f.Regex(n.pattern)
	if n.minLen == 0 && n.maxLen == 0 {
		return v, nil
	}
	fits := func(s string) bool {
		l := utf8.RuneCountInString(s)
		return l >= n.minLen && (n.maxLen == 0 || l <= n.maxLen)
	}
	for try := 0; !fits(v) && try < regexTries; try++ {
		v = c.f.Regex(n.pattern)
	}
	if !fits(v) {
		if s, ok := regexgen.Shortest(n.pattern); ok && fits(s) {
			return s, nil
		}
	}
	return v, nil
}

func compileRegex(arg any) (node, error) {
	p, ok := arg.(string)
	if !ok || p == "" {
		return nil, bad("regex: want a non-empty pattern string, got %v", arg)
	}
	if _, err := regexp.Compile(p); err != nil {
		return nil, bad("regex: %v", err)
	}
	return regexNode{pattern: p}, nil
}
