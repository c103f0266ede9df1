package metrics

import (
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"
)

// TrafficStep is the width of one step of Traffic's series, and
// TrafficSteps how many steps it keeps: the last ten minutes.
const (
	TrafficStep  = 5 * time.Second
	TrafficSteps = 120
)

// Traffic counts each API's answered requests for the dashboard (GET
// /__standin/traffic): since the server started, and per TrafficStep over
// the last TrafficSteps steps; requests, 4xx, 5xx, 429 and injected faults,
// with latency histograms of logarithmic bins (four per power of two, so a
// percentile is exact to within 12%). Safe for concurrent use; Observe
// allocates nothing once an API has been seen.
type Traffic struct {
	now  func() time.Time
	apis sync.Map // API name → *apiTraffic
}

// NewTraffic returns an empty Traffic whose reports end at the time now
// gives (time.Now when nil).
func NewTraffic(now func() time.Time) *Traffic {
	if now == nil {
		now = time.Now
	}
	return &Traffic{now: now}
}

// latBins is the number of latency bins: bin 0 holds answers under 1 µs,
// bin 1+4k+s those from (1+s/4)·2^k µs up to (1+(s+1)/4)·2^k µs; the last
// bin also holds everything longer (over 12 days).
const latBins = 1 + 40*4

// latBin is the bin of a duration.
func latBin(d time.Duration) int {
	us := uint64(max(d, 0) / time.Microsecond)
	if us == 0 {
		return 0
	}
	oct := bits.Len64(us) - 1
	if oct >= 40 {
		return latBins - 1
	}
	sub := int((us << 2 >> oct) & 3)
	return 1 + oct*4 + sub
}

// latValueMs is the middle of a bin, in milliseconds.
func latValueMs(b int) float64 {
	if b == 0 {
		return 0.0005
	}
	oct, sub := (b-1)/4, (b-1)%4
	lo := (1 + float64(sub)/4) * math.Exp2(float64(oct))
	hi := (1 + float64(sub+1)/4) * math.Exp2(float64(oct))
	return (lo + hi) / 2 / 1000
}

// counts are the request counts of a step or of the whole run.
type counts struct {
	requests, s4xx, s5xx, s429, faults uint64
}

func (c *counts) add(status int) {
	c.requests++
	switch {
	case status == 0:
		c.faults++
	case status >= 500:
		c.s5xx++
	case status >= 400:
		c.s4xx++
		if status == 429 {
			c.s429++
		}
	}
}

func (c *counts) sum(o counts) {
	c.requests += o.requests
	c.s4xx += o.s4xx
	c.s5xx += o.s5xx
	c.s429 += o.s429
	c.faults += o.faults
}

// step is one TrafficStep of one API: its number (Unix time / TrafficStep;
// a slot holding an older number is stale) and what was seen in it.
type step struct {
	n   int64
	c   counts
	lat [latBins]uint32
}

type apiTraffic struct {
	mu    sync.Mutex
	total counts
	lat   [latBins]uint64
	steps [TrafficSteps]step
}

// Observe counts one answered request of an API ("" for a request no API
// served) that began at a time, with its status (0: a fault was injected)
// and duration.
func (t *Traffic) Observe(at time.Time, api string, status int, d time.Duration) {
	v, ok := t.apis.Load(api)
	if !ok {
		v, _ = t.apis.LoadOrStore(api, &apiTraffic{})
	}
	a := v.(*apiTraffic)
	n := at.UnixNano() / int64(TrafficStep)
	b := latBin(d)
	a.mu.Lock()
	a.total.add(status)
	a.lat[b]++
	s := &a.steps[n%TrafficSteps]
	if s.n != n {
		*s = step{n: n}
	}
	s.c.add(status)
	s.lat[b]++
	a.mu.Unlock()
}

// TrafficReport is what GET /__standin/traffic answers.
type TrafficReport struct {
	// StepSeconds is the width of one step of the series.
	StepSeconds float64 `json:"stepSeconds"`
	// Start is when the series' first step began; the last step is the
	// current one, still filling.
	Start time.Time `json:"start"`
	// APIs are the APIs asked for, in that order, then any other API
	// requests were counted for ("" for requests no API served).
	APIs []APITraffic `json:"apis"`
}

// APITraffic is one API's traffic.
type APITraffic struct {
	API string `json:"api"`
	// Total counts since the server started; Window over the series.
	Total  TrafficCounts `json:"total"`
	Window TrafficCounts `json:"window"`
	// Series has one value per step, oldest first.
	Series TrafficSeries `json:"series"`
}

// TrafficCounts are request counts and latency percentiles (0 without
// requests).
type TrafficCounts struct {
	Requests  uint64  `json:"requests"`
	Status4xx uint64  `json:"4xx"`
	Status5xx uint64  `json:"5xx"`
	Status429 uint64  `json:"429"`
	Faults    uint64  `json:"faults"`
	P50Ms     float64 `json:"p50Ms"`
	P99Ms     float64 `json:"p99Ms"`
}

// TrafficSeries are TrafficCounts per step, one slice per figure.
type TrafficSeries struct {
	Requests  []uint64  `json:"requests"`
	Status4xx []uint64  `json:"4xx"`
	Status5xx []uint64  `json:"5xx"`
	Status429 []uint64  `json:"429"`
	Faults    []uint64  `json:"faults"`
	P50Ms     []float64 `json:"p50Ms"`
	P99Ms     []float64 `json:"p99Ms"`
}

// Report returns the traffic of the APIs named (zeros for one without
// requests) and of any other API seen.
func (t *Traffic) Report(apis []string) TrafficReport {
	cur := t.now().UnixNano() / int64(TrafficStep)
	first := cur - TrafficSteps + 1
	rep := TrafficReport{StepSeconds: TrafficStep.Seconds(), Start: time.Unix(0, first*int64(TrafficStep)).UTC(), APIs: []APITraffic{}}
	var others []string
	t.apis.Range(func(k, _ any) bool {
		if name := k.(string); !slices.Contains(apis, name) {
			others = append(others, name)
		}
		return true
	})
	slices.Sort(others)
	for _, name := range slices.Concat(apis, others) {
		at := APITraffic{API: name, Series: newSeries()}
		if v, ok := t.apis.Load(name); ok {
			v.(*apiTraffic).report(&at, first)
		}
		rep.APIs = append(rep.APIs, at)
	}
	return rep
}

func newSeries() TrafficSeries {
	return TrafficSeries{
		Requests: make([]uint64, TrafficSteps), Status4xx: make([]uint64, TrafficSteps),
		Status5xx: make([]uint64, TrafficSteps), Status429: make([]uint64, TrafficSteps),
		Faults: make([]uint64, TrafficSteps), P50Ms: make([]float64, TrafficSteps), P99Ms: make([]float64, TrafficSteps),
	}
}

// report fills at from the steps numbered first onwards.
func (a *apiTraffic) report(at *APITraffic, first int64) {
	var window counts
	var wlat [latBins]uint64
	a.mu.Lock()
	defer a.mu.Unlock()
	at.Total = figures(a.total, a.lat[:])
	for i := range TrafficSteps {
		n := first + int64(i)
		s := &a.steps[n%TrafficSteps]
		if s.n != n {
			continue
		}
		window.sum(s.c)
		for b, c := range s.lat {
			wlat[b] += uint64(c)
		}
		f := figures(s.c, s.lat[:])
		at.Series.Requests[i], at.Series.Status4xx[i], at.Series.Status5xx[i] = f.Requests, f.Status4xx, f.Status5xx
		at.Series.Status429[i], at.Series.Faults[i], at.Series.P50Ms[i], at.Series.P99Ms[i] = f.Status429, f.Faults, f.P50Ms, f.P99Ms
	}
	at.Window = figures(window, wlat[:])
}

// figures are c with the percentiles of the latency bins lat.
func figures[N uint32 | uint64](c counts, lat []N) TrafficCounts {
	return TrafficCounts{
		Requests: c.requests, Status4xx: c.s4xx, Status5xx: c.s5xx, Status429: c.s429, Faults: c.faults,
		P50Ms: percentile(lat, 0.50), P99Ms: percentile(lat, 0.99),
	}
}

// percentile is the middle of the bin holding the q-th quantile of the
// counts in lat, in milliseconds (0 for no counts).
func percentile[N uint32 | uint64](lat []N, q float64) float64 {
	var total uint64
	for _, c := range lat {
		total += uint64(c)
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for b, c := range lat {
		seen += uint64(c)
		if seen >= rank {
			return latValueMs(b)
		}
	}
	return latValueMs(len(lat) - 1)
}
