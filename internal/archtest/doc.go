// Package archtest holds tests of the module's architecture, read from its
// source with go/parser and go/types: rules no single package's tests can
// hold. It has no code of its own.
//
// The rule tested: only the record layer (internal/records) selects,
// orders and pages records. Outside it, the store itself and the fixtures
// loader (which builds the data set), no package calls the store's
// selection and paging methods ((*store.Store).Slice, Range, Scan, Find,
// the same of *store.Tx, store.SliceItems, store.SlicePositions) or sorts
// a slice of store.Item. Test files may.
package archtest
