package sdlmodel

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const sdl = `
schema { query: Query mutation: Mutation }
interface Node { id: ID! }
interface Actor { login: String! }
union Owner = User | Org
enum IssueState { OPEN CLOSED }
enum IssueOrderField { CREATED_AT COMMENTS REACTIONS }
enum Direction { ASC DESC }
enum SearchType { ISSUE USER }
input IssueOrder { field: IssueOrderField! direction: Direction! }
input IssueFilter { state: IssueState }

type Query {
  relay: Query!
  viewer: User!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  user(login: String!): User
  repository(owner: String!, name: String!): Repo
  invitation(token: String!): Invitation
  search(query: String!, type: SearchType!, first: Int, after: String): SearchConnection!
  issues(states: [IssueState!], first: Int, after: String, last: Int, before: String): IssueConnection!
  version: String!
}

type User implements Node & Actor { id: ID! login: String! repos: [Repo!]! starred: [Repo!]! issues(first: Int, after: String): IssueConnection! }
type Org implements Node & Actor { id: ID! login: String! repos: [Repo!]! }
type Repo implements Node {
  id: ID!
  name: String!
  owner: Owner!
  parent: Repo
  forks: [Repo!]!
  issue(number: Int!): Issue
  issues(first: Int, after: String, states: [IssueState!], filterBy: IssueFilter, orderBy: IssueOrder = {field: CREATED_AT, direction: ASC}): IssueConnection!
  issueCount: Int!
  labels: [Label!]!
}
type Issue implements Node { id: ID! number: Int! title: String! state: IssueState! createdAt: String! reactionCount: Int! repo: Repo! author: Actor editor: Actor labels: [Label!]! }
type Label implements Node { id: ID! name: String! issues: [Issue!]! }
type Invitation { email: String! }
type Point { x: Int! y: Int! }
type Counter { id: Int! count: Int! }
type Keyed { sku: ID! name: String! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type IssueEdge { cursor: String! node: Issue! }
type IssueConnection { edges: [IssueEdge!]! pageInfo: PageInfo! totalCount: Int! }
union SearchItem = Issue | User
type SearchEdge { cursor: String! node: SearchItem! }
type SearchConnection { edges: [SearchEdge!]! pageInfo: PageInfo! issueCount: Int! }

input CreateIssueInput { clientMutationId: String repoId: ID! title: String! }
type CreateIssuePayload { clientMutationId: String issue: Issue }
input CloseIssueInput { issueId: ID! }
type CloseIssuePayload { issue: Issue }
input DeleteIssueInput { issueId: ID! }
type DeleteIssuePayload { repo: Repo }
input AddStarInput { starrableId: ID! }
type AddStarPayload { starrable: Repo }
input RemoveReactionInput { subjectId: ID! }
type RemoveReactionPayload { subject: Node }
type Mutation {
  createIssue(input: CreateIssueInput!): CreateIssuePayload
  closeIssue(input: CloseIssueInput!): CloseIssuePayload
  deleteIssue(input: DeleteIssueInput!): DeleteIssuePayload
  addStar(input: AddStarInput!): AddStarPayload
  removeReaction(input: RemoveReactionInput!): RemoveReactionPayload
  addLabel(name: String!): Label!
  ping: Boolean
}
`

func build(t *testing.T, src string) *Model {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "t.graphql", Input: src})
	if err != nil {
		t.Fatal(err)
	}
	return Build(s, Options{})
}

// plan renders a field's plan: "kind [targets] back={…} match={…}".
func plan(m *Model, typ, field string) string {
	p := m.Field(m.Schema.Types[typ].Fields.ForName(field))
	if p == nil {
		return "none"
	}
	var ts []string
	for _, t := range p.Targets {
		ts = append(ts, t.Name)
	}
	out := fmt.Sprintf("%s %v", p.Kind, ts)
	if len(p.Back) > 0 {
		out += fmt.Sprintf(" back=%v", p.Back)
	}
	var ms []string
	for t, am := range p.Match {
		for _, a := range am {
			s := t + "." + a.Arg + "→" + a.Field
			if a.Via != "" {
				s = t + "." + a.Arg + "→" + a.Via + "." + a.Field
			}
			if a.OneOf {
				s += "[]"
			}
			ms = append(ms, s)
		}
	}
	sort.Strings(ms)
	if len(ms) > 0 {
		out += " match=" + strings.Join(ms, ",")
	}
	if p.Text != "" {
		out += " text=" + p.Text
	}
	return out
}

func TestRecordTypes(t *testing.T) {
	m := build(t, sdl)
	var got []string
	for _, r := range m.Records {
		got = append(got, fmt.Sprintf("%s:%s:%s:%v", r.Name, r.Collection, r.Key, r.NumericKey))
	}
	want := "Counter:counters:id:true Invitation:invitations:_key:false Issue:issues:id:false Keyed:keyeds:sku:false Label:labels:id:false Org:orgs:id:false Point:points:_key:false Repo:repos:id:false User:users:id:false"
	if strings.Join(got, " ") != want {
		t.Errorf("records:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if m.Conn("IssueConnection") == nil || m.Conn("SearchConnection") == nil || !m.IsPageInfo("PageInfo") {
		t.Error("connections or PageInfo not recognised")
	}
	for _, notRecord := range []string{"Query", "Mutation", "PageInfo", "IssueEdge", "IssueConnection", "CreateIssuePayload"} {
		if m.Record(notRecord) != nil {
			t.Errorf("%s holds records", notRecord)
		}
	}
	if u := m.Record("User").Unique; strings.Join(u, ",") != "id,login" {
		t.Errorf("User unique %v: the root lookup's login is not unique", u)
	}
	if ix := m.Record("Issue").Index; strings.Join(ix, ",") != "author,repo" {
		t.Errorf("Issue index %v", ix)
	}
}

func TestFieldPlans(t *testing.T) {
	m := build(t, sdl)
	tests := []struct{ typ, field, want string }{
		{"Repo", "owner", "link [Org User]"},
		{"Repo", "parent", "link [Repo]"},
		{"Repo", "forks", "inverse [Repo] back=map[Repo:parent]"},
		{"Repo", "issues", "inverse [Issue] back=map[Issue:repo] match=Issue.states→state[]"},
		{"Repo", "issue", "lookup [Issue] back=map[Issue:repo] match=Issue.number→number"},
		{"Repo", "labels", "links [Label]"},
		{"Issue", "author", "link [Org User]"},
		{"Issue", "labels", "links [Label]"},
		{"Label", "issues", "contains [Issue] back=map[Issue:labels]"},
		{"User", "repos", "inverse [Repo] back=map[Repo:owner]"},
		{"User", "starred", "links [Repo]"},
		{"User", "issues", "inverse [Issue] back=map[Issue:author]"},
		{"Org", "repos", "inverse [Repo] back=map[Repo:owner]"},
		{"Issue", "title", "value []"},
		{"Repo", "issueCount", "count []"},
		{"Query", "relay", "root []"},
		{"Query", "viewer", "first [User]"},
		{"Query", "node", "lookup [Issue Label Org Repo User] match=Issue.id→id,Label.id→id,Org.id→id,Repo.id→id,User.id→id"},
		{"Query", "nodes", "nodes [Issue Label Org Repo User] text=ids"},
		{"Query", "user", "lookup [User] match=User.login→login"},
		{"Query", "repository", "lookup [Repo] match=Repo.name→name,Repo.owner→owner.login"},
		{"Query", "invitation", "lookup [Invitation]"},
		{"Query", "search", "search [Issue User] text=query"},
		{"Query", "issues", "all [Issue] match=Issue.states→state[]"},
		{"Query", "version", "generated []"},
	}
	for _, tc := range tests {
		if got := plan(m, tc.typ, tc.field); got != tc.want {
			t.Errorf("%s.%s: %s, want %s", tc.typ, tc.field, got, tc.want)
		}
	}
	o := m.Field(m.Schema.Types["Repo"].Fields.ForName("issues")).Order
	if o == nil || o.Arg != "orderBy" || o.FieldKey != "field" || o.DirKey != "direction" || o.Fields["Issue"]["CREATED_AT"] != "createdAt" || o.Fields["Issue"]["COMMENTS"] != "" ||
		o.Fields["Issue"]["REACTIONS"] != "reactionCount" {
		t.Errorf("orderBy of Repo.issues: %+v", o)
	}
	if p := m.Field(m.Schema.Query.Fields.ForName("invitation")); !p.Never {
		t.Error("Query.invitation(token:) may find a record, though no field holds a token")
	}
	if w := strings.Join(m.Warnings(), "\n"); !strings.Contains(w, "lookups whose required arguments match no field find nothing (NOT_FOUND) (1): Query.invitation") ||
		!strings.Contains(w, "root fields answer generated values (their type holds no records) (1): Query.version") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestMutationPlans(t *testing.T) {
	m := build(t, sdl)
	tests := []struct{ field, want string }{
		{"createIssue", "create subject= [Issue] input=input"},
		{"closeIssue", "update subject=issueId [Issue] input=input"},
		{"deleteIssue", "delete subject=issueId [Issue] input=input"},
		{"addStar", "update subject=starrableId [Repo] input=input"},
		{"removeReaction", "update subject=subjectId [Issue Label Org Repo User] input=input"},
		{"addLabel", "create subject= [Label] input= direct"},
		{"ping", "echo subject= [] input="},
	}
	for _, tc := range tests {
		mu := m.Mutation(m.Schema.Mutation.Fields.ForName(tc.field))
		var ts []string
		for _, r := range mu.Targets {
			ts = append(ts, r.Name)
		}
		got := fmt.Sprintf("%s subject=%s %v input=%s", mu.Kind, mu.Subject, ts, mu.Input)
		if mu.Direct {
			got += " direct"
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.field, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ in, got, want string }{
		{"PullRequest", LowerCamel("PullRequest"), "pullRequest"},
		{"URLResource", LowerCamel("URLResource"), "urlResource"},
		{"ID", LowerCamel("ID"), "id"},
		{"shelf", Plural("shelf"), "shelves"},
		{"policy", Plural("policy"), "policies"},
		{"address", Plural("address"), "addresses"},
		{"PullRequest", UpperSnake("PullRequest"), "PULL_REQUEST"},
		{"CREATED_AT", CamelOfEnum("CREATED_AT"), "createdAt"},
		{"close", Participle("close"), "closed"},
		{"pin", Participle("pin"), "pinned"},
		{"star", Participle("star"), "starred"},
		{"open", Participle("open"), "opened"},
		{"lock", Participle("lock"), "locked"},
		{"unlock", Participle("unlock"), "locked"},
		{"reopen", Participle("reopen"), "closed"},
		{"copy", Participle("copy"), "copied"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, tc.got, tc.want)
		}
	}
	if v, n := SplitVerb("addProjectV2ItemById"); v != "add" || n != "ProjectV2ItemById" {
		t.Errorf("SplitVerb: %q %q", v, n)
	}
	if !Negated("unlock") || !Negated("reopen") || Negated("close") || Negated("un") {
		t.Error("Negated")
	}
}

// TestSelfReferenceAndCycles: self references, mutual references and
// cycles of any length are links, never refused (the inference that
// nested copies stopped at depth 4 and dropped required ids).
func TestSelfReferenceAndCycles(t *testing.T) {
	m := build(t, `type Query { a: A } type A { id: ID! self: A next: B! } type B { id: ID! back: A! c: C! } type C { d: D! } type D { a: A! }`)
	for _, f := range []string{"A.self", "A.next", "B.back", "B.c", "C.d", "D.a"} {
		typ, field, _ := strings.Cut(f, ".")
		if got := plan(m, typ, field); !strings.HasPrefix(got, "link ") {
			t.Errorf("%s: %s, want a link", f, got)
		}
	}
}

// TestDeterministic: the same schema gives the same model.
func TestDeterministic(t *testing.T) {
	src, err := os.ReadFile("../gqlbind/testdata/graph/library.graphql")
	if err != nil {
		t.Fatal(err)
	}
	render := func() string {
		m := build(t, string(src))
		var b strings.Builder
		for _, r := range m.Records {
			fmt.Fprintf(&b, "%s %s %v %v\n", r.Name, r.Key, r.Unique, r.Index)
			for _, f := range r.Def.Fields {
				fmt.Fprintf(&b, "  %s %s\n", f.Name, plan(m, r.Name, f.Name))
			}
		}
		return b.String() + strings.Join(m.Warnings(), "\n")
	}
	first := render()
	for range 5 {
		if again := render(); again != first {
			t.Fatalf("two builds differ:\n%s\n---\n%s", first, again)
		}
	}
}
