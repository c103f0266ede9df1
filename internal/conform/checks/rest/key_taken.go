package rest

import (
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// keyTaken reports whether a creation refused with a client error names,
// in its body, the key of a record the server holds: the read of the
// contract's chain answers that key with its success. A body made from the
// contract (its example, or generated: the petstore's order with id 1)
// may repeat a key the data already has; refusing it is the server's to
// do, whatever status it gives, and says nothing against it. The read it
// sends is dropped from the case's exchanges.
func keyTaken(t *kit.T, a *kit.API, o model.Operation, values map[string]string, resp kit.Response, sent any) (string, bool) {
	if resp.Status < 400 || resp.Status >= 500 || resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		return "", false
	}
	body, _ := sent.(map[string]any)
	if body == nil {
		return "", false
	}
	for _, c := range a.CRUDChains() {
		if c.Create.Method != o.Method || c.Create.Path != o.Path {
			continue
		}
		field := c.Field
		if field == "" {
			// the read answers an envelope: the body's field the
			// parameter names
			for _, f := range model.ParamFields(c.Param) {
				if body[f] != nil {
					field = f
					break
				}
			}
		}
		if field == "" || body[field] == nil {
			continue
		}
		key := kit.KeyOf(body, field)
		read := map[string]string{c.Param: key}
		for _, p := range c.Read.PathParams() {
			if p != c.Param {
				read[p] = values[p]
			}
		}
		creds, why := a.CredentialsFor(c.Read)
		if why != "" {
			return "", false
		}
		got := t.Do(kit.Request{Method: http.MethodGet, Path: kit.Target(c.Read, read), Credentials: creds})
		t.DropLastExchange()
		return key, got.Status == c.Read.SuccessStatus()
	}
	return "", false
}
