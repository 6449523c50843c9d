package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/paysim/paysim/scenarios"
)

// Load reads the scenario file at path (a path of the operating system),
// follows its extends chain, applies sets ("path=value", see LoadFS) and
// validates the result. Errors name files as path does.
//
// An error is an errors.Join of *Error values sorted by position.
func Load(name string, sets []string) (*Scenario, error) {
	dir := filepath.Dir(name)
	l := &loader{
		fsys: os.DirFS(dir),
		root: ".",
		top:  filepath.ToSlash(filepath.Base(name)),
		display: func(fsName string) string {
			return filepath.Join(dir, filepath.FromSlash(fsName))
		},
		topDisplay: name,
	}
	return l.load(sets)
}

// LoadFS reads the scenario file at name in fsys, follows its extends
// chain, applies sets and validates the result.
//
// A file may start with `extends: other.yaml`: the other file (relative to
// this one, inside the directory of the top file; or, when there is no such
// file, the built-in scenario of that name, with or without .yaml, as
// `extends: county-ffs`) is loaded first and this
// file is merged onto it: mappings key by key, sequences of named items
// item by item (by name; by tier, band, or from and to where items have no
// name), everything else replaced.
//
// Each set is "path=value": the path selects mapping keys, named items of
// sequences (tiers.county.capability) or items by index ([2] or 2), and the
// value is a YAML flow value (3, 0.5, true, [a, b], {x: 1}). Sets are
// applied in order after extends.
//
// An error is an errors.Join of *Error values sorted by position.
func LoadFS(fsys fs.FS, name string, sets []string) (*Scenario, error) {
	l := &loader{
		fsys:       fsys,
		root:       path.Dir(path.Clean(name)),
		top:        path.Clean(name),
		display:    func(fsName string) string { return fsName },
		topDisplay: name,
	}
	return l.load(sets)
}

// Parse reads a scenario from data, named name in errors, applies sets and
// validates it. extends is an error: it needs a file.
//
// An error is an errors.Join of *Error values sorted by position.
func Parse(name string, data []byte, sets []string) (*Scenario, error) {
	var errs errorList
	root, ok := parseYAML(name, data, &errs)
	if !ok {
		return nil, errs.err()
	}
	if root != nil && root.kind == yaml.MappingNode {
		if k, v := root.del("extends"); k != nil {
			errs.add(v.pos, "extends %s needs a file; want Load or LoadFS, or no extends", describe(v))
			return nil, errs.err()
		}
	}
	s, err := finish(name, root, sets, errs)
	if err == nil && len(s.Phases) > 0 {
		errs.add(s.At("phases"), "phases name scenario files; want Load or LoadFS, or no phases")
		return nil, errs.err()
	}
	return s, err
}

// MaxFileSize is the largest scenario file read [bytes]: scenarios are
// small, and a larger file is a mistake (a data file, a device).
const MaxFileSize = 16 << 20

// readRegular reads name from fsys if it is a regular file (or a link to
// one) of at most MaxFileSize bytes. A directory, a device or a FIFO is
// refused before it is opened, so that reading never blocks or runs
// without end.
func readRegular(fsys fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return nil, phrase("it is a directory; want a scenario file")
	case !fi.Mode().IsRegular():
		return nil, phrase("it is a %s, not a regular file; want a scenario file", fileKind(fi.Mode()))
	case fi.Size() > MaxFileSize:
		return nil, phrase("it has %d bytes; want a scenario file of at most %d", fi.Size(), MaxFileSize)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err == nil && len(data) > MaxFileSize {
		err = phrase("it grew past %d bytes while read; want a scenario file of at most that", MaxFileSize)
	}
	return data, err
}

// fileKind names the kind of a file that is not regular.
func fileKind(m fs.FileMode) Phrase {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return phrase("named pipe (FIFO)")
	case m&fs.ModeSocket != 0:
		return phrase("socket")
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return phrase("device")
	}
	return phrase("special file")
}

// A loader reads a file and its extends chain from a file system.
type loader struct {
	fsys       fs.FS
	root       string // directory of the top file in fsys; extends stay below it
	top        string // name of the top file in fsys
	display    func(fsName string) string
	topDisplay string // the top file's name as given
	errs       errorList
}

// builtinDir is the folder, in the loader's names of files, of the
// scenarios built into paysim (package scenarios): "built-in/county-ffs.yaml"
// is scenarios.FS's county-ffs.yaml. Errors name such files so too.
const builtinDir = "built-in/"

// show is the name of a file of fsys in errors.
func (l *loader) show(fsName string) string {
	switch {
	case fsName == l.top:
		return l.topDisplay
	case strings.HasPrefix(fsName, builtinDir):
		return fsName
	}
	return l.display(fsName)
}

// read reads the file name: one of fsys, or a built-in scenario.
func (l *loader) read(name string) ([]byte, error) {
	if b, ok := strings.CutPrefix(name, builtinDir); ok {
		return readRegular(scenarios.FS, b)
	}
	return readRegular(l.fsys, name)
}

// Builtin returns the file name in scenarios.FS of the built-in scenario
// name ("county-ffs", "county-ffs.yaml" or "teaching/markov-4state"), and
// whether there is one.
func Builtin(name string) (string, bool) {
	f := strings.TrimPrefix(name, "scenarios/")
	if !strings.HasSuffix(f, ".yaml") {
		f += ".yaml"
	}
	if !fs.ValidPath(f) {
		return "", false
	}
	fi, err := fs.Stat(scenarios.FS, f)
	return f, err == nil && fi.Mode().IsRegular()
}

// Builtins are the names of the built-in scenarios, without .yaml, in the
// order of their files ("county-dip", …, "teaching/markov-4state", …).
func Builtins() []string {
	var names []string
	_ = fs.WalkDir(scenarios.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			names = append(names, strings.TrimSuffix(p, ".yaml"))
		}
		return nil
	})
	return names
}

func (l *loader) load(sets []string) (*Scenario, error) {
	root, ok := l.file(l.top, nil, nil)
	if !ok {
		return nil, l.errs.err()
	}
	s, err := finish(l.topDisplay, root, sets, l.errs)
	if err != nil {
		return nil, err
	}
	if err := l.phases(s, sets); err != nil {
		return nil, err
	}
	return s, nil
}

// phases reads the scenario of each of s's phases, from its file relative
// to the top file, with the same sets, and checks that it describes the
// same county and fund.
func (l *loader) phases(s *Scenario, sets []string) error {
	var errs errorList
	for i := range s.Phases {
		ph := &s.Phases[i]
		at := s.At(fmt.Sprintf("phases[%d].scenario", i))
		name := path.Join(path.Dir(l.top), ph.Scenario)
		inside := name != ".." && !strings.HasPrefix(name, "../") && (l.root == "." || strings.HasPrefix(name, l.root+"/"))
		if ph.Scenario == "" || path.IsAbs(ph.Scenario) || strings.Contains(ph.Scenario, `\`) || !inside || !fs.ValidPath(name) {
			errs.add(at, "phases[%d].scenario: %q; want a file relative to this one, inside its folder", i, ph.Scenario)
			continue
		}
		sub := &loader{fsys: l.fsys, root: l.root, top: name, display: l.display, topDisplay: l.show(name)}
		ps, err := sub.load(sets)
		if err != nil {
			return err
		}
		if len(ps.Phases) > 0 {
			errs.add(at, "phases[%d].scenario: %s has phases of its own; want a scenario without phases", i, l.show(name))
			continue
		}
		if d := Incompatible(s, ps); len(d) > 0 {
			errs.add(at, "phases[%d].scenario: %s differs in %s; a phase changes rules, not the county or its fund: want the same", i, l.show(name), strings.Join(d, ", "))
		}
		ph.Resolved = ps
	}
	return errs.err()
}

// file reads and parses the file name with its extends chain merged in.
// from is the extends value that names it (nil for the top file); chain the
// files extending it, to catch cycles.
func (l *loader) file(name string, from *node, chain []string) (*node, bool) {
	data, err := l.read(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		if from == nil {
			l.errs.add(Pos{File: l.topDisplay}, "cannot read the scenario: %v", err)
		} else {
			hint := Phrase{}
			if errors.Is(err, fs.ErrNotExist) {
				hint = phrase("; want a file relative to this one or a built-in scenario (paysim scenarios)%s",
					didYouMean(strings.TrimSuffix(from.value, ".yaml"), Builtins()))
			}
			l.errs.add(from.pos, "extends %q: cannot read %s: %v%s", from.value, l.show(name), err, hint)
		}
		return nil, false
	}
	root, ok := parseYAML(l.show(name), data, &l.errs)
	if !ok {
		return nil, false
	}
	if root == nil || root.kind != yaml.MappingNode {
		return root, true
	}
	k, v := root.del("extends")
	if k == nil {
		return root, true
	}
	target, ok := l.resolve(name, v)
	if !ok {
		return nil, false
	}
	chain = append(chain, name)
	for i, c := range chain {
		if c == target {
			cycle := make([]string, 0, len(chain)-i+1)
			for _, f := range chain[i:] {
				cycle = append(cycle, l.show(f))
			}
			cycle = append(cycle, l.show(target))
			l.errs.add(v.pos, "extends %q makes a cycle: %s; want a chain that ends", v.value, strings.Join(cycle, " → "))
			return nil, false
		}
	}
	base, ok := l.file(target, v, chain)
	if !ok {
		return nil, false
	}
	if base != nil && base.kind != yaml.MappingNode {
		l.errs.add(v.pos, "extends %q: %s holds %s; want a mapping", v.value, l.show(target), describe(base))
		return nil, false
	}
	return merge(base, root, scenarioType), true
}

// resolve returns the name in fsys of the file an extends value names,
// relative to the file cur.
func (l *loader) resolve(cur string, v *node) (string, bool) {
	if v.kind != yaml.ScalarNode || v.isNull() || v.value == "" {
		l.errs.add(v.pos, "extends: found %s; want the name of a file", describe(v))
		return "", false
	}
	if path.IsAbs(v.value) || filepath.IsAbs(v.value) || strings.Contains(v.value, `\`) {
		l.errs.add(v.pos, "extends %q is not a relative path; want a file relative to this one, with / between folders", v.value)
		return "", false
	}
	target := path.Join(path.Dir(cur), v.value)
	if strings.HasPrefix(cur, builtinDir) {
		// a built-in scenario extends another built-in one
		if !strings.HasPrefix(target, builtinDir) || !fs.ValidPath(target) {
			l.errs.add(v.pos, "extends %q leaves the built-in scenarios; want one of them", v.value)
			return "", false
		}
		return target, true
	}
	inside := target != ".." && !strings.HasPrefix(target, "../")
	if l.root != "." {
		inside = strings.HasPrefix(target, l.root+"/")
	}
	if !inside || !fs.ValidPath(target) {
		l.errs.add(v.pos, "extends %q leaves the scenario's folder %s; want a file inside it", v.value, l.show(l.root))
		return "", false
	}
	if _, err := fs.Stat(l.fsys, target); errors.Is(err, fs.ErrNotExist) {
		if b, ok := Builtin(v.value); ok {
			return builtinDir + b, true
		}
	}
	return target, true
}

// finish applies sets to the merged tree, decodes it, fills in defaults and
// validates the result.
func finish(file string, root *node, sets []string, errs errorList) (*Scenario, error) {
	root = applySets(root, sets, &errs)
	s := &Scenario{}
	d := decoder{errs: errs, pos: map[string]Pos{}, bad: map[string]bool{}}
	if root != nil {
		d.decode(root, reflect.ValueOf(s).Elem(), "")
	}
	s.File, s.Pos = file, d.pos // after decode: a null document zeroes s
	s.SetDefaults()
	errs = append(d.errs, s.validate(d.bad)...)
	if len(errs) > 0 {
		return nil, errs.err()
	}
	return s, nil
}

// SetDefaults fills in the defaults: the cycle, the currency (CNY), one township "all", one
// provider per tier named after it, and the responses not given. Validate calls
// it, so a scenario built in code runs like one read from a file.
func (s *Scenario) SetDefaults() {
	if s.Cycle == "" {
		s.Cycle = Month
	}
	if s.Currency == "" {
		s.Currency = CNY
	}
	if s.Rewards.Timing == "" {
		s.Rewards.Timing = TimingStart
	}
	if len(s.Population.Townships) == 0 {
		s.Population.Townships = []Township{{Name: "all", Weight: 1}}
	}
	if len(s.Providers) == 0 {
		s.Providers = defaultProviders(s.Tiers)
	}
	if s.Responses != nil {
		s.Responses.setDefaults()
	}
}

// defaultProviders are one provider per tier, named after it. A tier whose
// name is empty or already used gets none (validation reports the tier).
func defaultProviders(tiers []Tier) []Provider {
	ps := make([]Provider, 0, len(tiers))
	seen := map[string]bool{}
	for _, t := range tiers {
		if t.Name != "" && !seen[t.Name] {
			seen[t.Name] = true
			ps = append(ps, Provider{Name: t.Name, Tier: t.Name})
		}
	}
	return ps
}
