package rest

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// Regression: an operation no collection serves answered its document's
// example as written, though the example failed its schema (GitHub's
// create-pages-deployment answered page_url "developer.github.com", not a
// format: uri), and an error answer its example likewise. Answers keep
// the example's valid parts and make the rest: a value its schema
// refuses is generated (never the property's own invalid example), a
// property the schema does not allow is left out.
func TestExamplesFitTheirSchemas(t *testing.T) {
	api, err := manifest.Load(os.DirFS("testdata"), "examples")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile("testdata/examples/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	eng, err := New(api, doc, store.New(), Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{api: api, doc: doc, eng: eng}
	answer := func(body string, status int, schema string) map[string]any {
		t.Helper()
		resp := f.do(t, call{method: "POST", target: "/deployments", body: body})
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != status {
			t.Fatalf("POST %s: %d %s", body, resp.StatusCode, data)
		}
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%v: %s", err, data)
		}
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v, specs.SchemaOptions()...); err != nil {
			t.Errorf("the answer fails its schema: %v\n%s", err, data)
		}
		return v
	}

	got := answer(`{"version":"abc"}`, 200, "Deployment")
	if got["id"] != "4fd754f7e594640989b406850d0bc8f06a121251" || got["status_url"] != "https://api.example.com/deployments/4fd754f7e594640989b406850d0bc8f06a121251/status" {
		t.Errorf("the example's valid fields are not kept: %v", got)
	}
	if u := got["page_url"]; u == "developer.example.com" || u == "hello-world.example.io" {
		t.Errorf("page_url %v is an example that is not a URI", u)
	}
	if _, ok := got["note"]; ok {
		t.Errorf("a property the schema does not allow is answered: %v", got)
	}
	targets, _ := got["targets"].([]any)
	if len(targets) != 2 {
		t.Fatalf("targets %v", got["targets"])
	}
	first, _ := targets[0].(map[string]any)
	if first["name"] != "production" || first["url"] == "production.example.com" {
		t.Errorf("targets[0] = %v, want its name kept and its url made again", first)
	}
	if second, _ := targets[1].(map[string]any); second["name"] != "staging" || second["url"] != "https://staging.example.com" {
		t.Errorf("targets[1] = %v, want it as the example gives it", second)
	}

	problem := answer(`{}`, 422, "Problem")
	if problem["documentation_url"] == "docs.example.com/rest" {
		t.Errorf("documentation_url %v is an example that is not a URI", problem["documentation_url"])
	}
}
