package rest

import (
	"github.com/standin/standin/internal/conform/kit"
)

// NoToken is rest-no-token: a request without credentials gets 401 with the
// documented body.
func (Catalog) NoToken() kit.Check {
	return kit.Check{
		Name:  "rest-no-token",
		Class: kit.ClassAuth,
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "no credentials: 401 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return authCases(ch, a, nil, "without a token")
		},
	}
}
