package specinfer

// What a document describes that a mock does not serve: webhooks and
// callbacks (requests the API would send, not answer) and links (how a
// client may follow one answer with another request). Each is listed as a
// warning, so the start-up summary says what is left out.

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// noteUnserved warns about the document's webhooks, callbacks and links,
// and about a document without paths.
func noteUnserved(doc *openapi3.T, warn warnFunc) {
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		if len(doc.Webhooks) > 0 {
			warn(CodeUnserved, "the document has webhooks only (%d) and no paths: the API is started but serves no request", len(doc.Webhooks))
		} else {
			warn(CodeUnserved, "the document has no paths: the API is started but serves no request")
		}
	}
	for _, name := range sortedKeys(doc.Webhooks) {
		for _, m := range methodsOf(doc.Webhooks[name]) {
			warn(CodeUnserved, "webhook %s (%s) is not sent: the mock answers requests, it makes none", name, m)
		}
	}
	if doc.Paths == nil {
		return
	}
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		for _, m := range methodsOf(item) {
			o := item.GetOperation(m)
			for _, cb := range sortedKeys(o.Callbacks) {
				warn(CodeUnserved, "%s %s: callback %s is not sent: the mock answers requests, it makes none", m, p, cb)
			}
			if o.Responses == nil {
				continue
			}
			for _, st := range sortedKeys(o.Responses.Map()) {
				r := o.Responses.Value(st)
				if r == nil || r.Value == nil || len(r.Value.Links) == 0 {
					continue
				}
				warn(CodeUnserved, "%s %s: the links of its %s answer (%s) are not followed: the answer is served, the link is documentation",
					m, p, st, strings.Join(sortedKeys(r.Value.Links), ", "))
			}
		}
	}
}

// methodsOf are the methods of a path item's operations, in a fixed order.
func methodsOf(item *openapi3.PathItem) []string {
	if item == nil {
		return nil
	}
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace} {
		if item.GetOperation(m) != nil {
			out = append(out, m)
		}
	}
	return out
}

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
