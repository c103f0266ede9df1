package rest

import (
	"github.com/standin/standin/internal/contract/jsonptr"

	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// slot is what an envelope placeholder stands for.
type slot uint8

const (
	slotItem slot = iota
	slotItems
	slotLinks
	slotSize
	slotNumber
	slotTotalElements
	slotTotalPages
	numSlots
)

// placeholders maps the envelope placeholders to their slots.
var placeholders = map[string]slot{
	"item":               slotItem,
	"items":              slotItems,
	"links":              slotLinks,
	"page.size":          slotSize,
	"page.number":        slotNumber,
	"page.totalElements": slotTotalElements,
	"page.totalPages":    slotTotalPages,
}

func (s slot) String() string {
	for name, v := range placeholders {
		if v == s {
			return `"{{` + name + `}}"`
		}
	}
	return "{{?}}"
}

// envelope is the encoded envelope template cut at its placeholders:
// parts[i] precedes slots[i]; the last part ends the body.
type envelope struct {
	parts [][]byte
	slots []slot
	uses  uint32 // bit per slot
}

func (env *envelope) has(s slot) bool { return env.uses&(1<<s) != 0 }

// sentinelPrefix marks a placeholder inside the encoded template; the slot
// number follows, then sentinelEnd. NUL never appears unescaped in JSON and
// compileEnvelope refuses it in the template's strings.
const (
	sentinelPrefix = "\x00standin:"
	sentinelEnd    = "\x00"
)

// compileEnvelope encodes an envelope template once, cut at its
// placeholders. A string that is exactly one known placeholder (spaces
// allowed inside the braces and around) becomes a slot; any other "{{" is
// an error, so a typo in a user's manifest fails at start-up.
func compileEnvelope(tmpl any) (envelope, error) {
	if tmpl == nil {
		return envelope{}, nil
	}
	var errs []string
	var uses uint32
	var subst func(v any, at string) any
	subst = func(v any, at string) any {
		switch t := v.(type) {
		case string:
			s := strings.TrimSpace(t)
			if strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}") && strings.Count(s, "{{") == 1 {
				name := strings.TrimSpace(s[2 : len(s)-2])
				if sl, ok := placeholders[name]; ok {
					uses |= 1 << sl
					return sentinelPrefix + strconv.Itoa(int(sl)) + sentinelEnd
				}
				errs = append(errs, fmt.Sprintf("at /%s: unknown placeholder %q (known: %s)", at, t, knownPlaceholders()))
				return t
			}
			if strings.Contains(t, "{{") {
				errs = append(errs, fmt.Sprintf("at /%s: %q: a placeholder must be the whole string", at, t))
			}
			if strings.Contains(t, "\x00") {
				errs = append(errs, fmt.Sprintf("at /%s: NUL in a string", at))
			}
			return t
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, x := range t {
				out[k] = subst(x, path(at, k))
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, x := range t {
				out[i] = subst(x, path(at, strconv.Itoa(i)))
			}
			return out
		}
		return v
	}
	enc := appendJSON(nil, subst(tmpl, ""))
	if len(errs) > 0 {
		sort.Strings(errs)
		return envelope{}, fmt.Errorf("envelope: %s", strings.Join(errs, "; "))
	}
	if uses&(1<<slotItem|1<<slotItems) == 0 {
		return envelope{}, fmt.Errorf("envelope %s has no \"{{items}}\" or \"{{item}}\"", enc)
	}
	// appendString escapes NUL as \u0000; cut the encoding at each marker.
	open := string(appendString(nil, sentinelPrefix))
	open = open[:len(open)-1] // without the closing quote
	closing := string(appendString(nil, sentinelEnd))[1:]
	env := envelope{uses: uses}
	rest := string(enc)
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+len(open):], closing)
		if j < 0 {
			return envelope{}, fmt.Errorf("envelope %s: internal marker broken", enc)
		}
		n, err := strconv.Atoi(rest[i+len(open) : i+len(open)+j])
		if err != nil || n < 0 || n >= int(numSlots) {
			return envelope{}, fmt.Errorf("envelope %s: internal marker broken", enc)
		}
		env.parts = append(env.parts, []byte(rest[:i]))
		env.slots = append(env.slots, slot(n))
		rest = rest[i+len(open)+j+len(closing):]
	}
	env.parts = append(env.parts, []byte(rest))
	return env, nil
}

func path(at, k string) string {
	k = jsonptr.Token(k)
	if at == "" {
		return k
	}
	return at + "/" + k
}

func knownPlaceholders() string {
	names := make([]string, 0, len(placeholders))
	for n := range placeholders {
		names = append(names, "{{"+n+"}}")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (env *envelope) size() int {
	n := 0
	for _, p := range env.parts {
		n += len(p)
	}
	return n
}

// wrap appends the envelope with fill's output in place of each
// placeholder; without an envelope it appends fill's output for result.
func (env *envelope) wrap(b []byte, result slot, fill func([]byte, slot) []byte) []byte {
	if len(env.parts) == 0 {
		return fill(b, result)
	}
	for i, p := range env.parts {
		b = append(b, p...)
		if i < len(env.slots) {
			b = fill(b, env.slots[i])
		}
	}
	return b
}

func totalPages(total, size int) int {
	if size <= 0 {
		if total > 0 && size < 0 {
			return 1
		}
		return 0
	}
	return (total + size - 1) / size
}

// links appends the JSON array of the page's links: "self" always, then
// "next" and "prev" when such a page exists (a page index below
// totalPages; offset style: records remain after, or lie before, the
// page). Each href is the request's path with the paging parameters first,
// then the request's other query parameters as sent.
func (op *operation) links(b []byte, r *http.Request, lr *listRequest, total int) []byte {
	pr := op.pager
	var others []string
	if r.URL.RawQuery != "" {
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, _, _ := strings.Cut(kv, "=")
			if dk, err := url.QueryUnescape(k); err == nil && (dk == pr.first || dk == pr.size) {
				continue
			}
			others = append(others, kv)
		}
	}
	reqPath := r.URL.EscapedPath()
	link := func(b []byte, rel string, first int) []byte {
		var sb strings.Builder
		sb.WriteString(reqPath)
		sep := byte('?')
		add := func(s string) {
			sb.WriteByte(sep)
			sep = '&'
			sb.WriteString(s)
		}
		if pr.first != "" {
			add(url.QueryEscape(pr.first) + "=" + strconv.Itoa(first))
		}
		if pr.size != "" && lr.size >= 0 {
			add(url.QueryEscape(pr.size) + "=" + strconv.Itoa(lr.size))
		}
		for _, o := range others {
			add(o)
		}
		b = append(b, `{"href":`...)
		b = appendString(b, sb.String())
		b = append(b, `,"rel":`...)
		b = appendString(b, rel)
		return append(b, '}')
	}
	b = append(b, '[')
	if pr.page {
		pages := totalPages(total, lr.size)
		at := lr.number - pr.pageMin // the page's place, from 0
		b = link(b, "self", lr.number)
		if at+1 < pages {
			b = link(append(b, ','), "next", lr.number+1)
		}
		if at > 0 && at-1 < pages {
			b = link(append(b, ','), "prev", lr.number-1)
		}
	} else {
		b = link(b, "self", lr.offset)
		if lr.limit > 0 && lr.offset+lr.limit < total {
			b = link(append(b, ','), "next", lr.offset+lr.limit)
		}
		if lr.offset > 0 && lr.limit > 0 {
			if prev := max(lr.offset-lr.limit, 0); prev < total {
				b = link(append(b, ','), "prev", prev)
			}
		}
	}
	return append(b, ']')
}
