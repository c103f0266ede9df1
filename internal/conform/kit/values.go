package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/model"
)

// UnknownValue returns a value no record has for a path parameter: a
// never-assigned uuid where ids are uuids, a made-up word otherwise.
func UnknownValue(sample string) string {
	if looksLikeUUID(sample) || sample == "" {
		return "00000000-0000-4000-8000-00000000dead"
	}
	return "standin-conform-unknown-0"
}

func looksLikeUUID(s string) bool {
	return len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-'
}

// ParamID finds a value for a path parameter: from the configuration, or
// read from the first list operation of the API (fields named like the
// parameter, or "id"). The second result explains a miss.
func ParamID(t *T, param string) (string, string) {
	if v := t.api.ID(param); v != "" {
		return v, ""
	}
	v := t.env.Remember(t.api.Name+"/param/"+param, func() string { return discover(t, param) })
	if v == "" {
		return "", fmt.Sprintf("no id for path parameter %q: none configured (ids.%s in conform.yaml) and none found through a list operation", param, param)
	}
	return v, ""
}

// discover reads a list operation (a GET without path parameters) and
// returns the first value of a field that fits param.
func discover(t *T, param string) string {
	for _, o := range t.api.Operations() {
		if o.Method != http.MethodGet || len(o.PathParams()) > 0 {
			continue
		}
		creds, why := t.api.CredentialsFor(o)
		if why != "" {
			continue
		}
		resp := t.Do(Request{Method: http.MethodGet, Path: o.Path + RequiredQuery(o), Credentials: creds})
		if resp.Status != http.StatusOK {
			continue
		}
		v, err := DecodeJSON(resp.Body)
		if err != nil {
			continue
		}
		for _, name := range model.ParamFields(param) {
			if s := firstField(v, name, 0); s != "" {
				return s
			}
		}
	}
	return ""
}

// firstField finds the first non-empty string or number under key name in
// records of a list (at the root or in an array member of an envelope).
func firstField(v any, name string, depth int) string {
	if depth > 3 {
		return ""
	}
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			if m, ok := item.(map[string]any); ok {
				switch f := m[name].(type) {
				case string:
					if f != "" {
						return f
					}
				case json.Number:
					return f.String()
				}
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if arr, ok := x[k].([]any); ok {
				if s := firstField(arr, name, depth+1); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// PathValues fills the operation's path parameters from given, the
// configuration or a list operation (ParamID); a parameter without a
// value skips the step.
func PathValues(t *T, o model.Operation, given map[string]string) map[string]string {
	values := map[string]string{}
	for _, p := range o.PathParams() {
		if v, ok := given[p]; ok {
			values[p] = v
			continue
		}
		v, why := ParamValue(t, o, p)
		if v == "" {
			t.Skip("%s", why)
		}
		values[p] = v
	}
	return values
}

// ParamValue is a value of one of the operation's path parameters: the
// key of its own list's first record (itemKey), else ParamID's. The
// second result explains a miss.
func ParamValue(t *T, o model.Operation, param string) (string, string) {
	if v := itemKey(t, o, param); v != "" {
		return v, ""
	}
	return ParamID(t, param)
}

// itemKey is, for the parameter that ends an item path (/collections/{id}),
// the key of the first record the list at its parent path (/collections)
// answers, where that list has a key field; "" otherwise, or where the
// configuration gives ids of the parameter. A parameter named id means
// another field in each collection (Directus keys its collections by
// collection): read from another list it named no record here.
func itemKey(t *T, o model.Operation, param string) string {
	parent, ok := strings.CutSuffix(o.Path, "/{"+param+"}")
	if !ok || t.api.ID(param) != "" {
		return ""
	}
	for _, l := range t.api.Lists() {
		if l.Op.Path != parent || l.Key == "" {
			continue
		}
		return t.env.Remember(t.api.Name+"/list-key/"+parent, func() string {
			creds, why := t.api.CredentialsFor(l.Op)
			if why != "" {
				return ""
			}
			resp := t.Do(Request{Method: http.MethodGet, Path: Target(l.Op, nil), Credentials: creds})
			if resp.Status != l.Op.SuccessStatus() {
				return ""
			}
			v, err := DecodeJSON(resp.Body)
			if err != nil {
				return ""
			}
			return firstField(v, l.Key, 0)
		})
	}
	return ""
}

// Canonical renders a JSON value canonically for comparisons.
func Canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// QueryValue renders a JSON value as a query parameter.
func QueryValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Canonical(v)
}

// At walks decoded JSON by keys and indexes.
func At(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// PathString renders a GraphQL path like data.accounts.nodes[3].
func PathString(prefix string, path ...any) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range path {
		switch k := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		default:
			fmt.Fprintf(&b, ".%v", k)
		}
	}
	return b.String()
}

// ToAny turns a path of names into the []any At and PathString take.
func ToAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// RecordID tells a record apart from the others of its list: its key
// field, or its whole content when the list has no key.
func RecordID(rec map[string]any, key string) string {
	if key == "" {
		return Canonical(rec)
	}
	return KeyOf(rec, key)
}

// KeyOf renders a record's identifying field.
func KeyOf(rec map[string]any, key string) string {
	if rec == nil {
		return "(null)"
	}
	switch v := rec[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return "(none)"
	default:
		return Canonical(v)
	}
}

// FirstDiff is the first index where a and b differ (len(a) when b
// starts with a).
func FirstDiff(a, b []string) int {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

// Elem is s[i], or "(end)" past its end.
func Elem(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(end)"
}
