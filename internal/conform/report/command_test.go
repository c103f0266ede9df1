package report

import "testing"

// TestCommandLine: the command line as a shell would take it, credentials
// redacted in every form a flag takes a value.
func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"conform"}, "conform"},
		{[]string{"conform", "--target", "http://127.0.0.1:8080", "--api", "clients-v2"}, "conform --target http://127.0.0.1:8080 --api clients-v2"},
		{[]string{"conform", "--token", "s3", "--limited-token=s4", "-token", "s5"}, "conform --token '<redacted>' '--limited-token=<redacted>' -token '<redacted>'"},
		{[]string{"conform", "--credential", "apiKey=s3", "--credential=bearer=s4"}, "conform --credential 'apiKey=<redacted>' '--credential=bearer=<redacted>'"},
		{[]string{"conform", "--header", "X-Tenant: acme", "--header", "Authorization: Bearer s3", "--header=x-api-key: s4"},
			"conform --header 'X-Tenant: acme' --header 'Authorization: <redacted>' '--header=x-api-key: <redacted>'"},
		{[]string{"conform", "--html", "my report.html", "--token"}, "conform --html 'my report.html' --token"},
	} {
		if got := CommandLine(tc.args); got != tc.want {
			t.Errorf("CommandLine(%q)\n = %s\nwant %s", tc.args, got, tc.want)
		}
	}
}
