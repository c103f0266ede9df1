package control

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standin/standin/internal/journal"
)

// curl serves GET /__standin/requests/{seq}/curl[?requestId=ID]: a curl
// command line that sends the journal entry numbered seq (its "seq") again
// to this server, as {"seq", "curl", "notes"}. A credential that is one of
// the mock's own tokens (Options.KnownToken) is copied as sent, since those
// are fixtures; any other secret header, and secret query values, are cut
// as the journal shows them. The body is the one the journal kept
// (journalBodies: true); notes say what the line could not reproduce. With
// requestId the entry must also carry that request id, so that a number
// seen in another replica's journal (--state) never names another request.
func (h *handler) curl(w http.ResponseWriter, r *http.Request, vars map[string]string) {
	q := r.URL.Query()
	for k := range q {
		if k != "requestId" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q; parameters: requestId", k))
			return
		}
	}
	seq, err := strconv.ParseUint(vars["seq"], 10, 64)
	if err != nil || seq == 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%q is not a journal entry number: use the entry's \"seq\" from GET %s/requests", vars["seq"], Prefix))
		return
	}
	j := h.b.Journal()
	var e journal.Entry
	ok := false
	if j != nil {
		e, ok = j.Get(seq)
	}
	if ok && q.Has("requestId") && e.RequestID != q.Get("requestId") {
		ok = false
	}
	if !ok {
		keeps := 0
		if j != nil {
			keeps = j.Cap()
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("request %d is not in this server's journal (it keeps the last %d requests it served)", seq, keeps))
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	line, notes := curlLine(scheme+"://"+r.Host, e, h.opts.KnownToken)
	writeJSON(w, http.StatusOK, map[string]any{"seq": seq, "curl": line, "notes": notes})
}

// curlSkip are request headers a curl line leaves to curl: the connection's
// own and those curl sets from the line itself.
var curlSkip = map[string]bool{
	"Host": true, "Content-Length": true, "Connection": true, "Keep-Alive": true, "Transfer-Encoding": true,
	"Te": true, "Trailer": true, "Upgrade": true, "Proxy-Connection": true, "Expect": true, "Accept-Encoding": true,
}

// curlLine builds the command line that sends e to base (scheme://host),
// for a POSIX shell, and notes on what it does not reproduce.
func curlLine(base string, e journal.Entry, known func(string) bool) (string, []string) {
	notes := []string{}
	var hdr, raw http.Header
	switch {
	case e.Heads != "":
		hdr, raw = e.Heads.ReplayHeaders(known), e.Heads.Request()
	case e.Request != nil:
		hdr, raw = e.Request.Headers, e.Request.Headers
		notes = append(notes, "the headers are the journal's, secrets cut")
	default:
		notes = append(notes, "the journal kept no headers of this request")
	}
	var parts []string
	add := func(s ...string) { parts = append(parts, s...) }
	add("curl")
	var body []byte
	kept := e.Request != nil && !e.Request.BodyNotKept
	if kept {
		body = e.Request.Redacted().Body // secrets in a body stay cut
	}
	switch {
	case e.Method == http.MethodHead:
		add("--head")
	case e.Method != http.MethodGet || len(body) > 0:
		add("-X", shellQuote(e.Method))
	}
	u := base + (&url.URL{Path: e.Path}).EscapedPath()
	if e.Query != "" {
		rq := journal.RedactQuery(e.Query)
		if rq != e.Query {
			notes = append(notes, "query values that look like secrets are cut as in the journal")
		}
		u += "?" + rq
	}
	add(shellQuote(u))
	names := make([]string, 0, len(hdr))
	for k := range hdr {
		if !curlSkip[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		for i, v := range hdr[k] {
			if i < len(raw[k]) && raw[k][i] != v {
				notes = append(notes, fmt.Sprintf("%s is not one of the mock's tokens: cut as in the journal", k))
			}
			add("-H", shellQuote(k+": "+v))
		}
	}
	// net/http keeps Content-Length in the headers but not a chunked
	// Transfer-Encoding: a write without a length sent a body too.
	cl := raw.Get("Content-Length")
	sent := (cl != "" && cl != "0") || (cl == "" && (e.Method == http.MethodPost || e.Method == http.MethodPut || e.Method == http.MethodPatch))
	switch {
	case !kept && sent:
		notes = append(notes, "the request's body was not kept: start the mock with journalBodies: true in its configuration file to replay bodies")
	case len(body) > 0 && !utf8.Valid(body):
		notes = append(notes, "the request's body is binary and is left out")
	case len(body) > 0:
		add("--data-raw", shellQuote(string(body)))
		if e.Request.Truncated {
			notes = append(notes, fmt.Sprintf("the body was cut at the %d bytes the journal keeps", len(body)))
		}
	}
	return strings.Join(parts, " "), notes
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
