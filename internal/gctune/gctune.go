// Package gctune sizes the Go garbage collector to the mock server's data.
//
// The mock's heap is mostly its data set: built once at start-up, then
// stable, with short-lived garbage from requests on top. Go's default
// (GOGC=100, no memory limit) lets the heap grow to twice the live data
// before collecting, which for a million generated records means twice
// about 650 MiB. gctune narrows that headroom in three steps:
//
//   - while the contracts are read, GOGC is ReadingGCPercent: reading a
//     large OpenAPI document is mostly garbage (kin-openapi decodes each
//     level several times), and collecting a quarter beyond a heap that
//     stays small cost GitHub's 13 MB description 40 % more CPU;
//   - while the data set is built (Tuning.Generating), GOGC is
//     LoadingGCPercent: the heap then grows only a quarter beyond what has
//     been built so far (the data is mostly live, so collecting more often
//     costs little);
//   - once it is built, GOGC is ServingGCPercent and a soft memory limit
//     (see runtime/debug.SetMemoryLimit) is set to the live heap plus
//     Headroom(live). The limit is what bounds a large data set's heap
//     (request garbage is collected before the heap doubles); the higher
//     GOGC is what a small one needs: with the bundled data the live heap
//     is a few MiB, and at GOGC=100 the collector would run every couple of
//     thousand requests and take a tenth of the CPU of a busy mock.
//
// A soft limit is not a cap: if the data grows (records created through
// the APIs), the runtime goes over it rather than stall. Nothing is changed
// when the user set GOGC or GOMEMLIMIT in the environment: their choice wins.
package gctune

import (
	"runtime"
	"runtime/debug"
)

// ReadingGCPercent is GOGC while the contracts are read.
const ReadingGCPercent = 100

// LoadingGCPercent is GOGC while the data set is built.
const LoadingGCPercent = 25

// ServingGCPercent is GOGC once the data set is built: the heap may grow
// to five times the live data, but never past the memory limit, so only
// small data sets (whose limit is MinHeadroom above them) use the room.
const ServingGCPercent = 400

// MinHeadroom is the least room left above the live heap by the limit.
const MinHeadroom = 128 << 20

// Headroom is how far above a live heap of live bytes the memory limit is
// set: a quarter of it, at least MinHeadroom.
func Headroom(live uint64) uint64 {
	return max(live/4, MinHeadroom)
}

// Result reports what Loading's done function did.
type Result struct {
	// Tuned is false when GOGC or GOMEMLIMIT was set by the user and
	// nothing was changed.
	Tuned bool
	// Live is the live heap after the data set was built, in bytes.
	Live uint64
	// Limit is the soft memory limit set, in bytes (0 when not Tuned).
	Limit uint64
}

// Tuning is the collector's settings through one start-up: Loading sets
// them for reading the contracts, Generating for building the data set,
// Done for serving.
type Tuning struct {
	// user is set when the user chose GOGC or GOMEMLIMIT: nothing changes.
	user bool
}

// Loading prepares the collector for reading the contracts and returns
// the Tuning whose Generating and Done the caller calls as the build goes
// on. getenv reads the environment (os.Getenv).
func Loading(getenv func(string) string) *Tuning {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return &Tuning{user: true}
	}
	debug.SetGCPercent(ReadingGCPercent)
	return &Tuning{}
}

// Generating is called once the contracts are read, when the data set
// starts to be built.
func (t *Tuning) Generating() {
	if !t.user {
		debug.SetGCPercent(LoadingGCPercent)
	}
}

// Done is called once the data set is built; it collects once to measure
// the live heap.
func (t *Tuning) Done() Result {
	if t.user {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return Result{Live: ms.HeapAlloc}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := ms.HeapAlloc
	limit := live + Headroom(live)
	debug.SetMemoryLimit(int64(limit))
	debug.SetGCPercent(ServingGCPercent)
	return Result{Tuned: true, Live: live, Limit: limit}
}
