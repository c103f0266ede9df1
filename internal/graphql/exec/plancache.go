package exec

import (
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// PlanCache keeps the collected and prepared selection sets of one document
// across executions, so that repeated executions of a cached document skip
// field collection. Create one per document with NewPlanCache and pass it
// in Request.Plans together with that document; it is safe for concurrent
// use. Documents whose @skip/@include depend on variables are not cached.
type PlanCache struct {
	doc       *ast.QueryDocument
	cacheable bool
	mu        sync.RWMutex
	plans     map[planKey][]plannedField
	// ok holds the operations (without variables) known to be within the
	// limits of an executor.
	ok sync.Map // limitsKey -> struct{}
}

type limitsKey struct {
	e  *Executor
	op *ast.OperationDefinition
}

func (c *PlanCache) withinLimits(e *Executor, op *ast.OperationDefinition) bool {
	_, ok := c.ok.Load(limitsKey{e, op})
	return ok
}

func (c *PlanCache) setWithinLimits(e *Executor, op *ast.OperationDefinition) {
	c.ok.Store(limitsKey{e, op}, struct{}{})
}

// NewPlanCache returns a PlanCache for doc.
func NewPlanCache(doc *ast.QueryDocument) *PlanCache {
	return &PlanCache{doc: doc, cacheable: !usesVariableDirectives(doc), plans: map[planKey][]plannedField{}}
}

func (c *PlanCache) get(k planKey) ([]plannedField, bool) {
	c.mu.RLock()
	p, ok := c.plans[k]
	c.mu.RUnlock()
	return p, ok
}

func (c *PlanCache) put(k planKey, p []plannedField) {
	c.mu.Lock()
	if len(c.plans) < 4096 {
		c.plans[k] = p
	}
	c.mu.Unlock()
}

func usesVariableDirectives(doc *ast.QueryDocument) bool {
	var walk func(ast.SelectionSet) bool
	dirs := func(l ast.DirectiveList) bool {
		for _, d := range l {
			if d.Name == "skip" || d.Name == "include" {
				if a := d.Arguments.ForName("if"); a != nil && a.Value != nil && a.Value.Kind == ast.Variable {
					return true
				}
			}
		}
		return false
	}
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if dirs(s.Directives) || walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if dirs(s.Directives) || walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if dirs(s.Directives) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if walk(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if walk(f.SelectionSet) {
			return true
		}
	}
	return false
}
