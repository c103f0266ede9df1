package specinfer

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Regression: an object answer with one array of objects was read as a
// list's envelope whatever the object was. Dialogporten documents GET
// /dialogs/{dialogId}/transmissions as one transmission, whose one array
// is its attachments: the list was bound with the envelope
// {attachments: {{items}}}, so transmissions were answered where the
// schema wants attachments (and, once that was not a list, the GET was
// bound as a lookup of the dialog). An object that has the item record's
// key and whose array is an array field of the item record too is one
// record: the paths are not a collection and answer from the document.
// A true envelope (orders, whose records have items of their own) stays
// one.
func TestObjectAnswerThatIsARecord(t *testing.T) {
	in, err := OpenAPI("record-lists", os.DirFS("testdata"), "record-lists.yaml", Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ops := in.API.REST.Operations
	for _, id := range []string{"searchTransmissions", "createTransmission", "getTransmission"} {
		if b, ok := ops[id]; ok {
			t.Errorf("%s is bound (%s of %s, envelope %v); the document answers it, not a collection", id, b.Action, b.Collection, b.Envelope)
		}
	}
	want := "GET /dialogs/{dialogId}/transmissions answers one record, not a list"
	if all := strings.Join(messages(in.Diagnostics), "\n"); !strings.Contains(all, want) {
		t.Errorf("warnings lack %q:\n%s", want, all)
	}
	list := ops["listOrders"]
	if list.Collection != "orders" || list.Action != "list" {
		t.Fatalf("listOrders = %+v, want the list of orders", list)
	}
	if env, _ := list.Envelope.(map[string]any); env["items"] != "{{items}}" || env["total"] != "{{page.totalElements}}" {
		t.Errorf("listOrders envelope = %v, want the orders in items and their count in total", list.Envelope)
	}
	if b := ops["getDialog"]; b.Collection != "dialogs" || b.Action != "get" {
		t.Errorf("getDialog = %+v", b)
	}
}

// Regression: an item answer that wraps the record in one object field
// was taken for the record. Directus answers GET /presets/{id} with
// {"data": Presets}: the record schema was the wrapper, which has no field
// for the path parameter, so /presets was no collection ("no record field
// for the path parameter "id" (want a property "id" or "id")") and every
// write answered an example record. The wrapper is seen through when the
// record and its key are looked for, the writes are bound, and their
// answers are wrapped as the document says (a PATCH answering
// {"data": {"type": "object"}} too). Ideal Postcodes wraps lists one
// object down ({"result": {"configs": [...]}, "code": 2000}), keys configs
// by their name and answers a delete with a constant. The item answer's
// example is unwrapped too.
func TestWrappedRecords(t *testing.T) {
	in, err := OpenAPI("wrapped", os.DirFS("testdata"), "wrapped.yaml", Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, m := range messages(in.Diagnostics) {
		// /fields/{collection} is the list of fields, not an item: nothing
		// lists collections of fields
		if (strings.Contains(m, "not a collection") || strings.Contains(m, "answers from the spec")) && !strings.Contains(m, "/fields/{collection} is not a collection: there is no path /fields") {
			left = append(left, m)
		}
	}
	if len(left) > 0 {
		t.Errorf("paths left unserved:\n%s", strings.Join(left, "\n"))
	}
	keys := map[string]string{}
	for _, c := range in.API.Collections {
		keys[c.Name] = c.Unique[0]
	}
	// Directus' fields: listed under a collection ({"data": [Field]}, no
	// scalar of its own beside the list, though its path ends in a
	// parameter) and named by the path's noun (/fields/{collection}/{id}:
	// field)
	for col, key := range map[string]string{"presets": "id", "users": "id", "collections": "collection", "configs": "name", "fields": "field"} {
		if keys[col] != key {
			t.Errorf("collection %s keyed by %q, want %q (collections: %v)", col, keys[col], key, keys)
		}
	}
	data := map[string]any{"data": "{{item}}"}
	result := map[string]any{"result": "{{item}}", "code": 2000.0, "message": "Success"}
	want := []struct {
		id, col, action string
		envelope        any
	}{
		{"createPreset", "presets", "create", data},
		{"getPreset", "presets", "get", data},
		{"updatePreset", "presets", "patch", data},
		{"deletePreset", "presets", "delete", nil},
		{"getPresets", "presets", "list", map[string]any{"data": "{{items}}", "meta": map[string]any{"total_count": "{{page.totalElements}}"}}},
		{"updateUser", "users", "patch", data},
		{"getCollection", "collections", "get", data},
		{"CreateConfig", "configs", "create", result},
		{"RetrieveConfig", "configs", "get", result},
		{"ListConfigs", "configs", "list", map[string]any{"result": map[string]any{"configs": "{{items}}", "hasMore": false}, "code": 2000.0, "message": "Success"}},
	}
	ops := in.API.REST.Operations
	for _, w := range want {
		b, ok := ops[w.id]
		if !ok {
			t.Errorf("%s is not bound", w.id)
			continue
		}
		if b.Collection != w.col || b.Action != w.action {
			t.Errorf("%s = %s of %s, want %s of %s", w.id, b.Action, b.Collection, w.action, w.col)
		}
		if got, _ := json.Marshal(b.Envelope); string(got) != string(mustJSON(t, w.envelope)) {
			t.Errorf("%s envelope = %s, want %s", w.id, got, mustJSON(t, w.envelope))
		}
	}
	del := ops["DeleteConfig"]
	if got, _ := json.Marshal(del.Answer); del.Action != "delete" || string(got) != `{"code":2000,"message":"Success","result":{"deleted":1}}` {
		t.Errorf("DeleteConfig = %s answering %s, want a delete answering the documented constant", del.Action, got)
	}
	// the item answer's example is a record once unwrapped
	if got := string(in.Fixtures["wrapped/presets.json"]); !strings.Contains(got, `"bookmark": "from the item example"`) || strings.Contains(got, `"data"`) {
		t.Errorf("presets fixtures = %s, want the record of the item answer's example", got)
	}
	if got, _ := json.Marshal(in.API.Errors[404].Body); string(got) != `{"errors":[{"extensions":{"code":"{{code}}"},"message":"{{message}}"}]}` {
		t.Errorf("404 body = %s, want Directus' array of errors", got)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Regression: a field that only wraps its type in allOf (ShipEngine's
// batch_id: allOf: [se_id]; href: allOf: [url]) was read as an object: its
// key rule was a UUID (the part's pattern unseen), an envelope's href was
// answered as {}, and a relaxed closed node's placeholder ({}) won over
// the part's schema when properties were merged. A cycle of allOf parts
// ends.
func TestScalarInAllOf(t *testing.T) {
	maxLen := uint64(25)
	seID := &openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: `^se(-[a-z0-9]+)+$`, MaxLength: &maxLen}
	wrapped := &openapi3.Schema{ReadOnly: true, AllOf: openapi3.SchemaRefs{{Value: seID}}}
	twice := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: wrapped}}}
	a, b := &openapi3.Schema{}, &openapi3.Schema{}
	a.AllOf = openapi3.SchemaRefs{{Value: b}}
	b.AllOf = openapi3.SchemaRefs{{Value: a}}
	obj := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: &openapi3.Schema{Properties: openapi3.Schemas{"x": {Value: seID}}}}}}
	for _, tt := range []struct {
		name string
		s    *openapi3.Schema
		want string
	}{
		{"wrapped string", wrapped, "string"},
		{"wrapped twice", twice, "string"},
		{"allOf of fields", obj, "object"},
		{"allOf cycle", a, "object"},
	} {
		if got := mainType(tt.s); got != tt.want {
			t.Errorf("%s: mainType = %q, want %q", tt.name, got, tt.want)
		}
	}
	ks := keySchema(twice, seID)
	if ks.Pattern != seID.Pattern || ks.MaxLength == nil || *ks.MaxLength != 25 {
		t.Errorf("keySchema = %+v, want the part's pattern and maxLength", ks)
	}
	rule, _ := keyRule(ks, nil, "batch_id")
	want := map[string]any{"regex": map[string]any{"pattern": seID.Pattern, "maxLength": uint64(25)}}
	if !reflect.DeepEqual(rule, want) {
		t.Errorf("keyRule = %v, want %v", rule, want)
	}
	placeholder := &openapi3.SchemaRef{Value: &openapi3.Schema{}}
	if !saysMore(&openapi3.SchemaRef{Value: wrapped}, placeholder) || saysMore(placeholder, &openapi3.SchemaRef{Value: wrapped}) {
		t.Error("saysMore: allOf: [se_id] must say more than {}")
	}
}
