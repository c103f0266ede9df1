package server

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/graphql/introspect"
	"github.com/standin/standin/internal/graphql/respcheck"
	"github.com/standin/standin/internal/sdlfix"
)

// githubSDLPackage is the npm package (and version) GitHub's GraphQL
// schema is taken from; STANDIN_GITHUB_SDL names a schema.graphql to use
// instead (as shipped).
const githubSDLPackage = "@octokit/graphql-schema@15.26.1"

// githubSDL returns GitHub's schema.graphql as shipped: from
// STANDIN_GITHUB_SDL, else from the npm package, packed once into the
// user's cache folder. The test is skipped, saying why, when neither can
// be had (-short, no npm, no network).
func githubSDL(t *testing.T) []byte {
	t.Helper()
	if p := os.Getenv("STANDIN_GITHUB_SDL"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("STANDIN_GITHUB_SDL: %v", err)
		}
		return data
	}
	if testing.Short() {
		t.Skip("-short: GitHub's SDL comes from npm (set STANDIN_GITHUB_SDL to a schema.graphql to run this offline)")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed, so GitHub's SDL (" + githubSDLPackage + ") cannot be fetched; set STANDIN_GITHUB_SDL to a schema.graphql")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "standin-test", strings.NewReplacer("@", "", "/", "-").Replace(githubSDLPackage))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tgz, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if len(tgz) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, npm, "pack", githubSDLPackage, "--pack-destination", dir).CombinedOutput()
		if err != nil {
			t.Skipf("npm pack %s failed (offline?), so GitHub's SDL is not tested: %v\n%s", githubSDLPackage, err, out)
		}
		tgz, _ = filepath.Glob(filepath.Join(dir, "*.tgz"))
		if len(tgz) == 0 {
			t.Skipf("npm pack %s wrote no archive:\n%s", githubSDLPackage, out)
		}
	}
	data, err := fileInTgz(tgz[0], "package/schema.graphql")
	if err != nil {
		t.Fatalf("%s: %v", tgz[0], err)
	}
	return data
}

func fileInTgz(path, name string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("no " + name)
			}
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(io.LimitReader(tr, 64<<20))
		}
	}
}

// ghClient queries the GitHub API a test serves, checking every answer
// with respcheck against the query and the schema.
type ghClient struct {
	s      *stServer
	schema *ast.Schema
}

func (c ghClient) do(t *testing.T, query string, vars map[string]any, allowed ...string) map[string]any {
	t.Helper()
	doc, gerr := gqlparser.LoadQueryWithRules(c.schema, query, nil)
	if gerr != nil {
		t.Fatalf("query does not validate: %v", gerr)
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	r := c.s.do(t, stReq{method: "POST", path: "/github/graphql", body: string(body)})
	var resp struct {
		Data   json.RawMessage  `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &resp); err != nil || r.status != 200 || resp.Data == nil {
		t.Fatalf("%s\nquery: %s", r, shorten(query))
	}
	for _, v := range respcheck.ValidateJSON(c.schema, doc, "", vars, resp.Data) {
		t.Errorf("respcheck: %s\nquery: %s", v, shorten(query))
	}
	for _, e := range resp.Errors {
		code, _ := e["extensions"].(map[string]any)["code"].(string)
		if !slices.Contains(allowed, code) {
			t.Errorf("error %v\nquery: %s", e, shorten(query))
		}
	}
	var data map[string]any
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatal(err)
	}
	return data
}

func shorten(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// TestGitHubSDL: GitHub's GraphQL schema as shipped is refused with the
// place of the field it defines twice (graphql-js refuses it too); with
// that definition removed it starts with no configuration and answers
// real queries: viewer, repository(owner:, name:), node(id:), search,
// addStar, createIssue (read back through node and the repository's
// issues, in the SDL's default order), closeIssue, and GraphiQL's
// introspection. Every answer is valid per respcheck.
func TestGitHubSDL(t *testing.T) {
	shipped := githubSDL(t)
	dir := t.TempDir()
	asShipped := filepath.Join(dir, "shipped", "github.graphql")
	if err := os.MkdirAll(filepath.Dir(asShipped), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(asShipped, shipped, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Specs = config.List{asShipped}
	if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "github.graphql:15153:3") || !strings.Contains(err.Error(), "can only be defined once") {
		t.Errorf("as shipped: %v; want the repeated field refused with its file:line:col", err)
	}
	fixed, dropped, err := sdlfix.DropRepeatedFields(string(shipped))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dropped %s", strings.Join(dropped, ", "))
	file := filepath.Join(dir, "github.graphql")
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{file} })
	t.Logf("started in %s (bundled APIs included)", time.Since(start))
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "github.graphql", Input: fixed})
	if gerr != nil {
		t.Fatal(gerr)
	}
	c := ghClient{s: s, schema: schema}

	v := c.do(t, `{ viewer { id login name createdAt url repositories(first: 5) { totalCount nodes { id name owner { __typename login } } } } rateLimit { limit remaining resetAt } }`, nil)
	repos, _ := stGet(v, "viewer", "repositories", "nodes").([]any)
	login := stGet(v, "viewer", "login")
	if len(repos) == 0 || login == nil {
		t.Fatalf("the viewer has no repositories: %v", v)
	}
	repo := repos[0].(map[string]any)
	if stGet(repo, "owner", "login") != login {
		t.Errorf("viewer.repositories lists %v, owned by %v", repo["name"], stGet(repo, "owner", "login"))
	}
	r := c.do(t, `query($o: String!, $n: String!) { repository(owner: $o, name: $n) { id nameWithOwner stargazerCount
	    issues(first: 50) { totalCount nodes { createdAt } } } }`, map[string]any{"o": login, "n": repo["name"]})
	if stGet(r, "repository", "id") != repo["id"] {
		t.Errorf("repository(owner: %v, name: %v) = %v, want %v", login, repo["name"], stGet(r, "repository", "id"), repo["id"])
	}
	n := c.do(t, `query($id: ID!, $u: ID!) { node(id: $id) { __typename id ... on Repository { name } } user: node(id: $u) { __typename ... on User { login } } }`,
		map[string]any{"id": repo["id"], "u": stGet(v, "viewer", "id")})
	if stGet(n, "node", "__typename") != "Repository" || stGet(n, "node", "name") != repo["name"] || stGet(n, "user", "login") != login {
		t.Errorf("node(id:) = %v", n)
	}
	word := strings.Fields(strings.ToLower(repo["name"].(string)))[0]
	sr := c.do(t, `query($q: String!) { search(query: $q, type: REPOSITORY, first: 10) { repositoryCount issueCount edges { node { __typename ... on Repository { id name } } } } }`, map[string]any{"q": word})
	found := false
	for _, e := range stGet(sr, "search", "edges").([]any) {
		found = found || stGet(e, "node", "id") == repo["id"]
	}
	if !found {
		t.Errorf("search %q does not find repository %v: %v", word, repo["name"], sr)
	}
	star := c.do(t, `mutation($id: ID!) { addStar(input: {starrableId: $id, clientMutationId: "s1"}) { clientMutationId starrable { __typename id viewerHasStarred } } }`, map[string]any{"id": repo["id"]})
	if stGet(star, "addStar", "clientMutationId") != "s1" || stGet(star, "addStar", "starrable", "id") != repo["id"] || stGet(star, "addStar", "starrable", "viewerHasStarred") != true {
		t.Errorf("addStar = %v", star)
	}
	ci := c.do(t, `mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "Standin can serve this", body: "…", clientMutationId: "c1"}) {
	    clientMutationId issue { id number title state repository { id } author { login } } } }`, map[string]any{"r": repo["id"]})
	issue, _ := stGet(ci, "createIssue", "issue").(map[string]any)
	if issue == nil || issue["title"] != "Standin can serve this" || stGet(issue, "repository", "id") != repo["id"] || stGet(ci, "createIssue", "clientMutationId") != "c1" {
		t.Fatalf("createIssue = %v", ci)
	}
	back := c.do(t, `query($id: ID!, $o: String!, $n: String!) { node(id: $id) { ... on Issue { title } }
	    repository(owner: $o, name: $n) { issues(first: 100) { nodes { id createdAt } } } }`, map[string]any{"id": issue["id"], "o": login, "n": repo["name"]})
	var issueIDs, created []string
	for _, x := range stGet(back, "repository", "issues", "nodes").([]any) {
		issueIDs = append(issueIDs, stGet(x, "id").(string))
		created = append(created, stGet(x, "createdAt").(string))
	}
	if stGet(back, "node", "title") != issue["title"] || !slices.Contains(issueIDs, issue["id"].(string)) {
		t.Errorf("the created issue is not read back: %v", back)
	}
	if !slices.IsSorted(created) {
		t.Errorf("Repository.issues without orderBy: createdAt %v, not in the SDL's default order (CREATED_AT ASC)", created)
	}
	cl := c.do(t, `mutation($id: ID!) { closeIssue(input: {issueId: $id}) { issue { state closed closedAt } } }`, map[string]any{"id": issue["id"]})
	if stGet(cl, "closeIssue", "issue", "state") != "CLOSED" || stGet(cl, "closeIssue", "issue", "closed") != true || stGet(cl, "closeIssue", "issue", "closedAt") == nil {
		t.Errorf("closeIssue = %v", cl)
	}
	for name, q := range map[string]string{"GraphiQL's": introspect.Query, "every option's": introspect.FullQuery} {
		in := c.do(t, q, nil)
		if types, _ := stGet(in, "__schema", "types").([]any); len(types) < 1600 {
			t.Errorf("%s introspection: %d types", name, len(types))
		}
	}
}
