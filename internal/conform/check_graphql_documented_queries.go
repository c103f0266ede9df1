package conform

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQLDocumentedQueries: every query printed on the API's page (kept
// under suite/testdata/queries/<api>/, verbatim where valid, repaired
// otherwise) answers without errors, with data valid for its selection set
// (types, nullability, enums, no missing or undeclared fields).
// Documented mutations run in the destructive flows instead.
var GraphQLDocumentedQueries = &Check{
	Name:  "graphql-documented-query",
	Proto: "graphql",
	Doc:   "each documented query answers data valid for its selection set",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || e.Queries == nil {
			return nil
		}
		var out []*Case
		for _, q := range documentedQueries(e, a) {
			if q.Mutation {
				continue
			}
			title := fmt.Sprintf("documented query %s answers valid data", q.File)
			out = append(out, single(ch, a, q.Operation, title, func(t *T) {
				runDocumented(t, q)
			}))
		}
		return out
	},
}

// documentedQuery is one query file with its variables.
type documentedQuery struct {
	File      string
	Text      string
	Vars      map[string]any
	Operation string // first root field, e.g. "accounts"
	Mutation  bool
	Err       error
}

func documentedQueries(e *Env, a *API) []documentedQuery {
	files, _ := fs.Glob(e.Queries, a.Name+"/*.graphql")
	sort.Strings(files)
	var out []documentedQuery
	for _, f := range files {
		q := documentedQuery{File: f}
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
		if doc, err := parseQuery(a.Schema, q.Text); err == nil && len(doc.Operations) > 0 {
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

func runDocumented(t *T, q documentedQuery) {
	if q.Err != nil {
		t.Fatalf(q.File, "cannot read the documented query: %v", q.Err)
	}
	doc, err := parseQuery(t.api.Schema, q.Text)
	if err != nil {
		t.Fatalf(q.File, "the documented query is not valid against the SDL: %v", err)
	}
	r := gql(t, t.api.Conf.Token, q.Text, q.Vars)
	requireOK(t, r)
	validateSelection(t, doc, "", q.Vars, r)
}
