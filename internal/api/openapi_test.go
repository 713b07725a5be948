package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/api"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json from the code")

const golden = "testdata/openapi.json"

// goldenVersion is the version the committed document carries (the served one carries the build's).
const goldenVersion = "dev"

// document generates the OpenAPI document as committed: indented JSON with a final newline.
func document(t *testing.T) []byte {
	t.Helper()
	// Registering the operations does not touch the service, so none is needed to describe the API.
	b, err := json.MarshalIndent(api.New(nil, goldenVersion).OpenAPI(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestOpenAPIGolden keeps the committed API description in step with the code: a change to the API shows up
// in review as a change to testdata/openapi.json. After a deliberate change run
//
//	go test ./internal/api -run TestOpenAPIGolden -update
func TestOpenAPIGolden(t *testing.T) {
	got := document(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", golden, len(got))
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v: run `go test ./internal/api -update` to create it", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
		line++
	}
	show := func(l []string) string {
		return strings.Join(l[max(0, line-3):min(len(l), line+4)], "\n")
	}
	t.Fatalf("the OpenAPI document differs from %s from line %d:\n--- committed\n%s\n--- generated\n%s\n\n"+
		"If the API change is intended, run `go test ./internal/api -update` and commit the file.",
		golden, line+1, show(wl), show(gl))
}

// TestOpenAPIDocument checks what the golden file cannot: the generated document is stable from one run to
// the next, is OpenAPI 3.1, and every operation is documented well enough to use.
func TestOpenAPIDocument(t *testing.T) {
	first := document(t)
	if second := document(t); !bytes.Equal(first, second) {
		t.Fatal("two generations of the OpenAPI document differ: the golden file would flap")
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title, Version string
		} `json:"info"`
		Servers    []struct{ URL string } `json:"servers"`
		Security   []map[string][]string  `json:"security"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			OperationID string                      `json:"operationId"`
			Summary     string                      `json:"summary"`
			Tags        []string                    `json:"tags"`
			Parameters  []struct{ Name, In string } `json:"parameters"`
			Responses   map[string]any              `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(first, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || doc.Info.Title == "" || doc.Info.Version != goldenVersion {
		t.Fatalf("openapi %q info %+v", doc.OpenAPI, doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api.Prefix {
		t.Fatalf("servers %+v, want %s", doc.Servers, api.Prefix)
	}
	if len(doc.Security) == 0 || doc.Components.SecuritySchemes["bearer"] == nil {
		t.Fatalf("the document does not say how to authenticate: %+v %+v", doc.Security, doc.Components.SecuritySchemes)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, op := range item {
			where := strings.ToUpper(method) + " " + path
			if op.OperationID == "" || op.Summary == "" || len(op.Tags) == 0 {
				t.Errorf("%s: needs an operationId, a summary and a tag", where)
			}
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s is also %s", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where
			// Every {param} of the path is declared as a path parameter, or the handler never sees it.
			for _, seg := range strings.Split(path, "/") {
				if !strings.HasPrefix(seg, "{") {
					continue
				}
				name := strings.Trim(seg, "{}")
				found := false
				for _, p := range op.Parameters {
					found = found || (p.In == "path" && p.Name == name)
				}
				if !found {
					t.Errorf("%s: path parameter %s is not declared (an unexported embedded struct hides it from huma)", where, name)
				}
			}
			if op.Responses["default"] == nil && op.Responses["401"] == nil && op.Responses["422"] == nil {
				t.Errorf("%s: documents no error response", where)
			}
		}
	}
	if len(ids) < 20 {
		t.Fatalf("only %d operations", len(ids))
	}
}
