package rest

import (
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// NoToken is rest-no-token: where the contract requires credentials, a
// request without any gets 401 with the documented body.
func (Catalog) NoToken() kit.Check {
	return kit.Check{
		Name:  "rest-no-token",
		Class: kit.ClassAuth,
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "no credentials where the contract requires them: 401 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return authCases(ch, a, func(model.Operation) kit.Credentials { return nil }, "without a token")
		},
	}
}
