package scenario

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// node is a YAML value of one file with aliases and merge keys (<<)
// resolved. It keeps the position it was read from, so that values merged
// from several files (extends) or given with --set each keep their own.
type node struct {
	kind    yaml.Kind // yaml.MappingNode, yaml.SequenceNode or yaml.ScalarNode
	tag     string    // short tag of a scalar: !!str, !!int, !!float, !!bool, !!null, …
	value   string    // the scalar as written
	content []*node   // sequence items, or mapping keys and values alternating
	pos     Pos
}

const (
	nullTag  = "!!null"
	strTag   = "!!str"
	intTag   = "!!int"
	floatTag = "!!float"
	boolTag  = "!!bool"
	mergeTag = "!!merge"
)

// maxNodes bounds the values one file may expand to through aliases (a
// "billion laughs" document stops here instead of exhausting memory).
const maxNodes = 1 << 18

func (n *node) isNull() bool { return n.kind == yaml.ScalarNode && n.tag == nullTag }

// get returns the value of key in mapping n and its index in n.content, or
// nil and -1.
func (n *node) get(key string) (*node, int) {
	if n == nil || n.kind != yaml.MappingNode {
		return nil, -1
	}
	for i := 0; i+1 < len(n.content); i += 2 {
		if n.content[i].value == key {
			return n.content[i+1], i + 1
		}
	}
	return nil, -1
}

// del removes key from mapping n and returns its key and value nodes.
func (n *node) del(key string) (k, v *node) {
	if _, i := n.get(key); i >= 0 {
		k, v = n.content[i-1], n.content[i]
		n.content = append(n.content[:i-1:i-1], n.content[i+1:]...)
	}
	return k, v
}

// setPos gives n and everything in it the position p.
func (n *node) setPos(p Pos) {
	n.pos = p
	for _, c := range n.content {
		c.setPos(p)
	}
}

// describe says what a node is, for messages: a quoted string, a number or
// other scalar as written, "a mapping" or "a sequence" (Phrases, as is
// "null").
func describe(n *node) any {
	switch n.kind {
	case yaml.MappingNode:
		return phrase("a mapping")
	case yaml.SequenceNode:
		return phrase("a sequence")
	}
	v := n.value
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	switch n.tag {
	case nullTag:
		return phrase("null")
	case strTag:
		return strconv.Quote(v)
	}
	return v
}

// parseYAML parses one YAML document. It returns nil and true for an empty
// document, and false when the text is not YAML (the errors are in errs).
func parseYAML(file string, data []byte, errs *errorList) (*node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := decodeYAML(dec, &doc); {
	case err == io.EOF:
		return nil, true
	case err != nil:
		yamlError(file, err, errs)
		return nil, false
	}
	var extra yaml.Node
	switch err := decodeYAML(dec, &extra); {
	case err == nil:
		errs.add(Pos{file, extra.Line, extra.Column}, "a second YAML document; want one document per file")
		return nil, false
	case err != io.EOF:
		yamlError(file, err, errs)
		return nil, false
	}
	c := converter{file: file, errs: errs, busy: map[*yaml.Node]bool{}}
	n := c.convert(&doc)
	return n, !c.failed
}

// decodeYAML decodes the next document into a yaml.Node. A panic in the
// YAML parser becomes an error: the loader must not panic on any input.
func decodeYAML(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(doc)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the problems yaml.v3 (v3.0.1) reports as parser errors;
// their line numbers count from 0, those of scanner errors from 1.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlError records a yaml.v3 syntax error; yaml.v3 gives a line at most.
func yamlError(file string, err error, errs *errorList) {
	msg := err.Error()
	pos := Pos{File: file}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if parserProblems[msg] {
			pos.Line++
		}
	} else if len(msg) > 6 && msg[:6] == "yaml: " {
		msg = msg[6:]
	}
	errs.add(pos, "invalid YAML: %s", msg)
}

// A converter turns a yaml.Node tree into a node tree, expanding aliases
// into copies and applying merge keys.
type converter struct {
	file   string
	errs   *errorList
	busy   map[*yaml.Node]bool // nodes being converted, to catch an alias inside its own anchor
	n      int                 // nodes made so far
	failed bool
}

// errorf records a problem that does not stop the load.
func (c *converter) errorf(y *yaml.Node, format string, args ...any) {
	c.errs.add(Pos{c.file, y.Line, y.Column}, format, args...)
}

// fatalf records a problem after which the tree cannot be used.
func (c *converter) fatalf(y *yaml.Node, format string, args ...any) {
	c.errorf(y, format, args...)
	c.failed = true
}

// convert returns nil for an empty document or after an error.
func (c *converter) convert(y *yaml.Node) *node {
	if c.n++; c.n > maxNodes {
		if c.n == maxNodes+1 {
			c.fatalf(y, "more than %d values after expanding aliases; want a smaller file", maxNodes)
		}
		return nil
	}
	pos := Pos{c.file, y.Line, y.Column}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nil
		}
		return c.convert(y.Content[0])
	case yaml.AliasNode:
		if y.Alias == nil {
			c.fatalf(y, "alias *%s refers to no anchor", y.Value)
			return nil
		}
		if c.busy[y.Alias] {
			c.fatalf(y, "alias *%s is inside its own anchor", y.Value)
			return nil
		}
		return c.convert(y.Alias)
	case yaml.ScalarNode:
		return &node{kind: yaml.ScalarNode, tag: y.ShortTag(), value: y.Value, pos: pos}
	case yaml.SequenceNode:
		c.busy[y] = true
		defer delete(c.busy, y)
		n := &node{kind: yaml.SequenceNode, pos: pos, content: make([]*node, 0, len(y.Content))}
		for _, item := range y.Content {
			if v := c.convert(item); v != nil {
				n.content = append(n.content, v)
			}
		}
		return n
	case yaml.MappingNode:
		c.busy[y] = true
		defer delete(c.busy, y)
		return c.mapping(y, pos)
	case 0:
		return nil
	}
	c.fatalf(y, "unexpected YAML node kind %d", y.Kind)
	return nil
}

// mapping converts a mapping. Keys must be scalars and unique; a merge key
// (<<) adds the keys of the mappings it names that are not set explicitly.
func (c *converter) mapping(y *yaml.Node, pos Pos) *node {
	m := &node{kind: yaml.MappingNode, pos: pos}
	explicit := map[string]Pos{}
	var keys []*node // converted keys, nil for merge keys
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky := y.Content[i]
		if ky.Kind == yaml.ScalarNode && ky.ShortTag() == mergeTag {
			keys = append(keys, nil)
			continue
		}
		k := c.convert(ky)
		switch {
		case k == nil:
		case k.kind != yaml.ScalarNode:
			c.errorf(ky, "%s as a key; want a name", describe(k))
			k = nil
		default:
			if first, dup := explicit[k.value]; dup {
				c.errorf(ky, "duplicate key %q; first at line %d", k.value, first.Line)
				k = nil
			} else {
				explicit[k.value] = k.pos
			}
		}
		keys = append(keys, k)
	}
	merged := map[string]bool{}
	for i, k := range keys {
		vy := y.Content[2*i+1]
		if k != nil {
			if v := c.convert(vy); v != nil {
				m.content = append(m.content, k, v)
			}
			continue
		}
		if y.Content[2*i].ShortTag() != mergeTag {
			continue // a bad key, reported above
		}
		src := c.convert(vy)
		if src == nil {
			continue
		}
		srcs := []*node{src}
		if src.kind == yaml.SequenceNode {
			srcs = src.content
		}
		for _, s := range srcs {
			if s.kind != yaml.MappingNode {
				c.errorf(vy, "<< merges %s; want a mapping or a sequence of mappings", describe(s))
				continue
			}
			for j := 0; j+1 < len(s.content); j += 2 {
				key := s.content[j].value
				if _, ok := explicit[key]; ok || merged[key] {
					continue
				}
				merged[key] = true
				m.content = append(m.content, s.content[j], s.content[j+1])
			}
		}
	}
	return m
}

// merge deep-merges over onto base (extends): mappings key by key,
// sequences of identified items (see idKeys) item by item, anything else
// replaced by over. t is the Go type the nodes decode into, or nil when
// unknown. The result may share nodes with both.
func merge(base, over *node, t reflect.Type) *node {
	switch {
	case base == nil:
		return over
	case over == nil:
		return base
	case base.kind == yaml.MappingNode && over.kind == yaml.MappingNode:
		out := &node{kind: yaml.MappingNode, pos: over.pos}
		out.content = append([]*node(nil), base.content...)
		for i := 0; i+1 < len(over.content); i += 2 {
			k, v := over.content[i], over.content[i+1]
			if old, j := out.get(k.value); j >= 0 {
				out.content[j-1] = k
				out.content[j] = merge(old, v, fieldType(t, k.value))
			} else {
				out.content = append(out.content, k, v)
			}
		}
		return out
	case base.kind == yaml.SequenceNode && over.kind == yaml.SequenceNode:
		et := elemType(t)
		ids := idKeys(et)
		if ids == nil || !identified(base, ids) || !identified(over, ids) {
			return over
		}
		out := &node{kind: yaml.SequenceNode, pos: over.pos}
		out.content = append([]*node(nil), base.content...)
		merged := map[int]bool{}
		for _, item := range over.content {
			// A second item with the same identity is appended, so that
			// validation reports the duplicate.
			if j := findItem(out, ids, itemID(item, ids)); j >= 0 && j < len(base.content) && !merged[j] {
				out.content[j] = merge(out.content[j], item, et)
				merged[j] = true
			} else {
				out.content = append(out.content, item)
			}
		}
		return out
	}
	return over
}

// identified reports whether every item of sequence n is a mapping with
// scalar values for the keys ids.
func identified(n *node, ids []string) bool {
	for _, item := range n.content {
		for _, id := range ids {
			v, _ := item.get(id)
			if v == nil || v.kind != yaml.ScalarNode || v.isNull() {
				return false
			}
		}
	}
	return true
}

// itemID is the identity of a mapping item: the value of its id key, or
// "from->to" for transitions.
func itemID(item *node, ids []string) string {
	id := ""
	for i, k := range ids {
		if i > 0 {
			id += "->"
		}
		if v, _ := item.get(k); v != nil {
			id += v.value
		}
	}
	return id
}

// findItem returns the index of the first item of sequence n whose identity
// is id, or -1.
func findItem(n *node, ids []string, id string) int {
	for j, item := range n.content {
		if item.kind == yaml.MappingNode && itemID(item, ids) == id {
			return j
		}
	}
	return -1
}
