package model

import "regexp"

// everyErrorCoded finds, in an SDL's schema description, the promise
// that every error carries an extensions.code: "Errors carry
// `extensions.code`: ...". The GraphQL specification asks for none
// (extensions is the implementer's).
var everyErrorCoded = regexp.MustCompile(`(?i)\berrors\b[^.]*\bextensions\.code`)

// ErrorsCarryCodes reports whether the API's SDL promises an
// extensions.code on every error (its schema description says so).
func (a *API) ErrorsCarryCodes() bool {
	return a.Schema != nil && everyErrorCoded.MatchString(a.Schema.Description)
}
