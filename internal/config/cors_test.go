package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestCORSFromYAMLFlagsAndEnv(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string // config file body; empty: no file
		args    []string
		env     map[string]string
		want    CORS
		wantErr string
	}{
		{name: "default: any origin", want: CORS{}},
		{name: "yaml false", yaml: "cors: false\n", want: CORS{Off: true}},
		{name: "yaml true", yaml: "cors: true\n", want: CORS{}},
		{name: "yaml star", yaml: "cors: \"*\"\n", want: CORS{}},
		{name: "yaml off", yaml: "cors: off\n", want: CORS{Off: true}},
		{name: "yaml list", yaml: "cors: [http://localhost:3000, \"http://127.0.0.1:*\"]\n", want: CORS{Origins: []string{"http://localhost:3000", "http://127.0.0.1:*"}}},
		{name: "yaml empty list is off", yaml: "cors: []\n", want: CORS{Off: true}},
		{name: "yaml comma string", yaml: "cors: http://a.test, http://b.test\n", want: CORS{Origins: []string{"http://a.test", "http://b.test"}}},
		{name: "yaml bad origin", yaml: "cors: [localhost:3000]\n", wantErr: `"localhost:3000": no scheme`},
		{name: "yaml mapping", yaml: "cors: {origins: [x]}\n", wantErr: "want true, false or a list"},
		{name: "flag alone is on", yaml: "cors: false\n", args: []string{"--cors"}, want: CORS{}},
		{name: "flag false", args: []string{"--cors=false"}, want: CORS{Off: true}},
		{name: "flag list", args: []string{"--cors=http://localhost:*,https://*.example.com"}, want: CORS{Origins: []string{"http://localhost:*", "https://*.example.com"}}},
		{name: "flag bad origin", args: []string{"--cors=http://localhost:3000/app"}, wantErr: "has a path"},
		{name: "flag empty", args: []string{"--cors="}, want: CORS{}},
		{name: "env off", env: map[string]string{"STANDIN_CORS": "off"}, want: CORS{Off: true}},
		{name: "env over file", yaml: "cors: false\n", env: map[string]string{"STANDIN_CORS": "http://x.test"}, want: CORS{Origins: []string{"http://x.test"}}},
		{name: "flag over env", args: []string{"--cors=true"}, env: map[string]string{"STANDIN_CORS": "false"}, want: CORS{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.yaml != "" {
				args = append([]string{"--config", writeFile(t, tt.yaml)}, args...)
			}
			c, err := resolve(t, args, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.CORS, tt.want) {
				t.Errorf("CORS = %#v, want %#v", c.CORS, tt.want)
			}
		})
	}
}

func TestCORSAllowedOrigins(t *testing.T) {
	tests := []struct {
		c    CORS
		want []string
		str  string
	}{
		{CORS{}, []string{"*"}, "any origin"},
		{CORS{Off: true}, nil, "off"},
		{CORS{Off: true, Origins: []string{"http://a.test"}}, nil, "off"},
		{CORS{Origins: []string{"http://a.test", "http://b.test"}}, []string{"http://a.test", "http://b.test"}, "http://a.test, http://b.test"},
	}
	for _, tt := range tests {
		if got := tt.c.AllowedOrigins(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%#v.AllowedOrigins() = %q, want %q", tt.c, got, tt.want)
		}
		if got := tt.c.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.c, got, tt.str)
		}
	}
}

func TestValidateRejectsBadCORSOrigin(t *testing.T) {
	c := Default()
	c.CORS = CORS{Origins: []string{"ftp//nope"}}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "ftp//nope") {
		t.Fatalf("Validate = %v, want an error naming the origin", err)
	}
}
