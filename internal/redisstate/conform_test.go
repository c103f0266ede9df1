package redisstate_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// conformConfig is suite/testdata/conform.example.yaml with each API's
// base URL (and reset hook) moved onto the replica base[api] names.
func conformConfig(t *testing.T, base map[string]string, reset string) string {
	t.Helper()
	example, err := os.ReadFile("../../suite/testdata/conform.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const bundled = "http://127.0.0.1:8080"
	section := regexp.MustCompile(`^  ([a-z0-9-]+):\s*$`)
	var out strings.Builder
	api, moved := "", map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(example))
	for sc.Scan() {
		line := sc.Text()
		if m := section.FindStringSubmatch(line); m != nil {
			api = m[1]
		}
		switch {
		case strings.Contains(line, "reset:") && strings.Contains(line, bundled):
			line = strings.Replace(line, bundled, reset, 1)
		case strings.Contains(line, bundled):
			b, ok := base[api]
			if !ok {
				t.Fatalf("conform.example.yaml: no replica chosen for API %q", api)
			}
			line, moved[api] = strings.Replace(line, bundled, b, 1), true
		}
		out.WriteString(line + "\n")
	}
	for api := range base {
		if !moved[api] {
			t.Fatalf("conform.example.yaml has no base URL for %s any more", api)
		}
	}
	file := filepath.Join(t.TempDir(), "conform.yaml")
	if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestRedisConformDestructiveAcrossReplicas: the conformance suite, its
// destructive checks included, passes against three replicas on one
// Redis with each API served by another replica than the next: admin and
// clients-v2 on replica 1, marketplace on replica 2, clients-v0 and the
// marketplace reset hook on replica 3. A delete made through one replica
// and a reset through another must be seen by the checks that follow.
func TestRedisConformDestructiveAcrossReplicas(t *testing.T) {
	needReplicaTests(t)
	rs := startRedis(t)
	bin := buildMockserver(t)
	var ms []*mock
	for range 3 {
		ms = append(ms, startMock(t, bin, rs.URL))
	}
	cfg := conformConfig(t, map[string]string{
		"admin": ms[0].base, "clients-v2": ms[0].base, "marketplace": ms[1].base, "clients-v0": ms[2].base,
	}, ms[2].base)
	conform := filepath.Join(t.TempDir(), "conform")
	if out, err := exec.Command("go", "build", "-o", conform, "github.com/standin/standin/cmd/conform").CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/conform: %v\n%s", err, out)
	}
	cmd := exec.Command(conform, "--config", cfg, "--destructive")
	cmd.Env = append(os.Environ(), "STANDIN_TOKEN=standin-admin")
	out, err := cmd.CombinedOutput()
	summary := regexp.MustCompile(`Conformance: (\d+) specs, (\d+) passed, (\d+) failed, (\d+) skipped`).FindStringSubmatch(string(out))
	if err != nil || summary == nil || summary[3] != "0" || summary[4] != "0" || summary[1] != summary[2] {
		t.Fatalf("cmd/conform --destructive over three replicas: %v\n%s", err, out)
	}
	t.Log(summary[0])
}
