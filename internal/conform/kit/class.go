package kit

// Class is the family of behaviour a check judges: the kind of bug it
// exists to catch. Reports show every check's name with its class, and
// the mutation test holds each class to a planted defect that only that
// class catches.
type Class string

// Classes of checks.
const (
	// ClassShape: each documented answer is valid for the contract
	// (status, content type, headers, body, schema, error shape).
	ClassShape Class = "shape"
	// ClassAuth: credentials: no token, a bad token, a limited token,
	// every way the contract takes a credential.
	ClassAuth Class = "auth"
	// ClassRoles: each configured role is refused what it may not do,
	// reads and writes alike, and a refused write changes nothing.
	ClassRoles Class = "roles"
	// ClassRecords: every record of every list is valid, lookups answer
	// the record asked for, two ways of reading a record agree.
	ClassRecords Class = "records"
	// ClassPaging: pages and cursors visit every record once.
	ClassPaging Class = "paging"
	// ClassFilters: filters filter and orders order.
	ClassFilters Class = "filters"
	// ClassNearMiss: lookups and filters refuse values that are almost
	// a real one (case, prefix, one character, spaces), by the contract's
	// own matching rule.
	ClassNearMiss Class = "near-miss"
	// ClassNegative: invalid input is refused in the documented shape,
	// never with a server error.
	ClassNegative Class = "negative"
	// ClassProperty: property-based checks over generated requests.
	ClassProperty Class = "property"
	// ClassRateLimit: the documented rate limit, judged exactly.
	ClassRateLimit Class = "rate-limit"
	// ClassWrites: every write read back through every protocol and
	// list, repeated and raced.
	ClassWrites Class = "writes"
	// ClassHTTP: the HTTP semantics the contracts inherit (media types
	// and charset, the auth scheme's case, GraphQL over GET, paging
	// links).
	ClassHTTP Class = "http"
)

// Classes lists every class, in the order reports list them.
func Classes() []Class {
	return []Class{ClassShape, ClassAuth, ClassRoles, ClassRecords, ClassPaging, ClassFilters, ClassNearMiss,
		ClassNegative, ClassProperty, ClassRateLimit, ClassWrites, ClassHTTP}
}

// Known reports whether c is one of Classes.
func (c Class) Known() bool {
	for _, k := range Classes() {
		if k == c {
			return true
		}
	}
	return false
}

// phaseClass is the class of a check that names none: the family its
// phase mostly holds.
func phaseClass(p Phase) Class {
	switch p {
	case PhaseAccess:
		return ClassAuth
	case PhaseBehaviour:
		return ClassRecords
	case PhaseNegative:
		return ClassNegative
	case PhaseProperty:
		return ClassProperty
	}
	return ClassShape
}

// ClassOf is the check's class: the one it names, else its phase's.
func (c *Check) ClassOf() Class {
	if c.Class != "" {
		return c.Class
	}
	return phaseClass(c.Phase)
}
