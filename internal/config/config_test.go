package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/usererr"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "standin.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func resolve(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Bind(fs)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return f.Resolve(func(k string) string { return env[k] })
}

// TestResolvePrecedence: defaults < file < env < flags, per setting.
func TestResolvePrecedence(t *testing.T) {
	file := writeFile(t, `
addr: 127.0.0.1:9001
seed: 11
journalSize: 7
adminToken: from-file
logLevel: warn
apis:
  admin: {scenario: no-clients}
  clients-v2: {scenario: forbidden}
`)
	other := writeFile(t, "seed: 99\n")
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{"defaults", nil, nil, func(t *testing.T, c Config) {
			if !reflect.DeepEqual(c, Default()) {
				t.Errorf("got %+v, want the defaults %+v", c, Default())
			}
			if c.Addr != "127.0.0.1:8080" || c.Seed != 1 || c.JournalSize != 1000 || c.HoldCap != manifest.Duration(30*time.Second) {
				t.Errorf("defaults %+v", c)
			}
		}},
		{"file over defaults", []string{"--config", file}, nil, func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:9001" || c.Seed != 11 || c.JournalSize != 7 || c.AdminToken != "from-file" || c.LogLevel != "warn" {
				t.Errorf("got %+v", c)
			}
			if c.APIs["admin"].Scenario != "no-clients" || c.HoldCap != manifest.Duration(DefaultHoldCap) {
				t.Errorf("got %+v", c)
			}
		}},
		{"config file from env", nil, map[string]string{"STANDIN_CONFIG": file}, func(t *testing.T, c Config) {
			if c.Seed != 11 {
				t.Errorf("seed %d", c.Seed)
			}
		}},
		{"config flag over env", []string{"--config", other}, map[string]string{"STANDIN_CONFIG": file}, func(t *testing.T, c Config) {
			if c.Seed != 99 {
				t.Errorf("seed %d, want the flag's file", c.Seed)
			}
		}},
		{"env over file", []string{"--config", file}, map[string]string{
			"STANDIN_ADDR": "127.0.0.1:9002", "STANDIN_SEED": "12", "STANDIN_JOURNAL_SIZE": "8",
			"STANDIN_ADMIN_TOKEN": "from-env", "STANDIN_LOG_LEVEL": "debug", "STANDIN_SCENARIO": "admin=empty, clients-v0=slow",
		}, func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:9002" || c.Seed != 12 || c.JournalSize != 8 || c.AdminToken != "from-env" || c.LogLevel != "debug" {
				t.Errorf("got %+v", c)
			}
			if c.APIs["admin"].Scenario != "empty" || c.APIs["clients-v0"].Scenario != "slow" || c.APIs["clients-v2"].Scenario != "forbidden" {
				t.Errorf("scenarios %+v", c.APIs)
			}
		}},
		{"flags over env", []string{"--config", file, "--addr", "localhost:9003", "--seed", "13", "--journal-size", "9",
			"--admin-token", "from-flag", "--log-level", "error", "--scenario", "admin=permission-denied", "--scenario", "marketplace=timeout"},
			map[string]string{"STANDIN_ADDR": "127.0.0.1:9002", "STANDIN_SEED": "12", "STANDIN_JOURNAL_SIZE": "8",
				"STANDIN_ADMIN_TOKEN": "from-env", "STANDIN_LOG_LEVEL": "debug", "STANDIN_SCENARIO": "clients-v0=slow"},
			func(t *testing.T, c Config) {
				if c.Addr != "localhost:9003" || c.Seed != 13 || c.JournalSize != 9 || c.AdminToken != "from-flag" || c.LogLevel != "error" {
					t.Errorf("got %+v", c)
				}
				if c.APIs["admin"].Scenario != "permission-denied" || c.APIs["marketplace"].Scenario != "timeout" {
					t.Errorf("scenarios %+v", c.APIs)
				}
				if c.APIs["clients-v0"].Scenario != "" {
					t.Errorf("--scenario flags should replace STANDIN_SCENARIO, got clients-v0=%q", c.APIs["clients-v0"].Scenario)
				}
			}},
		{"flag set to the default value still wins", []string{"--config", file, "--seed", "1"}, map[string]string{"STANDIN_SEED": "12"},
			func(t *testing.T, c Config) {
				if c.Seed != 1 {
					t.Errorf("seed %d", c.Seed)
				}
			}},
		{"watch flag", []string{"--watch"}, nil, func(t *testing.T, c Config) {
			if !c.Watch {
				t.Error("watch off")
			}
		}},
		{"watch from env", nil, map[string]string{"STANDIN_WATCH": "true"}, func(t *testing.T, c Config) {
			if !c.Watch {
				t.Error("watch off")
			}
		}},
		{"watch flag over env", []string{"--watch=false"}, map[string]string{"STANDIN_WATCH": "1"}, func(t *testing.T, c Config) {
			if c.Watch {
				t.Error("watch on")
			}
		}},
		{"log format from env", nil, map[string]string{"STANDIN_LOG_FORMAT": "json"}, func(t *testing.T, c Config) {
			if c.LogFormat != "json" {
				t.Errorf("log format %q", c.LogFormat)
			}
		}},
		{"log format flag over env", []string{"--log-format", "text"}, map[string]string{"STANDIN_LOG_FORMAT": "json"}, func(t *testing.T, c Config) {
			if c.LogFormat != "text" {
				t.Errorf("log format %q", c.LogFormat)
			}
		}},
		{"non-loopback with a token", []string{"--addr", "0.0.0.0:8080", "--admin-token", "x"}, nil, func(t *testing.T, c Config) {
			if c.Addr != "0.0.0.0:8080" {
				t.Errorf("addr %s", c.Addr)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := resolve(t, tc.args, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

// TestResolveErrors: every mistake is a *usererr.Error with a fix; one in
// the configuration file names the file, line and column of the value
// (place), one in a flag or the environment names no file.
func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		file  string
		place string // "line:col" in the file, "" for none
		want  string
	}{
		{"bad seed flag", []string{"--seed", "x"}, nil, "", "", `seed "x"`},
		{"bad seed env", nil, map[string]string{"STANDIN_SEED": "-3"}, "", "", `seed "-3"`},
		{"bad journal size", nil, map[string]string{"STANDIN_JOURNAL_SIZE": "many"}, "", "", "journal-size"},
		{"negative journal size", []string{"--journal-size", "-1"}, nil, "", "", "journalSize"},
		{"bad scenario", []string{"--scenario", "admin"}, nil, "", "", "API=NAME"},
		{"bad scenario env", nil, map[string]string{"STANDIN_SCENARIO": "=x"}, "", "", "API=NAME"},
		{"bad addr", []string{"--addr", "8080"}, nil, "", "", "HOST:PORT"},
		{"bad port", []string{"--addr", "127.0.0.1:99999"}, nil, "", "", "bad port"},
		{"non-loopback without token", []string{"--addr", "0.0.0.0:8080"}, nil, "", "", "admin token"},
		{"bad log level", []string{"--log-level", "verbose"}, nil, "", "", "logLevel"},
		{"bad watch env", nil, map[string]string{"STANDIN_WATCH": "sometimes"}, "", "", "STANDIN_WATCH"},
		{"bad log format flag", []string{"--log-format", "xml"}, nil, "", "", "logFormat"},
		{"bad log format env", nil, map[string]string{"STANDIN_LOG_FORMAT": "JSON"}, "", "", "want text or json"},
		{"bad cors flag", []string{"--cors=ftp//nope"}, nil, "", "", "cors"},
		{"bad log format in file", nil, nil, "seed: 2\nlogFormat: yaml\n", "2:12", `logFormat "yaml": want text or json; write text or json`},
		{"bad log format in file, fixed by a flag", []string{"--log-format", "xml"}, nil, "logFormat: yaml\n", "", `logFormat "xml"`},
		{"unknown key in file", nil, nil, "sede: 3\n", "1:1", `unknown key "sede"; did you mean "seed"?`},
		{"bad type in file", nil, nil, "seed: [1]\n", "1:7", "seed: want a whole number, not a list"},
		{"syntax in file", nil, nil, "apis:\n  admin: scenario: x\n", "2:18", "YAML syntax: mapping values are not allowed"},
		{"bad rate limit in file", nil, nil, "apis: {clients-v0: {rateLimit: {limit: 0, window: 1m}}}\n", "1:32", "rateLimit"},
		{"bad window in file", nil, nil, "apis: {clients-v0: {rateLimit: {limit: 5, window: soon}}}\n", "1:51", `"soon" is not a duration`},
		{"bad prefix in file", nil, nil, "apis:\n  marketplace:\n    prefix: mp\n", "3:13", "prefix"},
		{"negative hold cap", nil, nil, "holdCap: -1s\n", "1:10", "holdCap"},
		{"zero body limit", nil, nil, "maxBodyBytes: 0\n", "1:15", "maxBodyBytes"},
		{"bad cors in file", nil, nil, "cors: [ftp//nope]\n", "1:7", "cors"},
		{"non-loopback in file", nil, nil, "addr: 0.0.0.0:8080\n", "1:7", "not a loopback address; set an admin token"},
		{"non-loopback in file, token from env", nil, map[string]string{"STANDIN_ADDR": "0.0.0.0:1"}, "addr: 127.0.0.1:8080\n", "", "not a loopback address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			path := ""
			if tc.file != "" {
				path = writeFile(t, tc.file)
				args = append([]string{"--config", path}, args...)
			}
			_, err := resolve(t, args, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one mentioning %q", err, tc.want)
			}
			e, ok := usererr.Find(err)
			if !ok || e.Fix == "" {
				t.Fatalf("err %#v: want a *usererr.Error with a fix", err)
			}
			switch {
			case tc.place != "" && !strings.HasPrefix(err.Error(), path+":"+tc.place+": "):
				t.Errorf("err %v, want it placed at %s:%s", err, path, tc.place)
			case tc.place == "" && e.File != "":
				t.Errorf("err %v: placed in a file, but the value came from a flag or the environment", err)
			}
		})
	}
}

func TestLoadExampleFile(t *testing.T) {
	c, err := Load("../../docs/standin.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.APIs["admin"].On() || !c.APIs["marketplace"].On() || c.APIs["marketplace"].Prefix != "/mp" {
		t.Errorf("apis %+v", c.APIs)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true,
		"0.0.0.0": false, "": false, "::": false, "192.168.1.1": false, "example.com": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestSpecsAndAPIsDirs: --spec and --apis-dir repeat, the environment
// gives comma-separated lists, and both add to the file's entries.
func TestSpecsAndAPIsDirs(t *testing.T) {
	file := writeFile(t, "specs: a.yaml\napisDir: [d1]\n")
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		specs     List
		apisDirs  List
		wantError string
	}{
		{name: "flags repeat", args: []string{"--spec", "p.yaml", "--spec", "pets=q.json", "--apis-dir", "x"}, specs: List{"p.yaml", "pets=q.json"}, apisDirs: List{"x"}},
		{name: "env lists", env: map[string]string{"STANDIN_SPEC": "p.yaml, q.graphql", "STANDIN_APIS_DIR": "x,y"}, specs: List{"p.yaml", "q.graphql"}, apisDirs: List{"x", "y"}},
		{name: "flag beats env", args: []string{"--spec", "f.yaml"}, env: map[string]string{"STANDIN_SPEC": "e.yaml"}, specs: List{"f.yaml"}},
		{name: "file, then flags", args: []string{"--config", file, "--spec", "b.yaml", "--apis-dir", "d2"}, specs: List{"a.yaml", "b.yaml"}, apisDirs: List{"d1", "d2"}},
		{name: "empty file name", args: []string{"--spec", "pets="}, wantError: "want [NAME=]FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Specs, tt.specs) || !reflect.DeepEqual(c.APIsDirs, tt.apisDirs) {
				t.Errorf("specs %q apisDirs %q, want %q %q", c.Specs, c.APIsDirs, tt.specs, tt.apisDirs)
			}
		})
	}
}

func TestSplitSpec(t *testing.T) {
	tests := []struct{ in, name, file string }{
		{"pets.yaml", "", "pets.yaml"},
		{"pets=pets.yaml", "pets", "pets.yaml"},
		{"dir/a=b.yaml", "", "dir/a=b.yaml"},
		{"Pets=x.yaml", "", "Pets=x.yaml"},
	}
	for _, tt := range tests {
		if n, f := SplitSpec(tt.in); n != tt.name || f != tt.file {
			t.Errorf("SplitSpec(%q) = %q, %q; want %q, %q", tt.in, n, f, tt.name, tt.file)
		}
	}
}
