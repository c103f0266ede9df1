package report

import "testing"

func TestTemplateRegexp(t *testing.T) {
	re := templateRegexp("/api/account/v2/companies/externalID:{externalId}")
	for path, want := range map[string]bool{
		"/api/account/v2/companies/externalID:c333333": true,
		"/api/account/v2/companies/externalID:":        false,
		"/api/account/v2/companies/7480a312":           false,
		"/api/account/v2/companies/externalID:a/b":     false,
	} {
		if got := re.MatchString(path); got != want {
			t.Errorf("%s: match %v, want %v", path, got, want)
		}
	}
}
