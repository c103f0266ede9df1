package schemagen

// Realism from names: the kind of value a field's name asks for (an
// e-mail, a city, a person's name …), a plausible range for a number, and
// small vocabularies for the words APIs use for states and kinds.

import (
	"math"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
)

// nameByCollection says what a "name" field holds in a collection (or an
// object named) like these.
var nameByCollection = map[string]string{
	"pets": "petName", "animals": "petName", "dogs": "petName", "cats": "petName",
	"companies": "company", "organizations": "company", "organisations": "company", "orgs": "company",
	"accounts": "company", "vendors": "company", "suppliers": "company", "customers": "company",
	"products": "product", "items": "product", "goods": "product",
	"books": "title", "albums": "title", "movies": "title", "songs": "title",
	"cities": "city", "countries": "country", "colors": "color", "languages": "language", "tags": "word",
	"users": "name", "people": "name", "persons": "name", "members": "name", "authors": "name",
	"employees": "name", "owners": "name", "contacts": "name", "assignees": "name", "creators": "name",
	"categories": "noun", "labels": "word", "topics": "word", "teams": "noun", "groups": "noun",
	"repositories": "slug", "repos": "slug", "projects": "title", "files": "file", "branches": "slug",
	"environments": "slug", "workflows": "title", "apps": "product", "applications": "product",
}

// StateWords, StatusWords and TypeWords are what a state, status or type
// field without an enum holds: a small vocabulary, as real APIs use.
var (
	StateWords  = []string{"open", "closed"}
	StatusWords = []string{"active", "pending", "completed", "inactive"}
	TypeWords   = []string{"standard", "basic", "premium"}
)

// Kind is the fake kind (fakedata.FakeKinds, or one of this package's
// own: timestamp, sha, isbn, stateWord, statusWord, typeWord) a string
// field's name asks for; "word" when it says nothing. col names the
// collection or the object holding the field ("pets"), plural.
func Kind(name, col string) string {
	n := conventions.Name(conventions.Norm(name))
	has, is, suffix := n.Has, n.Is, n.EndsWith
	low := strings.ToLower(name)
	switch {
	case has("email"):
		return "email"
	case has("url", "website", "homepage", "href") || is("uri", "link", "avatar"):
		return "url"
	case is("firstname", "givenname", "forename"):
		return "firstName"
	case is("lastname", "surname", "familyname"):
		return "lastName"
	case is("username", "login", "handle", "nickname", "nick", "screenname"):
		return "username"
	case is("fullname", "displayname", "contactname", "ownername", "authorname", "personname", "author", "owner", "realname"):
		return "name"
	case is("name"):
		if k, ok := nameByCollection[col]; ok {
			return k
		}
		return "name"
	case strings.HasSuffix(low, "_at") || strings.HasSuffix(name, "At") && len(name) > 2 || suffix("timestamp", "datetime", "date", "time") && !suffix("update"):
		return "timestamp"
	case is("sha", "commitid", "commitsha", "headsha", "basesha", "treesha") || suffix("sha"):
		return "sha"
	case has("phone", "mobile") || is("tel", "telephone", "fax"):
		return "phone"
	case is("city", "town", "locality", "citylocality", "cityname", "cityortown"):
		return "city"
	case is("countrycode"):
		return "countryCode"
	case is("country"):
		return "country"
	case is("province", "region", "stateprovince", "stateorprovince", "provincestate", "stateregion"):
		return "state"
	case is("state"):
		if col == "addresses" || col == "address" {
			return "state"
		}
		return "stateWord"
	case is("status") || suffix("status"):
		return "statusWord"
	case suffix("state") && !is("realestate"):
		// GitHub's mergeable_state, a payment's payment_state
		return "stateWord"
	case is("type", "kind", "category") && col != "categories":
		return "typeWord"
	case is("zip", "zipcode", "postcode", "postalcode"):
		return "zip"
	case is("street", "address", "addressline", "line1", "streetaddress", "address1",
		"addressline1", "addressline2", "addressline3", "line2", "line3", "address2", "address3", "streetline1", "streetline2"):
		return "street"
	case is("isbn", "isbn13"):
		return "isbn"
	case has("company", "organization", "organisation", "employer", "publisher", "manufacturer", "brand", "vendor"):
		return "company"
	case is("jobtitle", "job", "occupation", "position", "role"):
		return "jobTitle"
	case is("title", "headline", "subject", "summary"):
		return "title"
	case is("description", "bio", "about", "notes", "note", "comment", "text", "message", "body", "content", "details", "reason", "instructions"):
		return "sentence"
	case is("color", "colour"):
		return "hexColor"
	case is("species", "breed", "animal"):
		return "animal"
	case is("language", "lang", "locale"):
		return "language"
	case is("domain", "hostname", "host"):
		return "domain"
	case is("ip", "ipaddress", "ipv4"):
		return "ipv4"
	case is("product", "productname"):
		return "product"
	case is("tag", "label", "keyword", "topic"):
		return "word"
	case is("slug", "ref", "branch", "key", "path", "filename", "file"):
		if is("filename", "file", "path") {
			return "file"
		}
		return "slug"
	case is("version"):
		return "version"
	case is("currency", "currencycode"):
		return "currency"
	case is("nodeid", "token", "secret", "etag", "checksum", "hash", "digest", "fingerprint"):
		return "token"
	case suffix("id", "uuid", "guid"):
		return "slug"
	}
	return "word"
}

// NumberRange is a plausible range for a number field by its name, within
// the schema's bounds (exclusive bounds moved in by one step).
func NumberRange(name string, s *openapi3.Schema, integer bool) (float64, float64) {
	n := conventions.Norm(name)
	lo, hi := 1.0, 1000.0
	switch {
	case n == "age":
		lo, hi = 1, 90
	case strings.Contains(n, "year"):
		lo, hi = 1990, 2025
	case strings.Contains(n, "rating") || strings.Contains(n, "stars") || strings.Contains(n, "score"):
		lo, hi = 1, 5
	case strings.Contains(n, "percent"):
		lo, hi = 0, 100
	case strings.Contains(n, "count") || strings.Contains(n, "quantity") || n == "qty" || strings.Contains(n, "stock") || strings.HasPrefix(n, "num"):
		lo, hi = 0, 100
	case strings.Contains(n, "price") || strings.Contains(n, "amount") || strings.Contains(n, "cost") || strings.Contains(n, "total"):
		lo, hi = 1, 500
	case n == "lat" || strings.Contains(n, "latitude"):
		lo, hi = -90, 90
	case n == "lon" || n == "lng" || strings.Contains(n, "longitude"):
		lo, hi = -180, 180
	case n == "page" || n == "size" || n == "limit" || n == "perpage":
		lo, hi = 1, 50
	}
	min, max := Bounds(s, integer)
	if lo < min || lo > max {
		lo = min
	}
	if hi > max || hi < min {
		hi = max
	}
	if math.IsInf(lo, -1) {
		lo = hi - 1000
	}
	if math.IsInf(hi, 1) {
		hi = lo + 1000
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// Bounds are the smallest and largest numbers a schema allows (infinite
// when open), exclusive bounds moved in by one (integers) or 0.01, the
// int32 format's range applied.
func Bounds(s *openapi3.Schema, integer bool) (float64, float64) {
	step := 0.01
	if integer {
		step = 1
	}
	min, max := math.Inf(-1), math.Inf(1)
	if s.Format == "int32" {
		min, max = math.MinInt32, math.MaxInt32
	}
	if s.Min != nil {
		min = math.Max(min, *s.Min)
		if s.ExclusiveMin.IsTrue() {
			min += step
		}
	}
	if s.ExclusiveMin.Value != nil {
		min = math.Max(min, *s.ExclusiveMin.Value+step)
	}
	if s.Max != nil {
		max = math.Min(max, *s.Max)
		if s.ExclusiveMax.IsTrue() {
			max -= step
		}
	}
	if s.ExclusiveMax.Value != nil {
		max = math.Min(max, *s.ExclusiveMax.Value-step)
	}
	if integer {
		min, max = math.Ceil(min), math.Floor(max)
	}
	return min, max
}
