package kit

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// DocumentedQuery is one documented query file with its variables.
type DocumentedQuery struct {
	File      string
	Text      string
	Vars      map[string]any
	Operation string // first root field, e.g. "accounts"
	Mutation  bool
	Err       error
}

// DocumentedQueries reads the API's documented queries (Env.Queries,
// <api>/<name>.graphql with optional <name>.json variables), a configured
// id replacing each variable of its name.
func DocumentedQueries(e *Env, a *API) []DocumentedQuery {
	files, _ := fs.Glob(e.Queries, a.Name+"/*.graphql")
	sort.Strings(files)
	var out []DocumentedQuery
	for _, f := range files {
		q := DocumentedQuery{File: f}
		data, err := fs.ReadFile(e.Queries, f)
		if err != nil {
			q.Err = err
			out = append(out, q)
			continue
		}
		q.Text = string(data)
		if vdata, err := fs.ReadFile(e.Queries, strings.TrimSuffix(f, ".graphql")+".json"); err == nil {
			if err := json.Unmarshal(vdata, &q.Vars); err != nil {
				q.Err = fmt.Errorf("%s.json: %w", strings.TrimSuffix(f, ".graphql"), err)
			}
		}
		for k := range q.Vars {
			if v := a.ID(k); v != "" {
				q.Vars[k] = v
			}
		}
		q.Operation = path.Base(strings.TrimSuffix(f, ".graphql"))
		if doc, err := ParseQuery(a.Schema, q.Text); err == nil && len(doc.Operations) > 0 {
			op := doc.Operations[0]
			q.Mutation = op.Operation == ast.Mutation
			if len(op.SelectionSet) > 0 {
				if f, ok := op.SelectionSet[0].(*ast.Field); ok {
					q.Operation = f.Name
				}
			}
		}
		out = append(out, q)
	}
	return out
}

// RunDocumented sends a documented query with the valid credentials: it
// must answer data valid for its selection set, an error only at a null
// (RequireData).
func RunDocumented(t *T, q DocumentedQuery) {
	if q.Err != nil {
		t.Fatalf(InTheRun(q.File), "cannot read the documented query: %v", q.Err)
	}
	doc, err := ParseQuery(t.api.Schema, q.Text)
	if err != nil {
		t.Fatalf(InTheRun(q.File), "the documented query is not valid against the SDL: %v", err)
	}
	r := GQL(t, t.api.Credentials(), q.Text, q.Vars)
	RequireData(t, r)
	ValidateSelection(t, doc, "", q.Vars, r)
}
