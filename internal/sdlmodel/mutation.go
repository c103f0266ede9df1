package sdlmodel

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// MutationKind says what a mutation does to the records.
type MutationKind int

// Kinds of mutations.
const (
	// Echo changes nothing: it answers its payload (clientMutationId
	// echoed, the rest generated).
	Echo MutationKind = iota
	// Create inserts a record of Targets from the input.
	Create
	// Update changes the record the Subject id names.
	Update
	// Delete removes the record the Subject id names.
	Delete
)

var mutationKindNames = [...]string{"echo", "create", "update", "delete"}

func (k MutationKind) String() string { return mutationKindNames[k] }

// Mutation is the plan of one Mutation field.
type Mutation struct {
	Kind MutationKind
	Def  *ast.FieldDefinition
	// Verb is the name's leading verb (create, addStar's add, …).
	Verb string
	// Input names the input-object argument whose fields the mutation
	// reads, "" when it reads its arguments; Inputs are the fields read
	// (that object's fields, and the other arguments).
	Input  string
	Inputs []InputField
	// Subject is the input field whose id names the record an Update or
	// Delete changes.
	Subject string
	// Targets are the record types a Create makes (the first is made) or
	// an Update or Delete may change (empty: any, by the id).
	Targets []*Record
	// Direct: the mutation answers the record itself, not a payload.
	Direct bool
}

// InputField is one value a mutation reads.
type InputField struct {
	Name string
	Type *ast.Type
	// Top: an argument of the field rather than a field of Input.
	Top bool
}

// createVerbs begin mutations that make a record.
var createVerbs = []string{"create", "add", "new", "post", "submit", "import", "clone", "copy", "duplicate", "fork",
	"start", "request", "invite", "register", "generate", "publish", "upload", "insert", "make"}

// deleteVerbs begin mutations that remove the record they name.
var deleteVerbs = []string{"delete", "destroy", "discard", "purge", "remove"}

// mutations plans the fields of Mutation:
//
//   - delete, destroy, discard, purge (and remove, when its id names the
//     record the mutation is named after): Delete the record the id names;
//   - create-like verbs (create, add, post, …) whose answer is, or holds,
//     a record type other than the one an id names: Create one;
//   - any other mutation with an id input (id, or <x>Id where the payload
//     has a field x, or its only ID): Update that record;
//   - the rest: Echo.
func (m *Model) mutations(mt *ast.Definition) {
	for _, f := range mt.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		mu := m.planMutation(f)
		m.muts[f] = mu
		if mu.Kind == Echo {
			m.warn.add("mutations that change no record answer their payload (generated fields, clientMutationId echoed)", mt.Name+"."+f.Name)
		}
	}
}

func (m *Model) planMutation(f *ast.FieldDefinition) *Mutation {
	mu := &Mutation{Def: f}
	var noun string
	mu.Verb, noun = SplitVerb(f.Name)
	mu.Input, mu.Inputs = m.inputsOf(f)
	res := m.Schema.Types[f.Type.Name()]
	var payload *ast.Definition
	if res != nil && f.Type.Elem == nil {
		if t := m.Targets(res.Name); len(t) > 0 {
			mu.Direct = true
		} else if res.Kind == ast.Object {
			payload = res
		}
	}
	nounRec := m.recordPrefix(noun)
	var ids []string
	for _, in := range mu.Inputs {
		if in.Type.Elem == nil && in.Type.NamedType == "ID" {
			ids = append(ids, in.Name)
		}
	}
	// the id naming the record the mutation is about
	subject := ""
	if slices.Contains(ids, "id") {
		subject = "id"
	}
	if subject == "" && nounRec != nil && slices.Contains(ids, LowerCamel(nounRec.Name)+"Id") {
		subject = LowerCamel(nounRec.Name) + "Id"
	}
	if subject == "" && payload != nil {
		for _, id := range ids {
			if payload.Fields.ForName(strings.TrimSuffix(id, "Id")) != nil {
				subject = id
				break
			}
		}
	}
	if subject == "" && noun != "" {
		for _, id := range ids {
			base := strings.ToLower(strings.TrimSuffix(id, "Id"))
			if base != "" && strings.HasSuffix(strings.ToLower(noun), base) {
				subject = id
				break
			}
		}
	}
	isCreate := slices.Contains(createVerbs, mu.Verb)
	if subject == "" && len(ids) == 1 && !isCreate {
		subject = ids[0]
	}
	subjectTargets := m.subjectTargets(subject, payload, nounRec)
	switch {
	case slices.Contains(deleteVerbs, mu.Verb) && subject != "" &&
		(mu.Verb != "remove" || nounRec != nil && (subject == "id" || subject == LowerCamel(nounRec.Name)+"Id")):
		mu.Kind, mu.Subject, mu.Targets = Delete, subject, subjectTargets
		return mu
	case isCreate:
		if made := m.created(f, payload, subject, nounRec); len(made) > 0 {
			mu.Kind, mu.Targets = Create, made
			return mu
		}
	}
	if subject != "" {
		mu.Kind, mu.Subject, mu.Targets = Update, subject, subjectTargets
	}
	return mu
}

// inputsOf flattens a mutation's arguments: the fields of its input
// object argument (input:, or the only input-object argument) and its
// other arguments.
func (m *Model) inputsOf(f *ast.FieldDefinition) (string, []InputField) {
	input := ""
	var objs []string
	for _, a := range f.Arguments {
		if d := m.Schema.Types[a.Type.Name()]; d != nil && d.Kind == ast.InputObject && a.Type.Elem == nil {
			objs = append(objs, a.Name)
		}
	}
	if slices.Contains(objs, "input") {
		input = "input"
	} else if len(objs) == 1 {
		input = objs[0]
	}
	var out []InputField
	for _, a := range f.Arguments {
		if a.Name == input {
			for _, in := range m.Schema.Types[a.Type.Name()].Fields {
				out = append(out, InputField{Name: in.Name, Type: in.Type})
			}
			continue
		}
		out = append(out, InputField{Name: a.Name, Type: a.Type, Top: true})
	}
	return input, out
}

// recordPrefix is the record type whose name is the longest prefix of
// noun ("ProjectV2ItemById" is a ProjectV2Item), or nil.
func (m *Model) recordPrefix(noun string) *Record {
	var best *Record
	for _, r := range m.Records {
		if strings.HasPrefix(noun, r.Name) && (best == nil || len(r.Name) > len(best.Name)) {
			best = r
		}
	}
	return best
}

// subjectTargets are the record types the subject id may name: the
// payload field of the same name's, else the noun's record type, else any.
func (m *Model) subjectTargets(subject string, payload *ast.Definition, nounRec *Record) []*Record {
	if subject == "" {
		return nil
	}
	if payload != nil {
		if pf := payload.Fields.ForName(strings.TrimSuffix(subject, "Id")); pf != nil {
			if t := m.Targets(pf.Type.Name()); len(t) > 0 {
				return t
			}
		}
	}
	if nounRec != nil {
		return []*Record{nounRec}
	}
	return nil
}

// created is what a create-like mutation makes: its answer's record type,
// else the first payload field (or edge's node) of a record type that is
// not the subject's; the noun's type first when it is among them.
func (m *Model) created(f *ast.FieldDefinition, payload *ast.Definition, subject string, nounRec *Record) []*Record {
	var made []*Record
	if payload == nil {
		made = m.Targets(f.Type.Name())
	} else {
		for _, pf := range payload.Fields {
			if subject != "" && pf.Name == strings.TrimSuffix(subject, "Id") {
				continue
			}
			name := pf.Type.Name()
			if c := m.conns[name]; c != nil {
				continue
			}
			if et := m.Schema.Types[name]; et != nil && m.edges[name] {
				if n := et.Fields.ForName("node"); n != nil {
					name = n.Type.Name()
				}
			}
			if t := m.Targets(name); len(t) > 0 && pf.Type.Elem == nil {
				made = t
				break
			}
		}
	}
	if nounRec != nil && slices.Contains(made, nounRec) {
		out := []*Record{nounRec}
		for _, r := range made {
			if r != nounRec {
				out = append(out, r)
			}
		}
		return out
	}
	return made
}
