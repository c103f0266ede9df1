package gqlbind

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/graphql/introspect"
)

func ids(v any) []string {
	var out []string
	for _, n := range asList(v) {
		out = append(out, fmt.Sprint(at(n, "id")))
	}
	sort.Strings(out)
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

// TestGraphSelfReference: type Node { id: ID! parent: Node } is served
// (it was refused: generation stopped at depth 4 and dropped the required
// id), parent links resolve at any depth, and children is the other side
// of parent.
func TestGraphSelfReference(t *testing.T) {
	a := startGraph(t, "testdata/graph/selfref.graphql", 12)
	deep := "id"
	for range 12 {
		deep = "id parent { " + deep + " }"
	}
	ans := a.do(t, "{ nodes { id name parent { id } children { id } "+deep+" } }", nil)
	stored := map[string]any{}
	for _, r := range a.records(t, "Node") {
		stored[r["id"].(string)] = r["parent"]
	}
	nodes := asList(at(ans.Data, "nodes"))
	if len(nodes) != 12 {
		t.Fatalf("%d nodes, want 12", len(nodes))
	}
	withParent := 0
	for _, n := range nodes {
		id := at(n, "id").(string)
		if p := at(n, "parent.id"); p != stored[id] {
			t.Errorf("node %s: parent %v, stored %v", id, p, stored[id])
		} else if p != nil {
			withParent++
		}
		var want []string
		for child, parent := range stored {
			if parent == id {
				want = append(want, child)
			}
		}
		sort.Strings(want)
		if got := ids(at(n, "children")); !slices.Equal(got, want) {
			t.Errorf("node %s: children %v, want the nodes whose parent it is %v", id, got, want)
		}
	}
	if withParent == 0 {
		t.Error("no node has a parent: the links are not generated")
	}
}

// TestGraphMutualReference: A needs a B and B may have an A; both
// directions resolve, as deep as asked.
func TestGraphMutualReference(t *testing.T) {
	a := startGraph(t, "testdata/graph/mutual.graphql", 5)
	ans := a.do(t, "{ as { id label b { id title a { id b { id a { id } } } } } }", nil)
	bs := map[string]any{}
	for _, r := range a.records(t, "B") {
		bs[r["id"].(string)] = r["a"]
	}
	for _, x := range asList(at(ans.Data, "as")) {
		b := at(x, "b.id")
		if _, ok := bs[fmt.Sprint(b)]; !ok {
			t.Errorf("A %v links B %v, which is not a stored B", at(x, "id"), b)
		}
		if got, want := at(x, "b.a.id"), bs[fmt.Sprint(b)]; got != want {
			t.Errorf("B %v: a %v, stored %v", b, got, want)
		}
	}
}

// TestGraphChain7: a chain of seven types, each needing the next, is
// served to its end and back to the start.
func TestGraphChain7(t *testing.T) {
	a := startGraph(t, "testdata/graph/chain7.graphql", 4)
	ans := a.do(t, "{ firsts { id next { next { next { next { next { next { __typename id name first { __typename id } } } } } } } } }", nil)
	firsts := asList(at(ans.Data, "firsts"))
	if len(firsts) != 4 {
		t.Fatalf("%d T1s, want 4", len(firsts))
	}
	for _, f := range firsts {
		if typ := at(f, "next.next.next.next.next.next.__typename"); typ != "T7" {
			t.Errorf("six links down from %v: %v, want a T7", at(f, "id"), typ)
		}
		if typ := at(f, "next.next.next.next.next.next.first.__typename"); typ != "T1" {
			t.Errorf("T7.first: %v", typ)
		}
	}
}

// TestGraphTwoWay: Author.books is exactly the books whose author is that
// author, in both directions, also for a union list (Owner.pets).
func TestGraphTwoWay(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 8)
	books := a.records(t, "Book")
	for _, au := range a.records(t, "Author") {
		ans := a.do(t, `query($l: String!) { author(login: $l) { id books(first: 100) { totalCount nodes { id author { id } } } } }`,
			map[string]any{"l": au["login"]})
		var want []string
		for _, b := range books {
			if b["author"] == au["id"] {
				want = append(want, b["id"].(string))
			}
		}
		sort.Strings(want)
		if got := ids(at(ans.Data, "author.books.nodes")); !slices.Equal(got, want) {
			t.Errorf("author %v: books %v, want %v", au["login"], got, want)
		}
		if n := at(ans.Data, "author.books.totalCount"); n != float64(len(want)) {
			t.Errorf("author %v: totalCount %v, want %d", au["login"], n, len(want))
		}
		for _, b := range asList(at(ans.Data, "author.books.nodes")) {
			if at(b, "author.id") != au["id"] {
				t.Errorf("book %v of author %v names author %v", at(b, "id"), au["id"], at(b, "author.id"))
			}
		}
	}
	pets := startGraph(t, "testdata/graph/abstract.graphql", 5)
	ans := pets.do(t, `{ owners { id pets { __typename ... on Dog { id owner { id } } ... on Cat { id owner { id } } ... on Parrot { id owner { id } } } } }`, nil)
	total := 0
	for _, o := range asList(at(ans.Data, "owners")) {
		for _, p := range asList(at(o, "pets")) {
			total++
			if at(p, "owner.id") != at(o, "id") {
				t.Errorf("owner %v lists pet %v whose owner is %v", at(o, "id"), at(p, "id"), at(p, "owner.id"))
			}
		}
	}
	stored := 0
	for _, typ := range []string{"Dog", "Cat", "Parrot"} {
		for _, r := range pets.records(t, typ) {
			if r["owner"] != nil {
				stored++
			}
		}
	}
	if total != stored {
		t.Errorf("owners list %d pets, %d pets have an owner", total, stored)
	}
}

// TestGraphNodeEveryType: node(id:) finds every record of every type
// implementing Node by its global id, with the right __typename;
// nodes(ids:) answers one entry per id, null for an unknown one.
func TestGraphNodeEveryType(t *testing.T) {
	for file, types := range map[string][]string{
		"testdata/graph/library.graphql":  {"Author", "Book", "Shelf", "Review"},
		"testdata/graph/abstract.graphql": {"Dog", "Cat", "Parrot", "Owner"},
	} {
		a := startGraph(t, file, 4)
		for _, typ := range types {
			recs := a.records(t, typ)
			if len(recs) != 4 {
				t.Fatalf("%s: %d records", typ, len(recs))
			}
			for _, r := range recs {
				id := r["id"].(string)
				if gt, _, ok := fakedata.ParseNodeID(id); !ok || gt != typ {
					t.Errorf("%s id %q is not a global id of its type", typ, id)
				}
				ans := a.do(t, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id})
				if at(ans.Data, "node.__typename") != typ || at(ans.Data, "node.id") != id {
					t.Errorf("node(%s) = %v, want a %s", id, at(ans.Data, "node"), typ)
				}
			}
		}
		ans := a.do(t, `{ node(id: "bm90aGluZzox") { id } }`, nil, "NOT_FOUND")
		if at(ans.Data, "node") != nil || len(ans.Errors) != 1 {
			t.Errorf("unknown id: %s", ans.raw)
		}
	}
	a := startGraph(t, "testdata/graph/library.graphql", 4)
	book := a.records(t, "Book")[2]["id"]
	ans := a.do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": []any{book, "nope", book}})
	got := asList(at(ans.Data, "nodes"))
	if len(got) != 3 || at(got[0], "id") != book || got[1] != nil || at(got[2], "__typename") != "Book" {
		t.Errorf("nodes = %s", ans.raw)
	}
}

// TestGraphArgumentDefaults: a connection's default orderBy from the SDL
// is accepted and applied (Query.books: TITLE ASC, Author.books:
// PUBLISHED_AT DESC); a given one wins; cursors page through it.
func TestGraphArgumentDefaults(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 15)
	sorted := func(vals []any, less func(x, y any) bool) bool {
		return slices.IsSortedFunc(vals, func(x, y any) int {
			switch {
			case less(x, y):
				return -1
			case less(y, x):
				return 1
			}
			return 0
		})
	}
	str := func(x, y any) bool { return x.(string) < y.(string) }
	ans := a.do(t, `{ books(first: 100) { nodes { title } } }`, nil)
	var titles []any
	for _, n := range asList(at(ans.Data, "books.nodes")) {
		titles = append(titles, at(n, "title"))
	}
	if len(titles) != 15 || !sorted(titles, str) {
		t.Errorf("books without orderBy (default TITLE ASC): %v", titles)
	}
	ans = a.do(t, `{ books(first: 100, orderBy: {field: PAGES, direction: DESC}) { nodes { pages } } }`, nil)
	var pages []any
	for _, n := range asList(at(ans.Data, "books.nodes")) {
		pages = append(pages, at(n, "pages"))
	}
	if !sorted(pages, func(x, y any) bool { return x.(float64) > y.(float64) }) {
		t.Errorf("PAGES DESC: %v", pages)
	}
	au := a.records(t, "Author")[0]
	ans = a.do(t, `query($l: String!) { author(login: $l) { books(first: 100) { nodes { publishedAt } } } }`, map[string]any{"l": au["login"]})
	var dates []any
	for _, n := range asList(at(ans.Data, "author.books.nodes")) {
		dates = append(dates, at(n, "publishedAt"))
	}
	if !sorted(dates, func(x, y any) bool { return x.(string) > y.(string) }) {
		t.Errorf("Author.books without orderBy (default PUBLISHED_AT DESC): %v", dates)
	}
	// pages of 4 through the default order: no repeat, nothing left out
	var seen []any
	after := any(nil)
	for range 5 {
		ans := a.do(t, `query($a: String) { books(first: 4, after: $a) { nodes { title } pageInfo { hasNextPage endCursor } } }`, map[string]any{"a": after})
		for _, n := range asList(at(ans.Data, "books.nodes")) {
			seen = append(seen, at(n, "title"))
		}
		if at(ans.Data, "books.pageInfo.hasNextPage") != true {
			break
		}
		after = at(ans.Data, "books.pageInfo.endCursor")
	}
	if !slices.Equal(seen, titles) {
		t.Errorf("paged titles %v, want %v", seen, titles)
	}
	ans = a.do(t, `{ books(first: 2, after: "garbage") { totalCount } }`, nil, "BAD_USER_INPUT")
	if len(ans.Errors) != 1 {
		t.Errorf("a garbage cursor: %s", ans.raw)
	}
}

// TestGraphMutations: create (input mapped onto the record by name, links
// from ids, clientMutationId echoed), read back by node(id:) and through
// the two-way relation; update; lists of links grown and shrunk; a create
// linked to the record an id names (addReview's subjectId); delete and
// read back; a second delete is NOT_FOUND.
func TestGraphMutations(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 5)
	author := a.records(t, "Author")[1]
	shelves := a.records(t, "Shelf")
	ans := a.do(t, `mutation($in: CreateBookInput!) { createBook(input: $in) { clientMutationId book { id title genre pages author { id } shelves { id } } } }`,
		map[string]any{"in": map[string]any{"clientMutationId": "c-1", "title": "The Standin", "genre": "ESSAY", "pages": 321,
			"authorId": author["id"], "shelfIds": []any{shelves[0]["id"]}}})
	book := at(ans.Data, "createBook.book")
	id, _ := at(book, "id").(string)
	if at(ans.Data, "createBook.clientMutationId") != "c-1" || at(book, "title") != "The Standin" || at(book, "genre") != "ESSAY" ||
		at(book, "pages") != 321.0 || at(book, "author.id") != author["id"] || !slices.Equal(ids(at(book, "shelves")), []string{shelves[0]["id"].(string)}) {
		t.Fatalf("createBook = %s", ans.raw)
	}
	if typ, _, ok := fakedata.ParseNodeID(id); !ok || typ != "Book" {
		t.Errorf("new id %q is not a global id of a Book", id)
	}
	ans = a.do(t, `query($id: ID!, $l: String!) { node(id: $id) { ... on Book { title } } author(login: $l) { books(first: 100) { nodes { id } } } }`,
		map[string]any{"id": id, "l": author["login"]})
	if at(ans.Data, "node.title") != "The Standin" || !slices.Contains(ids(at(ans.Data, "author.books.nodes")), id) {
		t.Errorf("the created book is not read back: %s", ans.raw)
	}
	ans = a.do(t, `mutation($id: ID!) { updateBook(input: {id: $id, title: "Second Edition", clientMutationId: "u"}) { clientMutationId book { title pages } } }`, map[string]any{"id": id})
	if at(ans.Data, "updateBook.book.title") != "Second Edition" || at(ans.Data, "updateBook.book.pages") != 321.0 || at(ans.Data, "updateBook.clientMutationId") != "u" {
		t.Errorf("updateBook = %s", ans.raw)
	}
	ans = a.do(t, `mutation($id: ID!, $s: [ID!]!) { addShelvesToBook(input: {bookId: $id, shelfIds: $s}) { book { shelves { id } } } }`,
		map[string]any{"id": id, "s": []any{shelves[1]["id"], shelves[2]["id"]}})
	if got := ids(at(ans.Data, "addShelvesToBook.book.shelves")); len(got) != 3 {
		t.Errorf("after adding two shelves: %v", got)
	}
	ans = a.do(t, `mutation($id: ID!, $s: [ID!]!) { removeShelvesFromBook(input: {bookId: $id, shelfIds: $s}) { book { shelves { id } } } }`,
		map[string]any{"id": id, "s": []any{shelves[0]["id"]}})
	if got := ids(at(ans.Data, "removeShelvesFromBook.book.shelves")); len(got) != 2 || slices.Contains(got, shelves[0]["id"].(string)) {
		t.Errorf("after removing the first shelf: %v", got)
	}
	ans = a.do(t, `mutation($id: ID!) { addReview(input: {subjectId: $id, body: "Fine.", stars: 4}) { reviewEdge { cursor node { id body stars book { id } } } subject { id } } }`, map[string]any{"id": id})
	if at(ans.Data, "addReview.reviewEdge.node.book.id") != id || at(ans.Data, "addReview.subject.id") != id || at(ans.Data, "addReview.reviewEdge.node.body") != "Fine." {
		t.Errorf("addReview = %s", ans.raw)
	}
	ans = a.do(t, `query($id: ID!) { node(id: $id) { ... on Book { reviews { totalCount edges { node { body } } } } } }`, map[string]any{"id": id})
	if at(ans.Data, "node.reviews.totalCount") != 1.0 {
		t.Errorf("the book's reviews after addReview: %s", ans.raw)
	}
	// the derived side of a many-to-many relation (Shelf.books reads
	// Book.shelves) is written through the stored side
	books := a.records(t, "Book")
	shelf := shelves[3]["id"]
	ans = a.do(t, `mutation($s: ID!, $b: [ID!]!) { updateShelf(input: {id: $s, label: "Essays", bookIds: $b}) { shelf { label books { id shelves { id } } } } }`,
		map[string]any{"s": shelf, "b": []any{books[0]["id"], id}})
	if got := ids(at(ans.Data, "updateShelf.shelf.books")); !slices.Equal(got, sortedStrings(books[0]["id"], id)) || at(ans.Data, "updateShelf.shelf.label") != "Essays" {
		t.Errorf("updateShelf = %s", ans.raw)
	}
	for _, b := range asList(at(ans.Data, "updateShelf.shelf.books")) {
		if !slices.Contains(ids(at(b, "shelves")), shelf.(string)) {
			t.Errorf("book %v on shelf %v does not list it", at(b, "id"), shelf)
		}
	}
	ans = a.do(t, `mutation($s: ID!, $b: [ID!]!) { updateShelf(input: {id: $s, bookIds: $b}) { shelf { books { id } } } }`,
		map[string]any{"s": shelf, "b": []any{id}})
	if got := ids(at(ans.Data, "updateShelf.shelf.books")); !slices.Equal(got, []string{id}) {
		t.Errorf("updateShelf replacing the books: %s", ans.raw)
	}
	ans = a.do(t, `mutation($id: ID!) { deleteBook(input: {bookId: $id, clientMutationId: "d"}) { clientMutationId deletedBookId author { id } } }`, map[string]any{"id": id})
	if at(ans.Data, "deleteBook.deletedBookId") != id || at(ans.Data, "deleteBook.author.id") != author["id"] || at(ans.Data, "deleteBook.clientMutationId") != "d" {
		t.Errorf("deleteBook = %s", ans.raw)
	}
	ans = a.do(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND")
	if at(ans.Data, "node") != nil {
		t.Errorf("the deleted book is still found: %s", ans.raw)
	}
	ans = a.do(t, `mutation($id: ID!) { deleteBook(input: {bookId: $id}) { deletedBookId } }`, map[string]any{"id": id}, "NOT_FOUND")
	if at(ans.Data, "deleteBook") != nil || len(ans.Errors) != 1 {
		t.Errorf("a second delete: %s", ans.raw)
	}
	a.st.Reset()
	ans = a.do(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND")
	if at(ans.Data, "node") != nil {
		t.Errorf("after a reset the created book remains: %s", ans.raw)
	}
}

// TestGraphSearch: search answers a connection of the records whose text
// holds every word, of the type the type argument names, with per-type
// counts; no match is an empty connection.
func TestGraphSearch(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 10)
	title := a.records(t, "Book")[3]["title"].(string)
	word := strings.ToLower(strings.Fields(title)[0])
	var want []string
	for _, b := range a.records(t, "Book") {
		if strings.Contains(strings.ToLower(b["title"].(string)), word) {
			want = append(want, b["id"].(string))
		}
	}
	sort.Strings(want)
	ans := a.do(t, `query($q: String!) { search(query: $q, type: BOOK, first: 50) { bookCount authorCount edges { node { __typename ... on Book { id } } } } }`, map[string]any{"q": word})
	var got []string
	for _, e := range asList(at(ans.Data, "search.edges")) {
		if at(e, "node.__typename") != "Book" {
			t.Errorf("type BOOK answered a %v", at(e, "node.__typename"))
		}
		got = append(got, at(e, "node.id").(string))
	}
	sort.Strings(got)
	if !slices.Equal(got, want) || at(ans.Data, "search.bookCount") != float64(len(want)) || at(ans.Data, "search.authorCount") != 0.0 {
		t.Errorf("search %q: %s, want books %v", word, ans.raw, want)
	}
	ans = a.do(t, `{ search(query: "zzzz-nothing", type: AUTHOR) { bookCount authorCount edges { cursor } pageInfo { hasNextPage } } }`, nil)
	if len(asList(at(ans.Data, "search.edges"))) != 0 || at(ans.Data, "search.authorCount") != 0.0 {
		t.Errorf("no match: %s", ans.raw)
	}
}

// TestGraphGeneratedValues: values are realistic by type and name (dates
// as dates, URLs, git object ids, enums from their values), fields with
// arguments and extra connection fields answer, and the same seed gives
// the same bytes.
func TestGraphGeneratedValues(t *testing.T) {
	q := `{ version uptime meta { gitVersion limits { cost resetAt } }
	  repositories(first: 5) { totalCount totalDiskUsage nodes { id name visibility createdOn pushedAt headOid description(short: true)
	    owner { login avatarUrl(size: 10) starred(first: 2) { edges { starredAt } } } languages { name } } } }`
	a := startGraph(t, "testdata/graph/values.graphql", 5)
	ans := a.do(t, q, nil)
	checks := map[string]*regexp.Regexp{
		"createdOn":       regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
		"pushedAt":        regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`),
		"headOid":         regexp.MustCompile(`^[0-9a-f]{40}$`),
		"owner.avatarUrl": regexp.MustCompile(`^https?://`),
	}
	for _, n := range asList(at(ans.Data, "repositories.nodes")) {
		for path, re := range checks {
			if s, _ := at(n, path).(string); !re.MatchString(s) {
				t.Errorf("%s = %q, want %s", path, s, re)
			}
		}
		if v := at(n, "visibility"); v != "PUBLIC" && v != "PRIVATE" && v != "INTERNAL" {
			t.Errorf("visibility %v", v)
		}
	}
	again := startGraph(t, "testdata/graph/values.graphql", 5).do(t, q, nil)
	if again.raw != ans.raw {
		t.Errorf("same seed, other bytes:\n%s\n%s", ans.raw, again.raw)
	}
	if w := strings.Join(a.warn, "\n"); !strings.Contains(w, "root fields answer generated values (their type holds no records) (2): Query.uptime, Query.version") {
		t.Errorf("warnings do not name the generated root fields, counted:\n%s", w)
	}
}

// TestGraphIntrospection: graphql-js's full introspection query is
// answered under the default limits.
func TestGraphIntrospection(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 2)
	a.ex = newDefaultExecutor(a)
	ans := a.do(t, introspect.FullQuery, nil)
	if !strings.Contains(ans.raw, `"name":"SearchResult"`) {
		t.Errorf("introspection: %s", shorten(ans.raw))
	}
}

func sortedStrings(vals ...any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprint(v)
	}
	sort.Strings(out)
	return out
}

// TestGraphConcurrentWrites: mutations and reads at once lose nothing
// (run with -race): every concurrent addShelvesToBook of a different
// shelf to one book is kept.
func TestGraphConcurrentWrites(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 12)
	book := a.records(t, "Book")[0]["id"]
	var shelves []any
	for _, s := range a.records(t, "Shelf") {
		shelves = append(shelves, s["id"])
	}
	a.do(t, `mutation($b: ID!) { addShelvesToBook(input: {bookId: $b, shelfIds: []}) { book { id } } }`, map[string]any{"b": book})
	a.do(t, `mutation($b: ID!, $all: [ID!]!) { removeShelvesFromBook(input: {bookId: $b, shelfIds: $all}) { book { id } } }`, map[string]any{"b": book, "all": shelves})
	done := make(chan struct{})
	for _, s := range shelves {
		go func() {
			defer func() { done <- struct{}{} }()
			a.do(t, `mutation($b: ID!, $s: ID!) { addShelvesToBook(input: {bookId: $b, shelfIds: [$s]}) { book { id } } }`, map[string]any{"b": book, "s": s})
			a.do(t, `{ books(first: 10) { nodes { title shelves { id } } } }`, nil)
		}()
	}
	for range shelves {
		<-done
	}
	ans := a.do(t, `query($b: ID!) { node(id: $b) { ... on Book { shelves { id } } } }`, map[string]any{"b": book})
	if got := ids(at(ans.Data, "node.shelves")); len(got) != len(shelves) {
		t.Errorf("after %d concurrent adds the book is on %d shelves: %v", len(shelves), len(got), got)
	}
}

// TestGraphCountsAgree: an xCount field counts its list (Author.bookCount
// is books.totalCount, also after a create), and an order naming the list
// (BOOKS) sorts by that count, ties in creation order, cursors walking it.
func TestGraphCountsAgree(t *testing.T) {
	a := startGraph(t, "testdata/graph/library.graphql", 12)
	check := func() []any {
		ans := a.do(t, `{ authors(first: 100, orderBy: {field: BOOKS, direction: DESC}) { edges { cursor node { login bookCount books(first: 100) { totalCount } } } } }`, nil)
		var counts []any
		for _, e := range asList(at(ans.Data, "authors.edges")) {
			if at(e, "node.bookCount") != at(e, "node.books.totalCount") {
				t.Errorf("author %v: bookCount %v, books.totalCount %v", at(e, "node.login"), at(e, "node.bookCount"), at(e, "node.books.totalCount"))
			}
			counts = append(counts, at(e, "node.bookCount"))
		}
		if !slices.IsSortedFunc(counts, func(x, y any) int { return int(y.(float64) - x.(float64)) }) {
			t.Errorf("BOOKS DESC: counts %v", counts)
		}
		return asList(at(ans.Data, "authors.edges"))
	}
	edges := check()
	last := a.records(t, "Author")[11]
	a.do(t, `mutation($a: ID!) { createBook(input: {title: "More", genre: DRAMA, pages: 1, authorId: $a}) { book { id } } }`, map[string]any{"a": last["id"]})
	a.do(t, `mutation($a: ID!) { createBook(input: {title: "Most", genre: DRAMA, pages: 2, authorId: $a}) { book { id } } }`, map[string]any{"a": last["id"]})
	after := check()
	if len(after) != len(edges) {
		t.Fatalf("%d authors, then %d", len(edges), len(after))
	}
	// the cursor of the second author pages to the third
	ans := a.do(t, `query($c: String) { authors(first: 1, after: $c, orderBy: {field: BOOKS, direction: DESC}) { nodes: edges { node { login } } } }`, map[string]any{"c": at(after[1], "cursor")})
	if at(ans.Data, "authors.nodes.0.node.login") != at(after[2], "node.login") {
		t.Errorf("after the second author's cursor: %s, want %v", ans.raw, at(after[2], "node.login"))
	}
}

// TestGraphLookupNobodyCanSatisfy: a lookup whose required argument no
// field holds (invitation(token:)) finds nothing, NOT_FOUND, rather than
// answering a record for any token.
func TestGraphLookupNobodyCanSatisfy(t *testing.T) {
	a := startGraph(t, "testdata/graph/values.graphql", 3)
	ans := a.do(t, `{ invitation(token: "anything") { email } }`, nil, "NOT_FOUND")
	if at(ans.Data, "invitation") != nil || len(ans.Errors) != 1 {
		t.Errorf("invitation(token:) = %s", ans.raw)
	}
}
