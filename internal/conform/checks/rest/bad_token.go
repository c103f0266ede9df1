package rest

import "github.com/standin/standin/internal/conform/kit"

// BadToken is rest-bad-token: where the contract requires credentials, a
// request with unknown ones (in the schemes the operation takes) gets 401
// with the documented body.
func (Catalog) BadToken() kit.Check {
	return kit.Check{
		Name:  "rest-bad-token",
		Class: kit.ClassAuth,
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "unknown credentials where the contract requires them: 401 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return authCases(ch, a, a.UnknownCredentialsFor, "with an unknown token")
		},
	}
}
