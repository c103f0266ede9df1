package report

import (
	"html/template"
	"io"
	"time"

	"github.com/standin/standin/internal/conform/engine"
)

// htmlReport is the self-contained HTML report (--html): no script, no
// external style sheet, readable offline in any browser.
var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"mark": func(ok bool) string {
		if ok {
			return "✓"
		}
		return "✗"
	},
	"skipped": func(s APISummary) int { return s.SkippedCount() },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Standin conformance report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em; color: #1d1d1f; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { text-align: left; padding: .25em .6em; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f5f5f7; }
.pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: 600; } .skip { color: #9a6700; }
.yes { color: #1a7f37; } .no { color: #cf222e; }
pre { background: #f6f8fa; padding: .6em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
details summary { cursor: pointer; }
.totals span { margin-right: 1.5em; font-size: 1.1em; }
</style>
</head>
<body>
<h1>Standin conformance report</h1>
<p>{{.When}}</p>
<p class="totals"><span>{{len .Results}} specs</span><span class="pass">{{.Passed}} passed</span><span class="fail">{{.Failed}} failed</span><span class="skip">{{.Skipped}} skipped</span></p>

<h2>By API</h2>
<table>
<tr><th>API</th><th>passed</th><th>failed</th><th>skipped</th><th>why skipped</th></tr>
{{range .Summaries}}<tr><td>{{.API}}</td><td class="pass">{{.Passed}}</td><td class="fail">{{.Failed}}</td><td class="skip">{{skipped .}}</td>
<td>{{range $reason, $n := .Skipped}}{{$n}} × {{$reason}}<br>{{end}}</td></tr>
{{end}}</table>

<h2>Results</h2>
<table>
<tr><th>status</th><th>API</th><th>check</th><th>operation</th><th>spec</th></tr>
{{range .Results}}<tr>
<td class="{{.Status}}">{{.Status}}</td><td>{{.API}}</td><td>{{.Check}}</td><td>{{.Operation}}</td>
<td>{{.Name}}{{if .SkipReason}}<br><span class="skip">skipped: {{.SkipReason}}</span>{{end}}
{{if .Violations}}<ul>{{range .Violations}}<li><code>{{.Where}}</code>: <pre>{{.Message}}</pre></li>{{end}}</ul>{{end}}
{{if .Exchanges}}<details><summary>{{len .Exchanges}} exchanges</summary>{{range .Exchanges}}<pre>{{.Method}} {{.URL}}
{{range $k, $v := .RequestHeaders}}{{$k}}: {{$v}}
{{end}}{{.RequestBody}}
→ {{.Status}} {{.Error}}
{{range $k, $v := .ResponseHeaders}}{{$k}}: {{$v}}
{{end}}{{.Body}}</pre>{{end}}</details>{{end}}
</td></tr>
{{end}}</table>

<h2>Coverage</h2>
<table>
<tr><th>API</th><th>operation or type</th><th>status, field or argument</th><th>exercised</th></tr>
{{range .Coverage}}<tr><td>{{.API}}</td><td>{{.Group}}</td><td>{{.Item}}</td><td class="{{if .Exercised}}yes{{else}}no{{end}}">{{mark .Exercised}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// WriteHTML writes the self-contained HTML report of a run.
func WriteHTML(w io.Writer, results []engine.Result, cov []CoverageItem) error {
	p, f, s := engine.Counts(results)
	return htmlReport.Execute(w, map[string]any{
		"When":      time.Now().UTC().Format(time.RFC1123),
		"Results":   results,
		"Passed":    p,
		"Failed":    f,
		"Skipped":   s,
		"Summaries": Summaries(results),
		"Coverage":  cov,
	})
}
