package rest

import (
	"io"
	"strings"
	"testing"
)

// TestImpossibleDates: a date or date-time a calendar does not have is
// refused (400, the API's shape, the pointer or parameter named) in a body,
// a query parameter and a path parameter; leap days, month ends and leap
// seconds (23:59:60 UTC at a month's end, RFC 3339) are accepted.
func TestImpossibleDates(t *testing.T) {
	f := loadAPI(t, "events")
	body := func(day, at string) string {
		return `{"title":"x","day":"` + day + `","at":"` + at + `"}`
	}
	const ok = "2024-01-31T10:00:00Z"
	tests := []struct {
		name   string
		c      call
		status int
		has    string
	}{
		{"body: leap day", call{method: "POST", target: "/events", body: body("2024-02-29", ok)}, 201, `"day":"2024-02-29"`},
		{"body: not a leap year", call{method: "POST", target: "/events", body: body("2023-02-29", ok)}, 400,
			`request body at /day: string doesn't match the format \"date\" (February 2023 has 28 days, not 29)`},
		{"body: February 30", call{method: "POST", target: "/events", body: body("2023-02-30", ok)}, 400, `request body at /day`},
		{"body: April 31", call{method: "POST", target: "/events", body: body("2023-04-31", ok)}, 400, `April 2023 has 30 days, not 31`},
		{"body: month end", call{method: "POST", target: "/events", body: body("2023-04-30", "2023-04-30T23:59:59.999+02:00")}, 201, `"at":"2023-04-30T23:59:59.999+02:00"`},
		{"body: date-time on February 30", call{method: "POST", target: "/events", body: body("2023-03-01", "2023-02-30T10:00:00Z")}, 400,
			`request body at /at: string doesn't match the format \"date-time\" (February 2023 has 28 days, not 30)`},
		{"body: 24:00", call{method: "POST", target: "/events", body: body("2023-03-01", "2023-03-01T24:00:00Z")}, 400, `hour 24 is out of range`},
		{"body: leap second", call{method: "POST", target: "/events", body: body("2016-12-31", "2016-12-31T23:59:60Z")}, 201, `"at":"2016-12-31T23:59:60Z"`},
		{"body: leap second in a zone", call{method: "POST", target: "/events", body: body("1990-12-31", "1990-12-31T15:59:60-08:00")}, 201, `15:59:60-08:00`},
		{"body: second 60 mid-month", call{method: "POST", target: "/events", body: body("2023-03-01", "2023-03-15T12:00:60Z")}, 400, `second 60 is a leap second`},
		{"replace: impossible", call{method: "PUT", target: "/events/0f8e3c52-6a1d-4b7e-9c3f-2d5a8b1e4f60", body: body("2023-02-30", ok)}, 400, `request body at /day`},
		{"patch: impossible", call{method: "PATCH", target: "/events/0f8e3c52-6a1d-4b7e-9c3f-2d5a8b1e4f60", body: `{"at":"2023-11-31T00:00:00Z"}`}, 400,
			`request body at /at: string doesn't match the format \"date-time\" (November 2023 has 30 days, not 31)`},
		{"query: leap day", call{method: "GET", target: "/events?day=2024-02-29"}, 200, `Leap day party`},
		{"query: not a leap year", call{method: "GET", target: "/events?day=2023-02-29"}, 400,
			`parameter \"day\" in query: string doesn't match the format \"date\" (February 2023 has 28 days, not 29)`},
		{"query: date-time", call{method: "GET", target: "/events?after=2023-02-28T23:59:59Z"}, 200, `New year`},
		{"query: impossible date-time", call{method: "GET", target: "/events?after=2023-06-31T00:00:00Z"}, 400, `June 2023 has 30 days, not 31`},
		{"path: month end", call{method: "GET", target: "/days/2023-12-31"}, 200, `"day"`},
		{"path: impossible", call{method: "GET", target: "/days/2023-09-31"}, 400, `parameter \"day\" in path`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, tc.c)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.has) {
				t.Errorf("%s %s: %d %s\nwant %d with %s", tc.c.method, tc.c.target, resp.StatusCode, b, tc.status, tc.has)
			}
			if tc.status == 400 && !strings.Contains(string(b), `"code":400`) {
				t.Errorf("not the API's error shape: %s", b)
			}
		})
	}
}
