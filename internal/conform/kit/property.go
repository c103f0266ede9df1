package kit

import (
	"flag"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform"
)

// The property-based checks drive pgregory.net/rapid outside `go test`:
// rapid.Check runs with propertyTB (which records what rapid reports), the
// seed and the number of examples come from the run's configuration
// (--seed, --examples), and a failing example is shrunk by rapid to the
// smallest request that still fails. The shrunk example's exchanges and
// violations become the step's, with a curl line that reproduces it.

// rapidFlags serialises the use of rapid's settings, which rapid keeps in
// its flags on flag.CommandLine (rapid.checks, rapid.seed).
var rapidFlags sync.Mutex

// shrinkTime bounds rapid's minimisation of one failure.
const shrinkTime = "20s"

// propertyTB is the testing.TB-like value rapid.Check reports to.
type propertyTB struct {
	name   string
	failed bool
	msgs   []string
}

func (p *propertyTB) Helper()                  {}
func (p *propertyTB) Name() string             { return p.name }
func (p *propertyTB) Logf(string, ...any)      {}
func (p *propertyTB) Log(...any)               {}
func (p *propertyTB) Skipf(f string, a ...any) { p.msgs = append(p.msgs, fmt.Sprintf(f, a...)) }
func (p *propertyTB) Skip(a ...any)            { p.msgs = append(p.msgs, fmt.Sprint(a...)) }
func (p *propertyTB) SkipNow()                 {}
func (p *propertyTB) Errorf(f string, a ...any) {
	p.failed = true
	p.msgs = append(p.msgs, fmt.Sprintf(f, a...))
}
func (p *propertyTB) Error(a ...any)            { p.failed = true; p.msgs = append(p.msgs, fmt.Sprint(a...)) }
func (p *propertyTB) Fatalf(f string, a ...any) { p.Errorf(f, a...) }
func (p *propertyTB) Fatal(a ...any)            { p.Error(a...) }
func (p *propertyTB) FailNow()                  { p.failed = true }
func (p *propertyTB) Fail()                     { p.failed = true }
func (p *propertyTB) Failed() bool              { return p.failed }

var _ rapid.TB = (*propertyTB)(nil)

var rapidSeedText = regexp.MustCompile(`-rapid\.seed=(\d+)`)

// example is what one generated example did: its exchanges and
// violations, and the curl line of its last request.
type example struct {
	exchanges  []Exchange
	violations []Violation
	curl       string
	desc       string
}

// RunProperty runs prop for the configured number of examples. prop
// sends its requests through the scratch T it is given and records
// violations there; an example with a violation fails and is shrunk. The
// shrunk example is reported on t: its request as a curl line, how to
// rerun it (--seed), and its violations.
func RunProperty(t *T, prop func(rt *rapid.T, st *T) string) {
	rapidFlags.Lock()
	defer rapidFlags.Unlock()
	if err := setRapidFlags(t.env.Config.Seed, t.env.Config.Examples); err != nil {
		t.Fatalf(InTheRun("property"), "cannot configure rapid: %v", err)
	}
	var first, last *example
	tb := &propertyTB{name: t.api.Name}
	rapid.Check(tb, func(rt *rapid.T) {
		st := &T{env: t.env, api: t.api}
		var desc string
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(stopSignal); !ok {
						panic(r)
					}
				}
			}()
			desc = prop(rt, st)
		}()
		if len(st.violations) == 0 {
			return
		}
		ex := &example{exchanges: st.exchanges, violations: st.violations, desc: desc}
		if n := len(st.exchanges); n > 0 {
			ex.curl = CurlLine(st.exchanges[n-1], st.lastRequest)
		}
		last = ex
		if first == nil {
			first = ex
		}
		rt.Fatalf("%s", st.violations[0])
	})
	if !tb.failed {
		return
	}
	if last == nil {
		t.Fatalf(InTheRun("property"), "rapid failed without a failing example: %s", strings.Join(tb.msgs, "; "))
	}
	seed := strconv.FormatUint(t.env.Config.Seed, 10)
	for _, m := range tb.msgs {
		if s := rapidSeedText.FindStringSubmatch(m); s != nil {
			seed = s[1]
		}
	}
	t.exchanges = last.exchanges
	msg := "shrunk failing example"
	if last.desc != "" {
		msg += " (" + last.desc
		if first.desc != last.desc {
			msg += "; the first failing example had " + first.desc
		}
		msg += ")"
	}
	t.Errorf(InTheRun("property"), "%s; rerun with --seed %s; reproduce with:\n    %s", msg, seed, last.curl)
	t.violations = append(t.violations, last.violations...)
}

// setRapidFlags sets rapid's number of checks and seed; outside `go test`
// it first gives testing its flags (rapid consults testing.Short).
func setRapidFlags(seed uint64, examples int) error {
	if flag.CommandLine.Lookup("test.short") == nil {
		testing.Init()
	}
	if !flag.Parsed() {
		if err := flag.CommandLine.Parse(nil); err != nil {
			return err
		}
	}
	if seed == 0 {
		seed = 1
	}
	if examples <= 0 {
		examples = conform.DefaultExamples
	}
	for k, v := range map[string]string{
		"rapid.checks":     strconv.Itoa(examples),
		"rapid.seed":       strconv.FormatUint(seed, 10),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": shrinkTime,
	} {
		if err := flag.CommandLine.Set(k, v); err != nil {
			return err
		}
	}
	return nil
}

// CurlLine renders an exchange as a curl command; the credential is
// $TOKEN (or $API_KEY) so the line is safe to share.
func CurlLine(ex Exchange, r Request) string {
	var b strings.Builder
	b.WriteString("curl -s")
	if ex.Method != "GET" {
		b.WriteString(" -X " + ex.Method)
	}
	for _, c := range r.Credentials.curlArgs() {
		b.WriteString(" " + c)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Header)) {
		v := r.Header[k]
		if SecretHeader(k) || r.Credentials.namesHeader(k) {
			v = "$TOKEN"
		}
		b.WriteString(" -H " + shellQuote(k+": "+v))
	}
	if r.Body != nil {
		b.WriteString(" -H " + shellQuote("Content-Type: "+r.Body.MediaType) + " -d " + shellQuote(string(r.Body.Data)))
	}
	b.WriteString(" " + shellQuote(strings.ReplaceAll(ex.URL, redactedValue, "$TOKEN")))
	return b.String()
}

// shellQuote quotes s for a POSIX shell (double quotes where it holds
// $TOKEN, single quotes otherwise).
func shellQuote(s string) string {
	if strings.Contains(s, "$TOKEN") {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`").Replace(s) + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
