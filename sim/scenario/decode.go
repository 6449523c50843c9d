package scenario

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

var (
	scenarioType = reflect.TypeFor[Scenario]()
	distType     = reflect.TypeFor[Dist]()
	costsType    = reflect.TypeFor[Costs]()
)

// A schema is what the decoder knows of one struct type: its keys in
// declaration order and the field index of each.
type schema struct {
	keys  []string
	index map[string]int
}

var schemas sync.Map // reflect.Type → *schema

func schemaOf(t reflect.Type) *schema {
	if s, ok := schemas.Load(t); ok {
		return s.(*schema)
	}
	s := &schema{index: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "-" || key == "" || !f.IsExported() {
			continue
		}
		s.keys = append(s.keys, key)
		s.index[key] = i
	}
	schemas.Store(t, s)
	return s
}

// fieldType is the type of key in values of type t (a struct, a pointer to
// one, or a Dist), or nil when t is unknown or has no such key.
func fieldType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == distType || t == costsType {
		return reflect.TypeFor[float64]()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	i, ok := schemaOf(t).index[key]
	if !ok {
		return nil
	}
	return t.Field(i).Type
}

// elemType is the item type of slice type t, or nil.
func elemType(t reflect.Type) reflect.Type {
	if t == nil || t.Kind() != reflect.Slice || t == distType || t == costsType {
		return nil
	}
	return t.Elem()
}

// idKeys are the keys that identify an item of type t within its sequence,
// for merging (extends) and for selecting items by name (--set); nil when
// items have no identity and a sequence of them is replaced as a whole.
func idKeys(t reflect.Type) []string {
	switch t {
	case nil:
		return nil
	case reflect.TypeFor[Transition]():
		return []string{"from", "to"}
	case reflect.TypeFor[GroupTier](), reflect.TypeFor[TierBenefit]():
		return []string{"tier"}
	case reflect.TypeFor[BandDist]():
		return []string{"band"}
	}
	if t.Kind() == reflect.Struct {
		if _, ok := schemaOf(t).index["name"]; ok {
			return []string{"name"}
		}
	}
	return nil
}

// A decoder walks a node tree into a Scenario by the yaml tags of its
// fields, recording the position of every value and the paths of values it
// could not read.
type decoder struct {
	errs errorList
	pos  map[string]Pos
	bad  map[string]bool
}

func (d *decoder) errorf(n *node, path, format string, args ...any) {
	d.errs.add(n.pos, format, args...)
	d.bad[path] = true
}

// label names a path in messages.
func label(path string) any {
	if path == "" {
		return phrase("the scenario")
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decode reads n into v and reports whether it could. A null leaves the
// zero value.
func (d *decoder) decode(n *node, v reflect.Value, path string) bool {
	if path != "" {
		d.pos[path] = n.pos
	}
	if n.isNull() {
		v.SetZero()
		return true
	}
	t := v.Type()
	switch t {
	case distType:
		return d.dist(n, v, path)
	case costsType:
		return d.costs(n, v, path)
	}
	switch t.Kind() {
	case reflect.Pointer:
		e := reflect.New(t.Elem())
		if !d.decode(n, e.Elem(), path) {
			return false
		}
		v.Set(e)
		return true
	case reflect.Struct:
		return d.structure(n, v, path)
	case reflect.Slice:
		if n.kind != yaml.SequenceNode {
			d.errorf(n, path, "%s: found %s, want a sequence", label(path), describe(n))
			return false
		}
		s := reflect.MakeSlice(t, len(n.content), len(n.content))
		ok := true
		for i, item := range n.content {
			ok = d.decode(item, s.Index(i), path+"["+strconv.Itoa(i)+"]") && ok
		}
		v.Set(s)
		return ok
	}
	if n.kind != yaml.ScalarNode {
		d.errorf(n, path, "%s: found %s, want %s", label(path), describe(n), kindName(t.Kind()))
		return false
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(n.value)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.ToLower(n.value))
		if n.tag != boolTag || err != nil {
			d.errorf(n, path, "%s: %s is not true or false", path, describe(n))
			return false
		}
		v.SetBool(b)
	case reflect.Int:
		i, ok := d.integer(n, path)
		if !ok {
			return false
		}
		v.SetInt(i)
	case reflect.Uint64:
		u, err := strconv.ParseUint(n.value, 0, 64)
		if n.tag != intTag || err != nil {
			d.errorf(n, path, "%s: %s is not an integer from 0 to %d", path, describe(n), uint64(math.MaxUint64))
			return false
		}
		v.SetUint(u)
	case reflect.Float64:
		f, ok := d.number(n, path)
		if !ok {
			return false
		}
		v.SetFloat(f)
	default:
		panic("scenario: cannot decode into " + t.String()) // a field type the decoder does not know
	}
	return true
}

func kindName(k reflect.Kind) Phrase {
	switch k {
	case reflect.String:
		return phrase("a string")
	case reflect.Bool:
		return phrase("true or false")
	case reflect.Int, reflect.Uint64:
		return phrase("an integer")
	}
	return phrase("a number")
}

// structure reads a mapping into struct v; unknown keys are errors.
func (d *decoder) structure(n *node, v reflect.Value, path string) bool {
	if n.kind != yaml.MappingNode {
		d.errorf(n, path, "%s: found %s, want a mapping", label(path), describe(n))
		return false
	}
	s := schemaOf(v.Type())
	ok := true
	for i := 0; i+1 < len(n.content); i += 2 {
		k, val := n.content[i], n.content[i+1]
		f, known := s.index[k.value]
		if !known {
			keys := s.keys
			if path == "" {
				keys = append(append([]string(nil), keys...), "extends")
			}
			d.errorf(k, join(path, k.value), "unknown key %q in %s; want one of %s%s",
				k.value, label(path), strings.Join(keys, ", "), didYouMean(k.value, keys))
			ok = false
			continue
		}
		ok = d.decode(val, v.Field(f), join(path, k.value)) && ok
		if val.kind != yaml.ScalarNode {
			// A block mapping or sequence starts on the line after its
			// key; problems of the whole are shown at the key.
			d.pos[join(path, k.value)] = k.pos
		}
	}
	return ok
}

// dist reads a mapping of names to numbers, keeping the file's order.
func (d *decoder) dist(n *node, v reflect.Value, path string) bool {
	if n.kind != yaml.MappingNode {
		d.errorf(n, path, "%s: found %s, want a mapping of names to numbers", label(path), describe(n))
		return false
	}
	dist := make(Dist, 0, len(n.content)/2)
	ok := true
	for i := 0; i+1 < len(n.content); i += 2 {
		k, val := n.content[i], n.content[i+1]
		p := join(path, k.value)
		d.pos[p] = val.pos
		if val.kind != yaml.ScalarNode || val.isNull() {
			d.errorf(val, p, "%s: found %s, want a number", p, describe(val))
			ok = false
			continue
		}
		f, good := d.number(val, p)
		if !good {
			ok = false
			continue
		}
		dist = append(dist, Share{Name: k.value, Value: f})
	}
	v.Set(reflect.ValueOf(dist))
	return ok
}

// costs reads a number (one amount in StateCategory) or a mapping of cost
// categories to numbers.
func (d *decoder) costs(n *node, v reflect.Value, path string) bool {
	if n.kind == yaml.MappingNode {
		var dist Dist
		ok := d.dist(n, reflect.ValueOf(&dist).Elem(), path)
		v.Set(reflect.ValueOf(Costs(dist)))
		return ok
	}
	if n.kind != yaml.ScalarNode {
		d.errorf(n, path, "%s: found %s, want a number or a mapping of cost categories to numbers", label(path), describe(n))
		return false
	}
	f, ok := d.number(n, path)
	if !ok {
		return false
	}
	v.Set(reflect.ValueOf(Costs{{Name: StateCategory, Value: f}}))
	return true
}

// number reads a finite float from an integer or float scalar.
func (d *decoder) number(n *node, path string) (float64, bool) {
	if n.tag != intTag && n.tag != floatTag {
		d.errorf(n, path, "%s: %s is not a number", path, describe(n))
		return 0, false
	}
	f, err := strconv.ParseFloat(n.value, 64)
	if err != nil && n.tag == intTag {
		if i, err2 := strconv.ParseInt(n.value, 0, 64); err2 == nil {
			f, err = float64(i), nil
		}
	}
	switch {
	case err != nil && isSpecialFloat(n.value), err == nil && (math.IsInf(f, 0) || math.IsNaN(f)):
		d.errorf(n, path, "%s: %s is not a finite number", path, describe(n))
		return 0, false
	case err != nil:
		d.errorf(n, path, "%s: %s is not a number", path, describe(n))
		return 0, false
	}
	return f, true
}

// isSpecialFloat reports whether s is one of YAML's .inf and .nan forms,
// or too large for a float64.
func isSpecialFloat(s string) bool {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case ".inf", ".nan":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err != nil && err.(*strconv.NumError).Err == strconv.ErrRange
}

// integer reads an int from an integer scalar, or from a float scalar with
// an integral value (2e4).
func (d *decoder) integer(n *node, path string) (int64, bool) {
	switch n.tag {
	case intTag:
		i, err := strconv.ParseInt(n.value, 0, 64)
		if err != nil {
			d.errorf(n, path, "%s: %s is out of range for an integer", path, describe(n))
			return 0, false
		}
		return i, true
	case floatTag:
		f, err := strconv.ParseFloat(n.value, 64)
		switch {
		case err != nil || f != math.Trunc(f):
			d.errorf(n, path, "%s: %s is not an integer", path, describe(n))
		case math.Abs(f) >= 1<<62:
			d.errorf(n, path, "%s: %s is out of range for an integer", path, describe(n))
		default:
			return int64(f), true
		}
		return 0, false
	}
	d.errorf(n, path, "%s: %s is not an integer", path, describe(n))
	return 0, false
}
