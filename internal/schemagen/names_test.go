package schemagen

import "testing"

// TestKindByName: the kind of value a field's name asks for. ShipEngine's
// addresses (city_locality, state_province, address_line1..3) were answered
// with random words ("her", "leisure", "Lincolnian"), GitHub's
// mergeable_state with "Victorian".
func TestKindByName(t *testing.T) {
	for _, tt := range []struct{ name, col, want string }{
		{"email", "", "email"},
		{"created_at", "", "timestamp"},
		{"city", "", "city"},
		{"city_locality", "", "city"},
		{"state_province", "", "state"},
		{"province", "", "state"},
		{"state", "", "stateWord"},
		{"state", "addresses", "state"},
		{"address_line1", "", "street"},
		{"address_line2", "", "street"},
		{"addressLine3", "", "street"},
		{"postal_code", "", "zip"},
		{"country_code", "", "countryCode"},
		{"company_name", "", "company"},
		{"name", "pets", "petName"},
		{"ethnicity", "", "word"},
		{"mergeable_state", "", "stateWord"},
		{"processing_status", "", "statusWord"},
		{"paymentStatus", "", "statusWord"},
		{"real_estate", "", "word"},
	} {
		if got := Kind(tt.name, tt.col); got != tt.want {
			t.Errorf("Kind(%q, %q) = %q, want %q", tt.name, tt.col, got, tt.want)
		}
	}
}
