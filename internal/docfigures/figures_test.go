package docfigures

import (
	"flag"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/defects"
)

var update = flag.Bool("update", false, "rewrite the figures of the documents with the measured values")

// figure is where a document states counts: a pattern of the sentence,
// each group one number, and the fact each group states.
type figure struct {
	file    string // from the repository's root
	pattern string
	facts   []string
}

// figures lists every count the documents state. A new count joins with
// one line; a reworded sentence needs its pattern changed.
func figures() []figure {
	const conf, readme = "docs/conformance.md", "README.md"
	ginkgo := "Ran (\\d+) of (\\d+) Specs in [0-9.]+ seconds\nSUCCESS! -- (\\d+) Passed \\| (\\d+) Failed \\| 0 Pending \\| (\\d+) Skipped\n"
	return []figure{
		{conf, `The (\d+) companies and (\d+) admin clients are walked in full`, []string{"records.marketplace.accounts", "records.admin.clients"}},
		{conf, ginkgo + "Conformance: (\\d+) specs, (\\d+) passed, (\\d+) failed, (\\d+) skipped\nrun \\d exit 0",
			[]string{"reset.ran", "reset.specs", "reset.passed", "reset.failed", "reset.skipped", "reset.specs", "reset.passed", "reset.failed", "reset.skipped"}},
		{conf, `all say (\d+) passed, (\d+) failed,\s+(\d+) skipped`, []string{"agree.passed", "agree.failed", "agree.skipped"}},
		{conf, "Conformance: (\\d+) specs, (\\d+) passed, (\\d+) failed, (\\d+) skipped\n\nBy API:\n  admin +(\\d+) passed, (\\d+) failed, (\\d+) skipped",
			[]string{"bundled.specs", "bundled.passed", "bundled.failed", "bundled.skipped", "bundled.admin.passed", "bundled.admin.failed", "bundled.admin.skipped"}},
		{conf, `admin GraphQL fields and arguments: (\d+) of (\d+) exercised`, []string{"coverage.admin.graphql.exercised", "coverage.admin.graphql.total"}},
		{conf, `clients-v2 operation × documented status: (\d+) of (\d+) exercised`, []string{"coverage.clients-v2.rest.exercised", "coverage.clients-v2.rest.total"}},
		{conf, "(\\d+) passed, (\\d+) failed, (\\d+) skipped \\(`rest-lookups`", []string{"books.passed", "books.failed", "books.skipped"}},
		{conf, "`TestSpecFlagSDL` runs `--spec specs/admin/schema.graphql` against the mock:\n(\\d+) passed", []string{"sdl.passed"}},
		{conf, ginkgo + "```\n\nThe mock given the spec alone", []string{"books.ran", "books.specs", "books.passed", "books.failed", "books.skipped"}},
		{conf, "SUCCESS! -- (\\d+) Passed \\| (\\d+) Failed \\| 0 Pending \\| (\\d+) Skipped\n```\n\n## Any REST contract", []string{"inferred.passed", "inferred.failed", "inferred.skipped"}},
		{conf, ginkgo + "\nConformance: (\\d+) specs, (\\d+) passed, (\\d+) failed, (\\d+) skipped\n```\n\nThe petstore run above",
			[]string{"petstore.ran", "petstore.specs", "petstore.passed", "petstore.failed", "petstore.skipped", "petstore.specs", "petstore.passed", "petstore.failed", "petstore.skipped"}},
		{conf, `mock passes every check \((\d+) pass, (\d+) skipped`, []string{"bundled.passed", "bundled.skipped"}},
		{conf, `Score: (\d+)/(\d+)\.`, []string{"defects", "defects"}},
		{conf, `answered (\d+) records, (\d+) of them do not match`, []string{"records.marketplace.accounts", "filter.unmatched"}},
		{conf, "every record of the bundled data walked: (\\d+) companies,\\s+(\\d+) admin clients, every account's memberships and subscriptions\\): (\\d+) specs",
			[]string{"records.marketplace.accounts", "records.admin.clients", "bundled.specs"}},
		{conf, "\\(`--target`[^)]*\\): [0-9.]+ s wall, (\\d+) pass, (\\d+) skipped", []string{"target.passed", "target.skipped"}},
		{conf, `the role and scheme checks \((\d+) specs,`, []string{"bundled.specs"}},
		{conf, "\\| `go run ./cmd/conform[^|\n]* \\| (\\d+) pass \\|", []string{"bundled.specs"}},
		{conf, `On the tree handed in: ([\d,]+) passed, ([\d,]+) failed`, []string{"corpusconform.passed", "corpusconform.failed"}},
		{readme, `# clients-v0: (\d+) people`, []string{"records.clients-v0.clients"}},
		{readme, `records are the spec's examples first, then (\d+) generated ones`, []string{"specinfer.generated"}},
		{readme, `# building data: [\d,]+/([\d,]+) records`, []string{"records.bundled.million-accounts"}},
	}
}

// notCount is a number beside a count word that is not a count of the
// data, checks, specs or defects: its pattern (the group is the number)
// and why.
type notCount struct{ file, pattern, why string }

func notCounts() []notCount {
	return []notCount{
		{"docs/conformance.md", `repeats 7 of its (7) records`, "the walk's page size in a quoted message"},
		{"docs/conformance.md", `the marketplace REST (403) checks`, "a status code"},
		{"docs/conformance.md", `reaches (28) records over 5 pages`, "a quoted message of the planted next-link defect (pages of 7)"},
		{"docs/conformance.md", `; (25) records of the list are never reached`, "a quoted message of the planted next-link defect (pages of 7)"},
		{"README.md", `([\d,]+) records/s`, "a rate in a sample progress line"},
		{"README.md", `1,000 and (1,000,000) records`, "the data sizes bench/run.sh measures"},
		{"docs/architecture.md", `first (4,096) records`, "an implementation constant"},
		{"docs/conformance.md", `jgs conform: Conformance: (\d+) specs`, "a run against a real server (bench/realservers), measured, not rerun"},
		{"docs/conformance.md", `jgs conform: Conformance: \d+ specs, (\d+) passed`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `jgs conform: Conformance: \d+ specs, \d+ passed, (\d+) failed`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `jgs conform: Conformance: \d+ specs, \d+ passed, \d+ failed, (\d+) skipped`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `todo conform: Conformance: (\d+) specs`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `todo conform: Conformance: \d+ specs, (\d+) passed`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `todo conform: Conformance: \d+ specs, \d+ passed, (\d+) failed`, "a run against a real server (bench/realservers)"},
		{"docs/conformance.md", `todo conform: Conformance: \d+ specs, \d+ passed, \d+ failed, (\d+) skipped`, "a run against a real server (bench/realservers)"},
		{"docs/architecture.md", `more than (2,000) records`, "an implementation constant"},
		{"docs/conformance.md", `\| jgs \| conform \| 36 \((4) skipped`, "the real-server table (bench/realservers), measured, not rerun"},
		{"docs/conformance.md", `\| todo \| conform \| 17 \((1) skipped`, "the real-server table (bench/realservers)"},
		{"docs/conformance.md", `todo run failed (2) checks falsely`, "a past real-server run (bench/realservers)"},
		{"docs/conformance.md", `failed ([\d,]+) checks and passed [\d,]+`, "the first corpus conform run, on the tree of 93ea781: measured once, not rerun"},
	}
}

// counting finds the numbers the documents state as counts: each group is
// one number that a figure or a notCount must cover.
var counting = []*regexp.Regexp{
	regexp.MustCompile(`\b(\d(?:[\d,]*\d)?) (?:admin )?(?:specs?|Specs|passed|Passed|failed|Failed|skipped|Skipped|pass|checks?|records|companies|clients|defects|people|accounts)\b`),
	regexp.MustCompile(`(\d+) of (\d+) (?:Specs|exercised)`),
	regexp.MustCompile(`Score: (\d+)/(\d+)`),
}

// TestDocumentFigures compares every figure of the documents with the
// measured facts, and finds counts no figure covers. -update rewrites the
// figures.
func TestDocumentFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs mockserver and conform")
	}
	facts := measure(t)
	byFile := map[string][]figure{}
	for _, f := range figures() {
		byFile[f.file] = append(byFile[f.file], f)
	}
	files := []string{"README.md", "docs/conformance.md", "docs/architecture.md"}
	for _, file := range files {
		data, err := os.ReadFile(root(file))
		if err != nil {
			t.Fatal(err)
		}
		doc := string(data)
		type edit struct {
			start, end int
			text       string
		}
		var edits []edit
		covered := map[int]bool{} // start offsets of numbers a figure covers
		for _, f := range byFile[file] {
			re := regexp.MustCompile(f.pattern)
			if re.NumSubexp() != len(f.facts) {
				t.Fatalf("%s: pattern %q has %d groups for %d facts", file, f.pattern, re.NumSubexp(), len(f.facts))
			}
			ms := re.FindAllStringSubmatchIndex(doc, -1)
			if len(ms) == 0 {
				t.Errorf("%s: no sentence matches %q any more: change the pattern in figures() to the new wording", file, f.pattern)
				continue
			}
			for _, m := range ms {
				for g, fact := range f.facts {
					start, end := m[2+2*g], m[3+2*g]
					covered[start] = true
					want, ok := facts[fact]
					if !ok {
						t.Fatalf("no fact %q was measured", fact)
					}
					stated := doc[start:end]
					text := format(want, strings.Contains(stated, ","))
					if stated == text {
						continue
					}
					if *update {
						edits = append(edits, edit{start, end, text})
						continue
					}
					t.Errorf("%s:%d: says %s, but %s is %d now (go test ./internal/docfigures -update rewrites it)",
						file, lineOf(doc, start), stated, fact, want)
				}
			}
		}
		for _, n := range notCounts() {
			if n.file != file {
				continue
			}
			ms := regexp.MustCompile(n.pattern).FindAllStringSubmatchIndex(doc, -1)
			if len(ms) == 0 {
				t.Errorf("%s: nothing matches the exemption %q (%s) any more: remove or change it", file, n.pattern, n.why)
			}
			for _, m := range ms {
				covered[m[2]] = true
			}
		}
		for _, re := range counting {
			for _, m := range re.FindAllStringSubmatchIndex(doc, -1) {
				for g := 1; 2*g < len(m); g++ {
					if start := m[2*g]; start >= 0 && !covered[start] {
						t.Errorf("%s:%d: the count %q is in no figure: add its sentence to figures() in internal/docfigures/figures_test.go (or to notCounts with the reason it is not a count)",
							file, lineOf(doc, start), doc[m[0]:m[1]])
					}
				}
			}
		}
		if *update && len(edits) > 0 {
			sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
			for _, e := range edits {
				doc = doc[:e.start] + e.text + doc[e.end:]
			}
			if err := os.WriteFile(root(file), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d figures rewritten", file, len(edits))
		}
	}
}

// TestMutationTablesListEveryDefect: the tables of docs/conformance.md's
// "Mutation score" section have one row per planted defect (the score
// counts them; TestDocumentFigures checks the score).
func TestMutationTablesListEveryDefect(t *testing.T) {
	data, err := os.ReadFile(root("docs/conformance.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "\n## Mutation score\n")
	if start < 0 {
		t.Fatal(`docs/conformance.md has no "## Mutation score" section`)
	}
	section := doc[start+1:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	rows, inTable := 0, false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "| defect |"):
			inTable = true
		case inTable && strings.HasPrefix(line, "|---"):
		case inTable && strings.HasPrefix(line, "| "):
			rows++
		default:
			inTable = false
		}
	}
	if n := len(defects.Defects()); rows != n {
		t.Errorf("the Mutation score tables of docs/conformance.md have %d rows, internal/defects plants %d defects: add a row per defect (go test ./suite -run TestMutation -v prints each with its failing checks)", rows, n)
	}
}

func lineOf(doc string, off int) int { return 1 + strings.Count(doc[:off], "\n") }

// format writes n as the document does: with thousands separators when
// it had them.
func format(n int, commas bool) string {
	s := strconv.Itoa(n)
	if !commas || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func TestFormat(t *testing.T) {
	for n, want := range map[int]string{7: "7", 1000: "1,000", 1000360: "1,000,360", 100: "100"} {
		if got := format(n, true); got != want {
			t.Errorf("format(%d) = %s, want %s", n, got, want)
		}
	}
	if got := format(1000360, false); got != "1000360" {
		t.Errorf("format without commas = %s", got)
	}
}

// root is a path from the repository's root.
func root(p string) string { return "../../" + p }
