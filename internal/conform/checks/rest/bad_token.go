package rest

import "github.com/standin/standin/internal/conform/kit"

// BadToken is rest-bad-token: a request with an unknown token gets 401 with
// the documented body.
func (Catalog) BadToken() kit.Check {
	return kit.Check{
		Name:  "rest-bad-token",
		Class: kit.ClassAuth,
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "unknown token: 401 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			return authCases(ch, a, a.CredentialsOf(kit.UnknownToken), "with an unknown token")
		},
	}
}
