package docfigures

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/standin/standin/internal/defects"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/specinfer"
	"github.com/standin/standin/specs"

	// What the two commands are made of: a change in any of them changes
	// this test's binary, so go test's cache does not keep a pass the
	// figures no longer earn.
	_ "github.com/standin/standin/internal/cmdline"
	_ "github.com/standin/standin/internal/config"
	_ "github.com/standin/standin/internal/server"
	_ "github.com/standin/standin/suite"
)

// measure builds cmd/mockserver and cmd/conform, runs them as the
// documents describe, and returns the facts the figures state, by name:
//
//   - records.API.COLLECTION: records of each collection of a mock
//     started with --apis-dir internal/rest/testdata (the bundled APIs and
//     books); records.bundled.million-accounts: the records a start-up with
//     marketplace accounts: 1000000 generates; filter.unmatched: accounts
//     not named "My Company Inc.".
//   - RUN.specs, .passed, .failed, .skipped (and .ran: Ginkgo's "Ran N")
//     of conform runs: bundled (no target; also per API, bundled.API.*,
//     and coverage.API.graphql|rest.exercised|total), target (--target,
//     without --destructive), reset (conform.reset.yaml, --destructive),
//     agree (marketplace against a mock whose deleteAccount ignores its
//     blockers), books (--spec against the books API of --apis-dir),
//     inferred (--spec against a mock given the spec alone), sdl (--spec
//     specs/admin/schema.graphql).
//   - defects: the planted defects of the mutation test;
//     specinfer.generated: records generated per inferred collection.
//   - petstore.*: --spec internal/rest/testdata/petstore.yaml, with
//     --destructive, against a mock given that spec alone.
func measure(t *testing.T) map[string]int {
	t.Helper()
	facts := map[string]int{
		"defects":             len(defects.Defects()),
		"specinfer.generated": specinfer.DefaultCount,
	}
	// the totals of the last corpus conform run, which needs Node and the
	// corpus's npm packages (bench/corpus/conform.mjs writes the report):
	// the prose is held to the report it cites
	report, err := os.ReadFile(root("docs/conform-corpus.md"))
	if err != nil {
		t.Fatal(err)
	}
	all := regexp.MustCompile(`\| \*\*all\*\* \| \d+ \| (\d+) \| (\d+) \| (\d+) \|`).FindSubmatch(report)
	if all == nil {
		t.Fatal("docs/conform-corpus.md has no **all** row")
	}
	for i, k := range []string{"corpusconform.passed", "corpusconform.failed", "corpusconform.skipped"} {
		facts[k], _ = strconv.Atoi(string(all[i+1]))
	}
	// the files the runs read, opened here so that go test's cache keys
	// the result on them too
	for _, dir := range []string{"internal/rest/testdata", "internal/rest/testdata/books", "internal/rest/testdata/books/fixtures", "suite/testdata", "scenarios", "fixtures"} {
		entries, err := os.ReadDir(root(dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				if _, err := os.ReadFile(root(dir + "/" + e.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/mockserver", "./cmd/conform")
	build.Dir = root("")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mock := startMock(t, filepath.Join(bin, "mockserver"), "--apis-dir", "internal/rest/testdata")
	alone := startMock(t, filepath.Join(bin, "mockserver"), "--config", "suite/testdata/pin-books.yaml", "--spec", "internal/rest/testdata/books/openapi.yaml")

	countRecords(t, mock, facts)
	million(t, facts)

	conform := func(name string, wantExit int, env []string, args ...string) string {
		t.Helper()
		post(t, mock+"/__standin/reset")
		cmd := exec.Command(filepath.Join(bin, "conform"), args...)
		cmd.Dir = root("")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("conform %v: %v", args, err)
		}
		if code != wantExit {
			t.Fatalf("conform %v: exit %d, want %d\n%s", args, code, wantExit, out)
		}
		summary(t, name, string(out), facts)
		return string(out)
	}
	out := conform("bundled", 0, nil)
	perAPI(out, facts)
	conform("target", 0, nil, "--target", mock)
	conform("reset", 0, []string{"STANDIN_URL=" + mock}, "--config", "suite/testdata/conform.reset.yaml", "--destructive")
	proxy := httptest.NewServer(acceptEveryDelete(mustProxy(t, mock)))
	defer proxy.Close()
	conform("agree", 1, nil, "--target", proxy.URL, "--api", "marketplace", "--destructive")
	conform("books", 0, nil, "--spec", "internal/rest/testdata/books/openapi.yaml", "--target", mock+"/lib", "--token", "standin-admin")
	conform("inferred", 0, nil, "--spec", "internal/rest/testdata/books/openapi.yaml", "--target", alone, "--token", "standin-admin")
	conform("sdl", 0, nil, "--spec", "specs/admin/schema.graphql", "--target", mock, "--token", "standin-admin")
	pets := startMock(t, filepath.Join(bin, "mockserver"), "--config", "suite/testdata/pin-petstore.yaml", "--spec", "internal/rest/testdata/petstore.yaml")
	conform("petstore", 0, nil, "--spec", "internal/rest/testdata/petstore.yaml", "--target", pets,
		"--credential", "bearerAuth=standin-admin", "--destructive")
	return facts
}

var (
	conformanceLine = regexp.MustCompile(`(?m)^Conformance: (\d+) specs, (\d+) passed, (\d+) failed, (\d+) skipped$`)
	ranLine         = regexp.MustCompile(`(?m)^Ran (\d+) of (\d+) Specs`)
	apiLine         = regexp.MustCompile(`(?m)^  (\S+) +(\d+) passed, (\d+) failed, (\d+) skipped`)
	coverageLine    = regexp.MustCompile(`(?m)^  (\S+) (GraphQL fields and arguments|operation × documented status): (\d+) of (\d+) exercised$`)
)

// summary reads a run's console totals into facts NAME.specs, .passed,
// .failed, .skipped and .ran.
func summary(t *testing.T, name, out string, facts map[string]int) {
	t.Helper()
	m := conformanceLine.FindStringSubmatch(out)
	r := ranLine.FindStringSubmatch(out)
	if m == nil || r == nil {
		t.Fatalf("run %s: no totals in the console:\n%s", name, out)
	}
	for i, k := range []string{"specs", "passed", "failed", "skipped"} {
		facts[name+"."+k] = atoi(m[i+1])
	}
	facts[name+".ran"] = atoi(r[1])
}

// perAPI reads the bundled run's summary per API and coverage lines.
func perAPI(out string, facts map[string]int) {
	for _, m := range apiLine.FindAllStringSubmatch(out, -1) {
		for i, k := range []string{"passed", "failed", "skipped"} {
			facts["bundled."+m[1]+"."+k] = atoi(m[i+2])
		}
	}
	for _, m := range coverageLine.FindAllStringSubmatch(out, -1) {
		kind := "rest"
		if strings.HasPrefix(m[2], "GraphQL") {
			kind = "graphql"
		}
		facts["coverage."+m[1]+"."+kind+".exercised"] = atoi(m[3])
		facts["coverage."+m[1]+"."+kind+".total"] = atoi(m[4])
	}
}

// countRecords reads the record count of every collection of every API
// of the mock, and the accounts not named "My Company Inc." (what the
// mutation test's ignored filter answers beside the one that matches).
func countRecords(t *testing.T, base string, facts map[string]int) {
	t.Helper()
	var apis struct{ APIs []struct{ Name string } }
	getJSON(t, base+"/__standin/apis", &apis)
	for _, a := range apis.APIs {
		var cols struct {
			Collections []struct {
				Name  string
				Count int
			}
		}
		getJSON(t, base+"/__standin/apis/"+a.Name+"/collections", &cols)
		for _, c := range cols.Collections {
			facts["records."+a.Name+"."+c.Name] = c.Count
		}
	}
	unmatched := 0
	for after := ""; ; {
		var page struct {
			Next    string
			Records []struct{ Name string }
		}
		getJSON(t, base+"/__standin/apis/marketplace/collections/accounts/records?limit=100&after="+url.QueryEscape(after), &page)
		for _, r := range page.Records {
			if r.Name != "My Company Inc." {
				unmatched++
			}
		}
		if page.Next == "" || len(page.Records) == 0 {
			break
		}
		after = page.Next
	}
	facts["filter.unmatched"] = unmatched
}

// million is the number of records the mock generates at start-up with
// apis: {marketplace: {counts: {accounts: 1000000}}}, as its progress
// line counts them: every collection's generate.count (the override for
// accounts); fixture records are not generated.
func million(t *testing.T, facts map[string]int) {
	t.Helper()
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, a := range apis {
		for _, c := range a.Collections {
			if c.Generate == nil || len(c.Generate.Fields) == 0 {
				continue
			}
			if a.Name == "marketplace" && c.Name == "accounts" {
				total += 1_000_000
				continue
			}
			total += c.Generate.Count
		}
	}
	facts["records.bundled.million-accounts"] = total
}

// startMock starts the mockserver binary on a free port with args and
// returns its base URL; it is stopped (SIGINT) when the test ends.
func startMock(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0", "--log-level", "error"}, args...)...)
	cmd.Dir = root("")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`Standin mock server on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("mockserver %v exited:\n%s", args, stderr.String())
		}
		return base
	case <-time.After(60 * time.Second):
		t.Fatalf("mockserver %v: no banner within 60s:\n%s", args, stderr.String())
	}
	return ""
}

// acceptEveryDelete answers every deleteAccount mutation with success, as
// a server that ignores the blockers would (the mock TestReportsAgree in
// cmd/conform runs against).
func acceptEveryDelete(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/graphql" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte("deleteAccount(")) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"data":{"deleteAccount":{"success":true}}}`)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func mustProxy(t *testing.T, base string) http.Handler {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return httputil.NewSingleHostReverseProxy(u)
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func post(t *testing.T, u string) {
	t.Helper()
	resp, err := http.Post(u, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
