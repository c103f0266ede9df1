package redisstate

// takeGroup is the requests of one batch that share a counter and a
// limit: n of them, and what Redis decided for them (the count before
// them, how many were allowed, the window's milliseconds left).
type takeGroup struct {
	api, token string
	limit      int
	win        int64
	n          int64

	start, allowed, leftMS int64
	// granted: the counter is now leased to this replica; busy: another
	// replica holds it, nothing was decided.
	granted, busy bool
}

// coalesce groups reqs by (api, window, token, limit), in order of first
// appearance, and returns the groups and each request's group. Two
// limits on one counter (a config reload while requests wait) stay two
// groups, decided one after the other.
func coalesce(reqs []takeReq) ([]takeGroup, []int) {
	type gk struct {
		api, token string
		win        int64
		limit      int
	}
	index := make(map[gk]int, 1)
	groups := make([]takeGroup, 0, 1)
	of := make([]int, len(reqs))
	for i, r := range reqs {
		k := gk{r.api, r.token, r.win, r.limit}
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, takeGroup{api: r.api, token: r.token, limit: r.limit, win: r.win})
		}
		groups[g].n++
		of[i] = g
	}
	return groups, of
}

// distribute hands out a group's decisions in queue order: the first
// allowed requests of group g get the counts start+1, start+2, …; the
// rest are refused. That is what deciding them one at a time gives.
func distribute(reqs []takeReq, of []int, groups []takeGroup) []takeRes {
	res := make([]takeRes, len(reqs))
	seen := make([]int64, len(groups))
	for i := range reqs {
		g := &groups[of[i]]
		if g.busy {
			res[i] = takeRes{busy: true}
			continue
		}
		k := seen[of[i]]
		seen[of[i]]++
		if k < g.allowed {
			res[i] = takeRes{allowed: true, count: g.start + k + 1, leftMS: g.leftMS}
		} else {
			res[i] = takeRes{allowed: false, count: g.start + g.allowed, leftMS: g.leftMS}
		}
	}
	return res
}
