package kit

// ResetBeforeEach reports whether the run resets a's target before each
// of its destructive cases (a reset hook, or the run's own reset of a
// Standin mock after every destructive case and at the start), so that
// such a case starts from the target's start state: fresh data, fresh
// rate-limit windows.
func (e *Env) ResetBeforeEach(a *API) bool {
	return e.Config.Destructive && (a.Conf.Reset != nil || e.Reset != nil)
}
