package model

import "net/http"

// RefusalStatus is the status the operation's contract gives a valid
// token that may not do what it asks (a role's refused operation or id):
// 403 when the operation documents it; else 401 when it documents 401
// (a contract without 403 answers a missing permission with 401, as the
// clients-v0 page does); else 403, the HTTP meaning (RFC 9110 §15.5.4).
func (o Operation) RefusalStatus() int {
	if !o.Documents(http.StatusForbidden) && o.Documents(http.StatusUnauthorized) {
		return http.StatusUnauthorized
	}
	return http.StatusForbidden
}
