package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/usererr"
)

// brokenFile is one broken user file: what to write where, and what the
// command must say about it.
type brokenFile struct {
	kind, name string
	// file is the path of the broken file: "standin.yaml" (passed as
	// --config), "fixtures/..." (a copy of the bundled fixtures, passed as
	// fixturesDir) or a path inside a copy of internal/rest/testdata/books
	// (passed as --apis-dir).
	file string
	// edit turns the good content ("" for a new file) into the broken one.
	edit func(good string) string
	// at is text of the broken file that starts where the error points.
	at string
	// problem and fix are in the message after "file:line:col: "
	// ({apis} stands for the --apis-dir folder).
	problem, fix string
	// skip, when set, says why the row does not run yet.
	skip string
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("the good file has no " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func content(s string) func(string) string { return func(string) string { return s } }

// brokenFiles: several rows per kind of user file: YAML or JSON syntax,
// unknown key, wrong type, bad value, bad reference.
func brokenFiles() []brokenFile {
	const scen = "books/scenarios/broken.yaml"
	return []brokenFile{
		// configuration (--config)
		{kind: "config", name: "YAML syntax", file: "standin.yaml", edit: content("apis:\n  admin: scenario: none\n"),
			at: ": none", problem: "YAML syntax: mapping values are not allowed in this context", fix: "must be quoted"},
		{kind: "config", name: "unknown key", file: "standin.yaml", edit: content("seed: 3\njournalsize: 10\n"),
			at: "journalsize", problem: `unknown key "journalsize"`, fix: `did you mean "journalSize"?`},
		{kind: "config", name: "wrong type", file: "standin.yaml", edit: content("seed: lots\n"),
			at: "lots", problem: `seed: want a whole number, not "lots"`, fix: "write digits only"},
		{kind: "config", name: "bad value", file: "standin.yaml", edit: content("seed: 2\njournalSize: 1000000000000\n"),
			at: "1000000000000", problem: "journalSize 1000000000000: want 0 to 100000 entries", fix: "choose a smaller journal"},
		{kind: "config", name: "bad reference: an API no manifest declares", file: "standin.yaml", edit: content("apis:\n  nosuchapi:\n    enabled: true\n"),
			at: "nosuchapi", problem: `config names API "nosuchapi", which no manifest declares`, fix: "use one of admin, books, clients-v0"},
		{kind: "config", name: "bad reference: an unknown sticky scenario", file: "standin.yaml", edit: content("apis:\n  admin:\n    scenario: no-such\n"),
			at: "no-such", problem: `sticky scenario admin=no-such: unknown scenario "no-such"`, fix: "name one of the API's scenarios"},

		// scenarios (books/scenarios/*.yaml)
		{kind: "scenario", name: "YAML syntax on line 2", file: scen, edit: content("description: d\n- effect\n"),
			at: "- effect", problem: "YAML syntax: did not find expected key", fix: "check this line's indentation"},
		{kind: "scenario", name: "unknown key", file: scen, edit: content("description: d\neffect:\n  status: 500\n  stauts: 1\n"),
			at: "stauts", problem: `unknown key "stauts" in effect`, fix: `did you mean "status"?`},
		{kind: "scenario", name: "wrong type", file: scen, edit: content("description: d\neffect:\n  status: five hundred\n"),
			at: "five", problem: `effect.status: want a whole number, not "five hundred"`, fix: "write digits only"},
		{kind: "scenario", name: "bad value", file: scen, edit: content("description: d\neffect:\n  fault: explode\n"),
			at: "explode", problem: `effect.fault: "explode" is not a fault`, fix: "write one of connection-reset"},
		{kind: "scenario", name: "bad reference: a name that is not the file's", file: scen, edit: content("name: other\ndescription: d\neffect: {status: 500}\n"),
			at: "other", problem: `name "other" differs from the file name "broken"`, fix: "rename the file to other.yaml"},

		// manifests (books/api.yaml)
		{kind: "manifest", name: "YAML syntax", file: "books/api.yaml", edit: replace("title: Books (test API)", "title: Books: the test API"),
			at: ": the test", problem: "YAML syntax: mapping values are not allowed in this context", fix: "must be quoted"},
		{kind: "manifest", name: "unknown key", file: "books/api.yaml", edit: replace("title: Books", "titel: Books"),
			at: "titel", problem: `unknown key "titel"`, fix: `did you mean "title"?`},
		{kind: "manifest", name: "wrong type", file: "books/api.yaml", edit: replace("prefix: /lib", "prefix: [/lib]"),
			at: "[/lib]", problem: "prefix: want text, not a list", fix: "quote it if it is meant as text"},
		{kind: "manifest", name: "bad value", file: "books/api.yaml", edit: replace("      action: list\n      scoped: true\n      envelope: {ok", "      action: lsit\n      scoped: true\n      envelope: {ok"),
			at: "lsit", problem: `rest operation "listBooks": action "lsit" is not list, get, create, replace, patch or delete`, fix: "write one of list, get"},
		{kind: "manifest", name: "bad reference: an unknown collection", file: "books/api.yaml", edit: replace("    listBooks:\n      collection: books", "    listBooks:\n      collection: bookz"),
			at: "bookz", problem: `rest operation "listBooks": unknown collection "bookz"`, fix: "use one of the collections: books"},
		{kind: "manifest", name: "bad reference: a fixtures file that does not exist", file: "books/api.yaml", edit: replace("fixtures: books.json", "fixtures: novels.json"),
			at: "novels.json", problem: "fixtures file {apis}/books/fixtures/novels.json does not exist", fix: "create it (a JSON array of records)"},

		// fixtures (books/fixtures/books.json; values checked against
		// the schema the manifest names)
		{kind: "fixture", name: "JSON syntax", file: "books/fixtures/books.json", edit: replace(`"title": "Dune",`, `"title": "Dune"`),
			at: `"year": 1900`, problem: "JSON syntax: invalid character '\"' after object key:value pair", fix: "check the JSON syntax here"},
		{kind: "fixture", name: "wrong type: not an array", file: "books/fixtures/books.json", edit: content(`{"isbn": "9780000000010"}`),
			at: `{"isbn"`, problem: "a JSON object where a JSON array of records is wanted", fix: "the file must hold a JSON array of records"},
		{kind: "fixture", name: "wrong type: a value", file: "books/fixtures/books.json", edit: replace(`"year": 1900`, `"year": "1900"`),
			at: `"1900"`, problem: "books.books record 0 (isbn=9780000000010): /year:", fix: "make the record match the schema StoredBook"},
		{kind: "fixture", name: "bad reference: a repeated unique key", file: "books/fixtures/books.json", edit: replace(`"isbn": "9780000000011"`, `"isbn": "9780000000010"`),
			at: `"9780000000010",
  "title": "Emma`, problem: "books.books record 1 (isbn=9780000000010): /isbn:", fix: "give every record its own isbn"},

		// credentials (fixtures/credentials.yaml of a fixturesDir)
		{kind: "fixture", name: "credentials: unknown key", file: "fixtures/credentials.yaml", edit: replace("permissions: [ADMIN, READ, WRITE]", "permisions: [ADMIN, READ, WRITE]"),
			at: "permisions", problem: `unknown key "permisions" in tokens.0`, fix: `did you mean "permissions"?`},
		{kind: "fixture", name: "credentials: a repeated token", file: "fixtures/credentials.yaml", edit: replace("token: standin-readonly", "token: standin-admin"),
			at: "standin-admin\n    description: valid, but", problem: `credentials: tokens[1]: token "standin-admin" repeated`, fix: "give each entry a token of its own"},

		// specs (OpenAPI documents and SDLs): placed by the contract layer
		{kind: "spec", name: "dangling $ref", file: "books/openapi.yaml", edit: replace(`$ref: "#/components/schemas/NewBook"`, `$ref: "#/components/schemas/NewBok"`),
			at: `"#/components/schemas/NewBok"`, problem: `$ref "#/components/schemas/NewBok": no "NewBok" under #/components/schemas`, fix: `or define "NewBok" there`},
	}
}

// TestBrokenFilesExit2 runs mockserver with one broken file at a time:
// each is refused at start-up with exit status 2, one message naming the
// file, line and column of the mistake, what is wrong and what to do; and
// nothing on stdout.
func TestBrokenFilesExit2(t *testing.T) {
	for _, tc := range brokenFiles() {
		t.Run(tc.kind+"/"+tc.name, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			dir := t.TempDir()
			apis := filepath.Join(dir, "apis")
			copyDir(t, filepath.Join("..", "..", "internal", "rest", "testdata", "books"), filepath.Join(apis, "books"))
			// the fixture rows check values against a schema
			manifest := filepath.Join(apis, "books", "api.yaml")
			writeText(t, manifest, replace("fixtures: books.json", "fixtures: books.json\n    schema: StoredBook")(readText(t, manifest)))
			args := []string{"--addr", "127.0.0.1:0", "--apis-dir", apis}
			path := filepath.Join(apis, filepath.FromSlash(tc.file))
			switch {
			case tc.file == "standin.yaml":
				path = filepath.Join(dir, tc.file)
				args = append(args, "--config", path)
			case strings.HasPrefix(tc.file, "fixtures/"):
				// a copy of the bundled fixtures, served as fixturesDir
				copyDir(t, filepath.Join("..", "..", "fixtures"), filepath.Join(dir, "fixtures"))
				path = filepath.Join(dir, filepath.FromSlash(tc.file))
				cfg := filepath.Join(dir, "standin.yaml")
				writeText(t, cfg, "fixturesDir: "+filepath.Join(dir, "fixtures")+"\n")
				args = append(args, "--config", cfg)
			}
			good := ""
			if b, err := os.ReadFile(path); err == nil {
				good = string(b)
			}
			broken := tc.edit(good)
			writeText(t, path, broken)
			line, col := placeOf(t, broken, tc.at)

			var stdout, stderr syncBuf
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			code := serve(ctx, args, env(nil), &stdout, &stderr)
			msg := stderr.String()
			t.Logf("exit %d: %s", code, strings.TrimSpace(msg))
			want := path + ":" + itoa(line) + ":" + itoa(col) + ": " + strings.ReplaceAll(tc.problem, "{apis}", apis)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s", code, msg)
			}
			if !strings.Contains(msg, want) {
				t.Errorf("stderr:\n%s\nwant it to contain\n%s", msg, want)
			}
			if tc.fix != "" && !strings.Contains(msg, "; "+tc.fix) && !strings.Contains(msg, tc.fix) {
				t.Errorf("stderr:\n%s\nwant the fix %q", msg, tc.fix)
			}
			if stdout.String() != "" {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestBrokenFileKinds: the table has rows for every kind of user file,
// and several per kind.
func TestBrokenFileKinds(t *testing.T) {
	n := map[string]int{}
	for _, tc := range brokenFiles() {
		n[tc.kind]++
	}
	for _, k := range []string{"config", "scenario", "manifest", "fixture", "spec"} {
		if k != "spec" && n[k] < 3 || n[k] == 0 {
			t.Errorf("%d rows of kind %s", n[k], k)
		}
	}
}

// placeOf is the line and column (from 1, in characters) where text
// starts in s; it must occur exactly once.
func placeOf(t *testing.T, s, text string) (int, int) {
	t.Helper()
	i := strings.Index(s, text)
	if i < 0 || strings.Count(s, text) != 1 {
		t.Fatalf("%q occurs %d times in the broken file, want once", text, strings.Count(s, text))
	}
	return usererr.LineCol([]byte(s), i)
}

func itoa(n int) string { return strconv.Itoa(n) }

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeText(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
