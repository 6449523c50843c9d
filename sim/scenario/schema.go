package scenario

import (
	"bytes"
	"embed"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
)

// source is this package's source: the schema's descriptions are the doc
// comments of the types and fields the loader decodes into, wherever they
// are declared.
//
//go:embed *.go
var source embed.FS

// A jsonSchema is one node of a JSON Schema (draft-07), as Schema writes it.
type jsonSchema struct {
	Schema               string                 `json:"$schema,omitempty"`
	Title                string                 `json:"title,omitempty"`
	Ref                  string                 `json:"$ref,omitempty"`
	Description          string                 `json:"description,omitempty"`
	Type                 any                    `json:"type,omitempty"` // a name, or a list of names
	Enum                 []string               `json:"enum,omitempty"`
	Pattern              string                 `json:"pattern,omitempty"`
	Minimum              *float64               `json:"minimum,omitempty"`
	Properties           map[string]*jsonSchema `json:"properties,omitempty"`
	AdditionalProperties any                    `json:"additionalProperties,omitempty"`
	Items                *jsonSchema            `json:"items,omitempty"`
	AllOf                []*jsonSchema          `json:"allOf,omitempty"`
	OneOf                []*jsonSchema          `json:"oneOf,omitempty"`
	Definitions          map[string]*jsonSchema `json:"definitions,omitempty"`
}

// Schema returns the JSON Schema (draft-07) of one scenario file, made from
// the types the loader decodes into: their yaml keys, the Go types of their
// values, the constants of the named string types as enumerations, and
// their doc comments as descriptions. Every key is optional, as a file may
// extend another, and unknown keys are refused, as the loader refuses them.
// The schema checks shapes and types; ranges, sums and references between
// names are the loader's (paysim validate).
func Schema() []byte {
	g := &schemaGen{defs: map[string]*jsonSchema{}}
	g.readSource()
	root := g.object(scenarioType)
	root.Schema = "http://json-schema.org/draft-07/schema#"
	root.Title = "paysim scenario, format version 1"
	root.Description = "A paysim scenario file (docs/scenario.md). " + root.Description
	root.Properties["extends"] = &jsonSchema{Type: "string",
		Description: "The file this one is merged onto: a path relative to this file, or the name of a built-in scenario (paysim scenarios), such as county-ffs."}
	root.Definitions = g.defs
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic("scenario: the schema does not encode: " + err.Error()) // it is made of strings and maps
	}
	return b.Bytes()
}

// schemaGen makes the schema of the scenario types.
type schemaGen struct {
	typeDocs  map[string]string            // type name → its doc comment
	fieldDocs map[string]map[string]string // type name → field name → doc
	enums     map[string][]string          // named string type → its constants' values
	defs      map[string]*jsonSchema
}

// readSource collects the doc comments and the typed string constants of
// the package's source files.
func (g *schemaGen) readSource() {
	g.typeDocs, g.fieldDocs, g.enums = map[string]string{}, map[string]map[string]string{}, map[string][]string{}
	names, err := fs.Glob(source, "*.go")
	if err != nil {
		panic(err) // a valid pattern
	}
	for _, name := range names {
		if !strings.HasSuffix(name, "_test.go") {
			g.readFile(name)
		}
	}
}

// readFile collects the doc comments and typed string constants of one
// source file.
func (g *schemaGen) readFile(name string) {
	b, err := source.ReadFile(name)
	if err != nil {
		panic(err) // embedded
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, b, parser.ParseComments)
	if err != nil {
		panic("scenario: " + name + " does not parse: " + err.Error()) // it compiled
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			switch sp := spec.(type) {
			case *ast.TypeSpec:
				doc := sp.Doc
				if doc == nil {
					doc = gd.Doc
				}
				g.typeDocs[sp.Name.Name] = text(doc)
				st, ok := sp.Type.(*ast.StructType)
				if !ok {
					continue
				}
				fields := map[string]string{}
				for _, fl := range st.Fields.List {
					d := strings.TrimSpace(text(fl.Doc) + " " + text(fl.Comment))
					for _, n := range fl.Names {
						fields[n.Name] = d
					}
				}
				g.fieldDocs[sp.Name.Name] = fields
			case *ast.ValueSpec:
				id, ok := sp.Type.(*ast.Ident)
				if gd.Tok != token.CONST || !ok {
					continue
				}
				for _, v := range sp.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							g.enums[id.Name] = append(g.enums[id.Name], s)
						}
					}
				}
			}
		}
	}
}

// text is a comment group's text on one line.
func text(c *ast.CommentGroup) string {
	if c == nil {
		return ""
	}
	return strings.Join(strings.Fields(c.Text()), " ")
}

// value is the schema of a value of Go type t.
func (g *schemaGen) value(t reflect.Type) *jsonSchema {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == distType:
		return &jsonSchema{Type: "object", AdditionalProperties: &jsonSchema{Type: "number"},
			Description: "A mapping of names to numbers, in the file's order."}
	case t == costsType:
		return &jsonSchema{OneOf: []*jsonSchema{{Type: "number"},
			{Type: "object", AdditionalProperties: &jsonSchema{Type: "number"}}},
			Description: "A number, or a mapping of cost categories to numbers."}
	case t == reflect.TypeFor[Currency]():
		return &jsonSchema{Type: "string", Pattern: "^[A-Z]{3}$"}
	}
	switch t.Kind() {
	case reflect.Struct:
		name := t.Name()
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // a type that holds itself refers to its definition
			g.defs[name] = g.object(t)
		}
		return &jsonSchema{Ref: "#/definitions/" + name}
	case reflect.Slice:
		return &jsonSchema{Type: "array", Items: g.value(t.Elem())}
	case reflect.String:
		if e := g.enums[t.Name()]; e != nil {
			return &jsonSchema{Type: "string", Enum: e}
		}
		// the loader reads any scalar as a string: years: [2025, last]
		return &jsonSchema{Type: []string{"string", "number", "boolean"}}
	case reflect.Bool:
		return &jsonSchema{Type: "boolean"}
	case reflect.Int:
		return &jsonSchema{Type: "integer"}
	case reflect.Uint64:
		zero := 0.0
		return &jsonSchema{Type: "integer", Minimum: &zero}
	case reflect.Float64:
		return &jsonSchema{Type: "number"}
	}
	panic("scenario: no schema for " + t.String()) // a field type the decoder does not know either
}

// object is the schema of struct type t: its yaml keys, and no others.
func (g *schemaGen) object(t reflect.Type) *jsonSchema {
	s := &jsonSchema{Type: "object", Description: g.typeDocs[t.Name()],
		Properties: map[string]*jsonSchema{}, AdditionalProperties: false}
	for _, key := range schemaOf(t).keys {
		f := t.Field(schemaOf(t).index[key])
		p := g.value(f.Type)
		d := g.fieldDocs[t.Name()][f.Name]
		if p.Ref != "" && d != "" {
			// draft-07 ignores a $ref's siblings: the field's own words go in an allOf
			p = &jsonSchema{Description: d, AllOf: []*jsonSchema{p}}
		} else if d != "" {
			p.Description = strings.TrimSpace(d + " " + p.Description)
		}
		s.Properties[key] = p
	}
	return s
}
