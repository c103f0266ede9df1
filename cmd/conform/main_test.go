package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/standintest"
	"github.com/standin/standin/suite"
)

// acceptEveryDelete answers every deleteAccount mutation with success, as
// a server that ignores the blockers would: the first refusal step of the
// ordered delete flow fails and the later steps are skipped.
func acceptEveryDelete(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/graphql" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte("deleteAccount(")) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"data":{"deleteAccount":{"success":true}}}`)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// TestReportsAgree runs the suite once (Ginkgo allows one run per
// process) against a mock whose delete flow fails at an ordered step:
// the console summary, Ginkgo's own counts, --json, --junit and --html
// agree on passed, failed and skipped, and list the skipped steps with
// their reason.
func TestReportsAgree(t *testing.T) {
	mock := standintest.Start(t)
	ts := httptest.NewServer(acceptEveryDelete(mock.Handler()))
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	jsonFile, junitFile, htmlFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.html")
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	flags := conform.BindFlags(fs)
	if err := fs.Parse([]string{"--target", ts.URL, "--api", "marketplace", "--destructive",
		"--json", jsonFile, "--junit", junitFile, "--html", htmlFile}); err != nil {
		t.Fatal(err)
	}
	cfg, err := flags.Config()
	if err != nil {
		t.Fatal(err)
	}
	var console bytes.Buffer
	code, col := suite.RunTo(cfg, &console)
	if code != suite.ExitFail || col == nil {
		t.Fatalf("exit %d, want %d (the delete flow fails)\n%s", code, suite.ExitFail, console.String())
	}

	m := regexp.MustCompile(`Conformance: (\d+) specs, (\d+) passed, (\d+) failed, (\d+) skipped`).FindStringSubmatch(console.String())
	if m == nil {
		t.Fatalf("no summary line in the console:\n%s", console.String())
	}
	consoleCounts := fmt.Sprintf("%s/%s/%s", m[2], m[3], m[4])

	var js struct{ Passed, Failed, Skipped int }
	data, err := os.ReadFile(jsonFile)
	if err != nil || json.Unmarshal(data, &js) != nil {
		t.Fatalf("JSON report: %v", err)
	}
	jsonCounts := fmt.Sprintf("%d/%d/%d", js.Passed, js.Failed, js.Skipped)

	var ju reporters.JUnitTestSuites
	data, err = os.ReadFile(junitFile)
	if err != nil || xml.Unmarshal(data, &ju) != nil {
		t.Fatalf("JUnit report: %v", err)
	}
	var jp, jf, jsk int
	for _, s := range ju.TestSuites {
		for _, c := range s.TestCases {
			if !strings.HasPrefix(c.Name, "[It]") {
				continue
			}
			switch {
			case c.Failure != nil || c.Error != nil:
				jf++
			case c.Skipped != nil:
				jsk++
			default:
				jp++
			}
		}
	}
	junitCounts := fmt.Sprintf("%d/%d/%d", jp, jf, jsk)
	ginkgoCounts := fmt.Sprintf("%d/%d/%d", col.Ginkgo[0], col.Ginkgo[1], col.Ginkgo[2])

	if consoleCounts != jsonCounts || jsonCounts != junitCounts || junitCounts != ginkgoCounts {
		t.Fatalf("reports disagree (passed/failed/skipped): console %s, JSON %s, JUnit %s, Ginkgo %s", consoleCounts, jsonCounts, junitCounts, ginkgoCounts)
	}
	if js.Failed == 0 || js.Skipped == 0 {
		t.Fatalf("want a failed step and skipped steps after it, got %s", jsonCounts)
	}
	if !strings.Contains(console.String(), "skipped: an earlier step of this flow failed") {
		t.Errorf("the console summary does not give the skip reason:\n%s", console.String())
	}
	// Every report names each result's check and class.
	var named struct {
		Results []struct{ Check, Class string }
		Classes []struct{ Class string }
	}
	if err := json.Unmarshal(mustRead(t, jsonFile), &named); err != nil || len(named.Results) == 0 || len(named.Classes) == 0 {
		t.Fatalf("JSON report: %v", err)
	}
	for _, r := range named.Results {
		if r.Check == "" || r.Class == "" {
			t.Errorf("a JSON result without its check or class: %+v", r)
			break
		}
	}
	for _, s := range ju.TestSuites {
		for _, c := range s.TestCases {
			if !strings.HasPrefix(c.Name, "[It]") {
				continue
			}
			props := map[string]string{}
			if c.Properties != nil {
				for _, p := range c.Properties.Properties {
					props[p.Name] = p.Value
				}
			}
			if !strings.Contains(c.Name, "class:") || props["check"] == "" || props["class"] == "" {
				t.Errorf("a JUnit test case without its check and class (label and properties): %s %v", c.Name, props)
				break
			}
		}
	}
	if !strings.Contains(console.String(), "By check class:") || !strings.Contains(console.String(), "Coverage per API:") {
		t.Errorf("the console summary has no summary per check class or coverage line per API:\n%s", console.String())
	}
	html, err := os.ReadFile(htmlFile)
	if err != nil || !bytes.Contains(html, []byte(fmt.Sprintf("%d skipped", js.Skipped))) || !bytes.Contains(html, []byte("an earlier step of this flow failed")) {
		t.Errorf("HTML report without the same counts (%v)", err)
	}
	t.Logf("console, JSON, JUnit and Ginkgo agree: %s (passed/failed/skipped)", jsonCounts)
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
