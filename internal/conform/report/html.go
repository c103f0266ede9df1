package report

import (
	"crypto/sha256"
	_ "embed" // the report's template, style sheet and script
	"encoding/base64"
	"html/template"
	"io"
	"time"

	"github.com/standin/standin/internal/conform/engine"
)

// Run describes a conformance run for the HTML report's header: what was
// checked, with which seed, when and for how long, and the command line.
type Run struct {
	// Targets maps each checked API to its base URL.
	Targets map[string]string
	// Bundled says the target is the bundled mock, started in-process.
	Bundled bool
	// Seed and Examples drive the property-based checks (0: their
	// defaults).
	Seed     uint64
	Examples int
	// Started is when the run began; Duration how long it took.
	Started  time.Time
	Duration time.Duration
	// Command is the command line, program first; the report shows it
	// with credentials redacted (CommandLine). Empty: not shown.
	Command []string
}

var (
	//go:embed assets/report.html.tmpl
	htmlTemplate string
	//go:embed assets/report.css
	htmlStyle string
	//go:embed assets/report.js
	htmlScript string
)

// htmlReport is the self-contained HTML report (--html): one file, its
// style sheet and script inline, no request to anywhere; readable
// without the script (the results are in the page, failures first), which
// adds the filters, the search and the copy buttons.
var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"plus": func(a, b int) int { return a + b },
}).Parse(htmlTemplate))

// ContentSecurityPolicy is the policy the report's meta tag sets: nothing
// is loaded, inline style is allowed, and the one inline script runs by
// its hash, so markup from a server's answer could not run even if it
// escaped the template.
func ContentSecurityPolicy() string {
	sum := sha256.Sum256([]byte(htmlScript))
	return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

// WriteHTML writes the self-contained HTML report of a run: its header,
// failures first (grouped by API and check, each with its violations,
// requests and responses and a curl line per request), then skips with
// their reasons, the passes collapsed, and per API the counts and the
// coverage tables.
func WriteHTML(w io.Writer, run Run, results []engine.Result, cov []CoverageItem) error {
	p := buildPage(run, results, cov)
	p.CSP = ContentSecurityPolicy()
	return htmlReport.Execute(w, struct {
		page
		Style  template.CSS
		Script template.JS
	}{p, template.CSS(htmlStyle), template.JS(htmlScript)})
}
