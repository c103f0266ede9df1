// Package reqctx carries what earlier stages of a request decided to the
// stages after them: the authenticated principal and the data-set override
// of the scenario in force. Values travel in the request's context.
package reqctx

import (
	"context"

	"github.com/standin/standin/internal/auth"
)

type key int

const (
	principalKey key = iota
	dataSetKey
	scenarioKey
	timeoutKey
)

// WithTimeoutMessage returns ctx carrying the message a query timeout
// should answer with (a scenario's wording of the page's case).
func WithTimeoutMessage(ctx context.Context, msg string) context.Context {
	return context.WithValue(ctx, timeoutKey, msg)
}

// TimeoutMessage returns the query-timeout message in force, or "".
func TimeoutMessage(ctx context.Context) string {
	s, _ := ctx.Value(timeoutKey).(string)
	return s
}

// WithPrincipal returns ctx carrying the authenticated caller.
func WithPrincipal(ctx context.Context, p *auth.Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// Principal returns the authenticated caller, or nil.
func Principal(ctx context.Context) *auth.Principal {
	p, _ := ctx.Value(principalKey).(*auth.Principal)
	return p
}

// DataSet names a data-set override chosen by a scenario.
type DataSet string

// Data-set overrides.
const (
	// DataNormal is the store as it is.
	DataNormal DataSet = ""
	// DataEmpty makes every collection of the API look empty.
	DataEmpty DataSet = "empty"
	// DataLarge makes REST and GraphQL reads of a collection with a large
	// data set (records.LargeFunc) read a large generated collection
	// instead of the store's, at the binding's simulated cost per record.
	DataLarge DataSet = "large"
)

// WithDataSet returns ctx carrying a data-set override.
func WithDataSet(ctx context.Context, d DataSet) context.Context {
	return context.WithValue(ctx, dataSetKey, d)
}

// DataSetOf returns the data-set override in force (DataNormal if none).
func DataSetOf(ctx context.Context) DataSet {
	d, _ := ctx.Value(dataSetKey).(DataSet)
	return d
}

// WithScenario returns ctx carrying the name of the scenario in force.
func WithScenario(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, scenarioKey, name)
}

// Scenario returns the name of the scenario in force, or "".
func Scenario(ctx context.Context) string {
	s, _ := ctx.Value(scenarioKey).(string)
	return s
}
