package rest

import (
	"io"
	"strings"
	"testing"
)

// TestUUIDKeysWithoutCase: over REST, one UUID is one record whatever the
// case it is sent in: created from an upper-case id it is stored and
// answered in lower case, its twin is 409, and get, replace, patch and
// delete find it by either spelling.
func TestUUIDKeysWithoutCase(t *testing.T) {
	f := loadAPI(t, "events")
	const id = "5d0e9c3a-8f1b-4c2d-9e7f-a1b2c3d4e5f6"
	up := strings.ToUpper(id)
	leap := "0F8E3C52-6A1D-4B7E-9C3F-2D5A8B1E4F60" // a fixture's id in upper case
	steps := []struct {
		name   string
		c      call
		status int
		has    string
	}{
		{"create with an upper-case id", call{method: "POST", target: "/events", body: `{"id":"` + up + `","title":"Launch","day":"2024-03-01"}`}, 201, `"id":"` + id + `"`},
		{"its upper-case twin is taken", call{method: "POST", target: "/events", body: `{"id":"` + up + `","title":"Twin","day":"2024-03-01"}`}, 409, `"code":409`},
		{"its lower-case twin is taken", call{method: "POST", target: "/events", body: `{"id":"` + id + `","title":"Twin","day":"2024-03-01"}`}, 409, `"code":409`},
		{"a fixture's upper-case twin is taken", call{method: "POST", target: "/events", body: `{"id":"` + leap + `","title":"Twin","day":"2024-03-01"}`}, 409, `"code":409`},
		{"get lower", call{method: "GET", target: "/events/" + id}, 200, `"title":"Launch"`},
		{"get upper", call{method: "GET", target: "/events/" + up}, 200, `"id":"` + id + `"`},
		{"get mixed", call{method: "GET", target: "/events/5D0E9c3a-8f1b-4C2D-9e7f-A1b2c3d4e5f6"}, 200, `"title":"Launch"`},
		{"replace by upper, the body's id upper too", call{method: "PUT", target: "/events/" + up, body: `{"id":"` + up + `","title":"Relaunch","day":"2024-03-02"}`}, 200, `"id":"` + id + `"`},
		{"replaced", call{method: "GET", target: "/events/" + id}, 200, `"title":"Relaunch"`},
		{"patch by upper", call{method: "PATCH", target: "/events/" + up, body: `{"title":"Patched"}`}, 200, `"title":"Patched"`},
		{"list holds it once", call{method: "GET", target: "/events?day=2024-03-02"}, 200, `[{"day":"2024-03-02","id":"` + id + `","title":"Patched"}]`},
		{"delete by upper", call{method: "DELETE", target: "/events/" + up}, 204, ""},
		{"gone in either case", call{method: "GET", target: "/events/" + id}, 404, `"code":404`},
		{"a fixture by upper", call{method: "GET", target: "/events/" + leap}, 200, `"title":"Leap day party"`},
	}
	for _, st := range steps {
		resp := f.do(t, st.c)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != st.status || !strings.Contains(string(b), st.has) {
			t.Fatalf("%s: %s %s = %d %s\nwant %d with %s", st.name, st.c.method, st.c.target, resp.StatusCode, b, st.status, st.has)
		}
		if loc := resp.Header.Get("Location"); loc != "" && loc != "/events/"+id {
			t.Errorf("%s: Location %s, want the lower-case id", st.name, loc)
		}
	}
	if n, _ := f.st.Len("events.events"); n != 2 {
		t.Errorf("%d records, want the two fixtures", n)
	}
}
