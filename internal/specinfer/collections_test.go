package specinfer

import (
	"os"
	"strings"
	"testing"
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
