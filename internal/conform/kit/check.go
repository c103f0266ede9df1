package kit

// Protocols of a check.
const (
	REST    = "rest"
	GraphQL = "graphql"
)

// Phase orders checks in a run: the checks of a phase run before the next
// phase's, and destructive checks after every other whatever their phase
// (engine.NewRegistry), by name within that.
type Phase int

// Phases, in run order.
const (
	// PhaseAnswers: each documented answer (success and error statuses,
	// headers, bodies, the GraphQL schema and documented queries).
	PhaseAnswers Phase = iota
	// PhaseAccess: roles and the ways of sending a credential.
	PhaseAccess
	// PhaseBehaviour: what the target does with records (every record,
	// lookups, paging, filters, order, page info).
	PhaseBehaviour
	// PhaseNegative: invalid input.
	PhaseNegative
	// PhaseProperty: property-based checks.
	PhaseProperty
)

// Check is a named kind of check: one value that names the check,
// documents it and generates its cases, rather than a test function per
// case. Cases generates its instances for one API from the API's
// contract; an API the check does not apply to yields none.
type Check struct {
	// Name identifies the check in reports, e.g. "rest-success".
	Name string
	// Proto is REST or GraphQL.
	Proto string
	// Phase places the check in a run.
	Phase Phase
	// Class is the family of behaviour the check judges (ClassOf: the
	// phase's when empty).
	Class Class
	// Doc says what the check verifies.
	Doc string
	// Destructive checks change data or spend a rate limit.
	Destructive bool
	// Cases generates the check's cases for one API.
	Cases func(ch *Check, e *Env, a *API) []*Case
}

// Case is one instance of a check for an API and an operation. A case
// with several steps is a stateful flow: its steps run in order and the
// first failure skips the rest (Ginkgo: an Ordered container).
type Case struct {
	Check     *Check
	API       *API
	Operation string
	// Title is the human name, e.g. "GET /v2/clients/{client_id} answers 200 ...".
	Title string
	Steps []Step
}

// Step is one step of a case.
type Step struct {
	Name string
	Run  func(t *T)
}

// Destructive reports whether the case changes data or spends a limit.
func (c *Case) Destructive() bool { return c.Check.Destructive }

// Labels are the Ginkgo labels of the case.
func (c *Case) Labels() []string {
	l := []string{"api:" + c.API.Name, "proto:" + c.Check.Proto, "check:" + c.Check.Name, "class:" + string(c.Check.ClassOf())}
	if c.Destructive() {
		l = append(l, "destructive")
	}
	return l
}

// Single makes a one-step case.
func Single(ch *Check, a *API, op, title string, run func(t *T)) *Case {
	return &Case{Check: ch, API: a, Operation: op, Title: title, Steps: []Step{{Name: title, Run: run}}}
}
