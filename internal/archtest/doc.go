// Package archtest holds tests of the module's architecture, read from its
// source with go/parser and go/types: rules no single package's tests can
// hold. It has no code of its own. Each rule has a violator under
// testdata/violator that shows the rule fails.
//
// The rules tested:
//
//   - Only the record layer (internal/records) selects, orders and pages
//     records. Outside it, the store itself and the fixtures loader (which
//     builds the data set), no package calls the store's selection and
//     paging methods ((*store.Store).Slice, Range, Scan, Find, the same of
//     *store.Tx, store.SliceItems, store.SlicePositions) or sorts a slice
//     of store.Item. Test files may.
//   - Only the contract layer (internal/contract) loads contracts. Outside
//     it no non-test file calls kin-openapi's loader (openapi3.NewLoader,
//     (*openapi3.Loader).Load*), its Swagger 2.0 converter (openapi2conv)
//     or gqlparser's schema loading (gqlparser.LoadSchema, MustLoadSchema,
//     validator.LoadSchema), so every contract is read with one set of
//     loader settings, one folder confinement and one kind of diagnostic
//     (contract_test.go).
//   - The Go code knows no API by name: no non-test file of the shipped
//     code (the commands, the importable packages and what they import),
//     outside specs/, writes a bundled API's name as a string constant
//     (apinames_test.go).
//   - Checks do not import the conform engine: no package under
//     internal/conform/checks, nor the kit and the model they are written
//     with, depends on internal/conform/engine (checkimports_test.go).
//
// testdata/violator and testdata/contractviolator break each part of the
// rules once, so that the tests can be seen to fail.
package archtest
