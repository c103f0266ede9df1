// Package anyapi holds the proof that conform checks any implementation
// of any REST contract, not only the bundled APIs: its tests run conform
// --spec, as cmd/conform does, against small servers written in the
// tests, one per kind of contract (each auth scheme, a slug-keyed list,
// form and multipart bodies, redirects, unknown ids, undocumented
// statuses, a create-read-update-delete chain, Swagger 2.0). Each correct
// server passes with no failure, and each planted defect (a variant of
// the server) is caught by a failure naming what broke. The package has
// no code of its own.
package anyapi
