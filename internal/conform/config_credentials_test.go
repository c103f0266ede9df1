package conform

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCredentialAndHeaderFlags: --credential NAME=VALUE and --header
// 'Name: value' reach every API (over conform.yaml's of the same name);
// --spec needs no --token; malformed ones are usage errors.
func TestCredentialAndHeaderFlags(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "shop.yaml")
	if err := os.WriteFile(spec, []byte("openapi: 3.0.3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		creds   map[string]string
		headers map[string]string
		bad     string
	}{
		{"--spec alone", []string{"--spec", spec, "--target", "http://127.0.0.1:1"}, nil, nil, ""},
		{"credentials and headers", []string{"--spec", spec, "--target", "http://127.0.0.1:1",
			"--credential", "apiKey=k=1", "--credential", " basic =u:p", "--header", "x-tenant:  acme ", "--header", "X-Trace: 1"},
			map[string]string{"apiKey": "k=1", "basic": "u:p"}, map[string]string{"X-Tenant": "acme", "X-Trace": "1"}, ""},
		{"a credential without a name", []string{"--spec", spec, "--target", "http://127.0.0.1:1", "--credential", "=v"}, nil, nil, "want NAME=VALUE"},
		{"a credential without a value", []string{"--spec", spec, "--target", "http://127.0.0.1:1", "--credential", "key"}, nil, nil, "want NAME=VALUE"},
		{"a header without a colon", []string{"--spec", spec, "--target", "http://127.0.0.1:1", "--header", "X-Trace 1"}, nil, nil, "want 'Name: value'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("conform", flag.ContinueOnError)
			f := BindFlags(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := f.Config()
			if tc.bad != "" {
				if err == nil || !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), tc.bad) {
					t.Fatalf("err %v, want a usage error saying %q", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a := cfg.APIs["shop"]
			if !reflect.DeepEqual(a.Credentials, tc.creds) || !reflect.DeepEqual(a.Headers, tc.headers) {
				t.Errorf("credentials %v headers %v, want %v %v", a.Credentials, a.Headers, tc.creds, tc.headers)
			}
		})
	}
}

// TestConfigCredentialsHeadersSetup: conform.yaml's credentials, headers
// and setup hook, ${VAR} expanded; a setup hook is validated as a reset
// hook is.
func TestConfigCredentialsHeadersSetup(t *testing.T) {
	t.Setenv("CONFORM_TEST_KEY", "s3cret")
	dir := t.TempDir()
	write := func(body string) string {
		file := filepath.Join(dir, "conform.yaml")
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	file := write(`apis:
  shop:
    baseURL: http://127.0.0.1:1
    spec: shop.yaml
    credentials: {apiKey: "${CONFORM_TEST_KEY}"}
    headers: {X-Tenant: "${CONFORM_TEST_KEY}-tenant"}
    setup: {url: "http://127.0.0.1:1/seed", header: {X-Key: "${CONFORM_TEST_KEY}"}}
`)
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	f := BindFlags(fs)
	if err := fs.Parse([]string{"--config", file, "--header", "X-Trace: 1"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.APIs["shop"]
	if a.Credentials["apiKey"] != "s3cret" || a.Headers["X-Tenant"] != "s3cret-tenant" || a.Headers["X-Trace"] != "1" ||
		a.Setup == nil || a.Setup.Header["X-Key"] != "s3cret" || a.Token != "" {
		t.Errorf("config %+v setup %+v", a, a.Setup)
	}
	bad := write("apis:\n  shop:\n    baseURL: http://127.0.0.1:1\n    spec: shop.yaml\n    setup: {command: x, url: 'http://h/'}\n")
	fs = flag.NewFlagSet("conform", flag.ContinueOnError)
	f = BindFlags(fs)
	_ = fs.Parse([]string{"--config", bad})
	if _, err := f.Config(); err == nil || !strings.Contains(err.Error(), "setup takes a url or a command") {
		t.Errorf("a setup hook with a url and a command: %v", err)
	}
}
