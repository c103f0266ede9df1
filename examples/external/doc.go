// Package external shows Standin used from another Go module, as a test
// of that module would: it imports only the public packages standintest
// and clock. Its go.mod points at this checkout with a replace directive;
// a real project requires a released version instead.
package external
