package scenario

import (
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// setPos is the position of values given with --set.
var setPos = Pos{File: "--set"}

// A segment is one step of a --set path: a key, or an index written [i].
type segment struct {
	key   string
	index int // ≥ 0 for [i]
}

func (s segment) String() string {
	if s.index >= 0 {
		return "[" + strconv.Itoa(s.index) + "]"
	}
	return strconv.Quote(s.key)
}

// splitPath splits "a.b[2].c" into a, b, [2], c.
func splitPath(p string) ([]segment, bool) {
	var segs []segment
	for part := range strings.SplitSeq(p, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key == "" && rest == "" {
			return nil, false
		}
		if key != "" {
			segs = append(segs, segment{key: key, index: -1})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil || i < 0 {
				return nil, false
			}
			segs = append(segs, segment{index: i})
			if after == "" {
				break
			}
			if after[0] != '[' {
				return nil, false
			}
			rest = after[1:]
		}
	}
	return segs, len(segs) > 0
}

// applySets applies --set arguments "path=value" to root, which may be nil,
// and returns the new root.
func applySets(root *node, sets []string, errs *errorList) *node {
	for _, arg := range sets {
		p, value, ok := strings.Cut(arg, "=")
		if !ok {
			errs.add(setPos, "--set %q: no '='; want path=value", arg)
			continue
		}
		p = strings.TrimSpace(p)
		if p == "" {
			errs.add(setPos, "--set %q: empty path; want path=value", arg)
			continue
		}
		segs, ok := splitPath(p)
		if !ok {
			errs.add(setPos, "--set %q: malformed path %q; want keys, names and [index] joined by dots", arg, p)
			continue
		}
		if segs[0].key == "extends" {
			errs.add(setPos, "--set %q: extends cannot be set; want a value of the scenario", arg)
			continue
		}
		var verrs errorList
		v, ok := parseYAML(setPos.File, []byte(value), &verrs)
		if !ok || len(verrs) > 0 {
			for _, e := range verrs {
				errs.add(setPos, "--set %q: %s", arg, e.phrase())
			}
			if !ok {
				continue
			}
		}
		if v == nil {
			v = &node{kind: yaml.ScalarNode, tag: nullTag}
		}
		v.setPos(setPos)
		s := setter{arg: arg, value: v, errs: errs}
		if r, ok := s.set(root, segs, scenarioType, ""); ok {
			root = r
		}
	}
	return root
}

type setter struct {
	arg   string
	value *node
	errs  *errorList
}

// set puts the value at segs below n (of Go type t, nil when unknown) and
// returns the node that replaces n.
func (s *setter) set(n *node, segs []segment, t reflect.Type, path string) (*node, bool) {
	if len(segs) == 0 {
		return s.value, true
	}
	seg := segs[0]
	if n == nil || n.isNull() {
		if seg.index >= 0 {
			s.errs.add(setPos, "--set %q: no item %s in %s (it is empty)", s.arg, seg, label(path))
			return nil, false
		}
		n = &node{kind: yaml.MappingNode, pos: setPos}
	}
	switch n.kind {
	case yaml.MappingNode:
		if seg.index >= 0 {
			s.errs.add(setPos, "--set %q: %s is a mapping; want a key, not %s", s.arg, label(path), seg)
			return nil, false
		}
		child, i := n.get(seg.key)
		c, ok := s.set(child, segs[1:], fieldType(t, seg.key), join(path, seg.key))
		if !ok {
			return nil, false
		}
		if i >= 0 {
			n.content[i] = c
		} else {
			key := &node{kind: yaml.ScalarNode, tag: strTag, value: seg.key, pos: setPos}
			n.content = append(n.content, key, c)
		}
		return n, true
	case yaml.SequenceNode:
		et := elemType(t)
		i := -1
		if seg.index < 0 {
			if ids := idKeys(et); ids != nil {
				i = findItem(n, ids, seg.key)
			}
			if k, err := strconv.Atoi(seg.key); i < 0 && err == nil && k >= 0 {
				seg.index = k
			}
		}
		if i < 0 && seg.index >= 0 && seg.index < len(n.content) {
			i = seg.index
		}
		if i < 0 {
			s.errs.add(setPos, "--set %q: no item %s in %s", s.arg, segs[0], label(path))
			return nil, false
		}
		c, ok := s.set(n.content[i], segs[1:], et, path+"["+strconv.Itoa(i)+"]")
		if !ok {
			return nil, false
		}
		n.content[i] = c
		return n, true
	}
	s.errs.add(setPos, "--set %q: %s is %s, a single value; cannot select %s in it", s.arg, label(path), describe(n), seg)
	return nil, false
}
