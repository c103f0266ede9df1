package conform

// badToken is a credential no server issues.
const badToken = "standin-conform-invalid-token"

// RESTBadToken: a request with an unknown token gets 401 with the
// documented body.
var RESTBadToken = &Check{
	Name:  "rest-bad-token",
	Proto: "rest",
	Doc:   "unknown token: 401 with the documented error body",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		return authCases(ch, a, badToken, "with an unknown token")
	},
}
