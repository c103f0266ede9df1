package report

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standin/standin/internal/conform/kit"
)

// redacted is what the kit writes in place of a credential in the
// request headers an exchange keeps.
const redacted = "<redacted>"

// TokenPlaceholder stands in a curl line for every credential the report
// redacted: the user sets TOKEN before running the line.
const TokenPlaceholder = "$TOKEN"

// cutBody matches the end kit.Excerpt gives a body longer than a report
// keeps: "… (N bytes in all)".
var cutBody = regexp.MustCompile(`… \((\d+) bytes in all\)$`)

// curlSkip are request headers a curl line leaves to curl: the
// connection's own and those curl sets from the line itself.
var curlSkip = map[string]bool{
	"Host": true, "Content-Length": true, "Connection": true, "Transfer-Encoding": true,
	"Accept-Encoding": true, "Te": true, "Trailer": true, "Upgrade": true, "Expect": true,
}

// Curl is the curl command line that sends an exchange's request again,
// for a POSIX shell, and notes on what it does not reproduce.
type Curl struct {
	Line string
	// Token says the line holds TokenPlaceholder for a redacted
	// credential.
	Token bool
	Notes []string
}

// CurlLine renders the request of an exchange as a curl command line:
// method, URL, the request headers the exchange kept (each redacted
// credential as $TOKEN, in double quotes so the shell expands it) and the
// body. What it cannot reproduce (a body the report cut, a binary body)
// is said in the notes.
func CurlLine(ex kit.Exchange) Curl {
	var c Curl
	parts := []string{"curl", "-sS", "-i"}
	body := ex.RequestBody
	if m := cutBody.FindStringSubmatchIndex(body); m != nil {
		n, _ := strconv.Atoi(body[m[2]:m[3]])
		body = body[:m[0]]
		c.Notes = append(c.Notes, "the request body was "+strconv.Itoa(n)+" bytes and the report keeps the first "+strconv.Itoa(len(body))+": the line sends those only")
	}
	switch {
	case ex.Method == http.MethodHead:
		parts = append(parts, "--head")
	case ex.Method != http.MethodGet || body != "":
		parts = append(parts, "-X", shellQuote(ex.Method))
	}
	parts = append(parts, shellQuote(ex.URL))
	for _, k := range slices.Sorted(maps.Keys(ex.RequestHeaders)) {
		if curlSkip[http.CanonicalHeaderKey(k)] {
			continue
		}
		v := ex.RequestHeaders[k]
		if strings.Contains(v, redacted) {
			c.Token = true
			parts = append(parts, "-H", withToken(k+": "+v))
			continue
		}
		parts = append(parts, "-H", shellQuote(k+": "+v))
	}
	switch {
	case body == "":
	case !utf8.ValidString(body):
		c.Notes = append(c.Notes, "the request body is binary and is left out")
	default:
		parts = append(parts, "--data-raw", shellQuote(body))
	}
	c.Line = strings.Join(parts, " ")
	return c
}

// withToken quotes s for a POSIX shell in double quotes, each redacted
// credential replaced by $TOKEN (expanded by the shell) and every other
// character taken literally.
func withToken(s string) string {
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	pieces := strings.Split(s, redacted)
	for i, p := range pieces {
		pieces[i] = esc.Replace(p)
	}
	return `"` + strings.Join(pieces, TokenPlaceholder) + `"`
}

// shellQuote quotes s for a POSIX shell: as is when it is made of safe
// characters only, else in single quotes (a quote inside is closed,
// escaped with a backslash and reopened).
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
