// Package violator names the bundled APIs in every way the API-name rule
// must catch, beside uses it must leave alone.
package violator

import "fmt"

// api is caught where it is written.
const api = "admin"

// Targets names APIs as literals and as a constant expression.
func Targets() map[string]string {
	return map[string]string{
		"marketplace":        "caught",
		"clients-" + "v2":    "caught: a constant expression",
		string("clients-v0"): "caught: the literal inside the conversion",
	}
}

// NotNames holds strings that only contain an API name: left alone.
type NotNames struct {
	A string `json:"admin"` // a struct tag
}

// Uses are left alone: the constant's use, longer strings, another case.
func Uses() []string {
	return []string{fmt.Sprint(api), "admin.allClients", "/v2/clients/", "Admin", "clients-v2 "}
}
