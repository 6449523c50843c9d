package scenario

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite docs/scenario.schema.json")

// schemaFile is the committed schema, for editors and for people.
var schemaFile = filepath.Join("..", "..", "docs", "scenario.schema.json")

// TestSchemaUpToDate: docs/scenario.schema.json is what Schema makes of
// the types as they are now; -update rewrites it.
func TestSchemaUpToDate(t *testing.T) {
	got := Schema()
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, schemaFile); !bytes.Equal(got, want) {
		t.Errorf("%s is not what Schema makes of the types: run go test ./sim/scenario -run SchemaUpToDate -update and check the diff", schemaFile)
	}
}

// compileSchema compiles Schema with a validator of JSON Schema that is
// not paysim's, so that the schema is read as editors read it.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// yamlInstance reads a YAML file as the JSON value a schema validates.
func yamlInstance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(jsonValue(v))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// jsonValue turns YAML's mappings with keys that are not strings (an
// integer key) into JSON objects.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonValue(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
	}
	return v
}

// TestSchemaLibrary: every scenario paysim ships, and the good test files,
// are valid under the schema.
func TestSchemaLibrary(t *testing.T) {
	sch := compileSchema(t)
	var files []string
	for _, dir := range []string{filepath.Join("..", "..", "scenarios"), filepath.Join("..", "..", "testdata", "good"), filepath.Join(badDir, "base")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".yaml") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 15 {
		t.Fatalf("found %d scenario files, want the library's", len(files))
	}
	for _, f := range files {
		if err := sch.Validate(yamlInstance(t, readFile(t, f))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSchemaBadFiles: the bad files whose problem is a shape the schema
// knows (an unknown key, a wrong type, a code that is no currency code) are
// invalid under it, at the offending key.
func TestSchemaBadFiles(t *testing.T) {
	sch := compileSchema(t)
	for file, want := range map[string]string{
		"unknown_key.yaml":           "capabilty",
		"responses_unknown_key.yaml": "induce",
		"budget_premium.yaml":        "premium",
		"wrong_type.yaml":            "/population/size",
		"not_mapping.yaml":           "/choice",
		"currency.yaml":              "/currency",
		"bad_cycle.yaml":             "/cycle",
		"unknown_method.yaml":        "/method",
	} {
		err := sch.Validate(yamlInstance(t, readFile(t, filepath.Join(badDir, file))))
		if err == nil {
			t.Errorf("%s is valid under the schema, want an error at %s", file, want)
			continue
		}
		if !strings.Contains(fmt.Sprintf("%#v", err), want) {
			t.Errorf("%s: the schema's error does not name %s:\n%#v", file, want, err)
		}
	}
}

// TestSchemaDescribed: every mapping of the schema has a description, from
// its type's doc comment: the comments are found wherever the types are.
func TestSchemaDescribed(t *testing.T) {
	var doc struct {
		Definitions map[string]struct {
			Description string `json:"description"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Definitions) < 30 {
		t.Fatalf("%d definitions, want every mapping of the format", len(doc.Definitions))
	}
	for name, d := range doc.Definitions {
		if d.Description == "" {
			t.Errorf("definitions.%s has no description: give the type a doc comment", name)
		}
	}
}
