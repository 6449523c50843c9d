// Package diff compares two paysim summaries figure by figure, with
// relative and absolute tolerances, for CI pipelines that guard a
// scenario's outputs against a committed baseline.
package diff

import (
	"encoding/json"
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Tol is a tolerance: new and old agree when |new − old| ≤ ATol + RTol × |old|.
type Tol struct {
	RTol float64 `yaml:"rtol"`
	ATol float64 `yaml:"atol"`
}

// Rule gives the figures whose path matches Path (path.Match syntax over
// the dotted path, * standing for one segment: "yearly.*.fund.reserve_months")
// their own tolerance.
type Rule struct {
	Path string `yaml:"path"`
	Tol  `yaml:",inline"`
}

// Tolerances are a default tolerance and per-figure overrides, the last
// matching rule winning.
type Tolerances struct {
	Default Tol    `yaml:"default"`
	Metrics []Rule `yaml:"metrics"`
}

// For returns the tolerance of the figure at p.
func (t *Tolerances) For(p string) Tol {
	tol := t.Default
	for _, r := range t.Metrics {
		if ok, _ := path.Match(strings.ReplaceAll(r.Path, ".", "/"), strings.ReplaceAll(p, ".", "/")); ok {
			tol = r.Tol
		}
	}
	return tol
}

// A Difference is one figure that moved, or is on one side only.
type Difference struct {
	Path     string
	Old, New string  // as written; "" when absent on that side
	Abs, Rel float64 // |new − old| and |new − old| ÷ |old| for numbers
	Tol      Tol
	Beyond   bool // beyond tolerance (or absent on one side, or a changed text)
}

func (d Difference) String() string {
	verdict := "within tolerance"
	if d.Beyond {
		verdict = "BEYOND tolerance"
	}
	switch {
	case d.Old == "":
		return fmt.Sprintf("%s: only in new (%s)", d.Path, d.New)
	case d.New == "":
		return fmt.Sprintf("%s: only in old (%s)", d.Path, d.Old)
	}
	return fmt.Sprintf("%s: %s → %s (Δ %.6g, %.3g%%; tolerance rtol %g atol %g): %s",
		d.Path, d.Old, d.New, d.Abs, 100*d.Rel, d.Tol.RTol, d.Tol.ATol, verdict)
}

// Check reports a tolerance that is negative or not a number: it would make
// every figure, or none, move.
func (t *Tolerances) Check() error {
	check := func(where string, x Tol) error {
		for _, v := range []struct {
			name string
			x    float64
		}{{"rtol", x.RTol}, {"atol", x.ATol}} {
			if !(v.x >= 0) || math.IsInf(v.x, 0) {
				return fmt.Errorf("%s %s: %v; want a finite number at least 0", where, v.name, v.x)
			}
		}
		return nil
	}
	if err := check("default", t.Default); err != nil {
		return err
	}
	for i, r := range t.Metrics {
		if err := check(fmt.Sprintf("metrics[%d] (%s)", i, r.Path), r.Tol); err != nil {
			return err
		}
		if _, err := path.Match(strings.ReplaceAll(r.Path, ".", "/"), ""); err != nil {
			return fmt.Errorf("metrics[%d] path %q: %w; want a dotted path, * standing for one segment", i, r.Path, err)
		}
	}
	return nil
}

// Compare compares two JSON summaries and returns every figure that differs,
// sorted by path, and the number of figures compared. It fails when a
// tolerance is negative or two items of one list would share a path.
func Compare(oldJSON, newJSON []byte, tol *Tolerances) ([]Difference, int, error) {
	if err := tol.Check(); err != nil {
		return nil, 0, fmt.Errorf("tolerance %w", err)
	}
	var o, n any
	if err := json.Unmarshal(oldJSON, &o); err != nil {
		return nil, 0, fmt.Errorf("old: %w", err)
	}
	if err := json.Unmarshal(newJSON, &n); err != nil {
		return nil, 0, fmt.Errorf("new: %w", err)
	}
	of, nf := map[string]any{}, map[string]any{}
	if err := flatten("", o, of); err != nil {
		return nil, 0, fmt.Errorf("old: %w", err)
	}
	if err := flatten("", n, nf); err != nil {
		return nil, 0, fmt.Errorf("new: %w", err)
	}
	// Money is compared only in one currency; a summary from before the
	// currency was recorded counts in yuan.
	if co, cn := currency(of), currency(nf); co != cn {
		return nil, 0, fmt.Errorf("old counts money in %s, new in %s; want summaries in one currency", co, cn)
	}
	delete(of, "currency")
	delete(nf, "currency")
	paths := map[string]bool{}
	for p := range of {
		paths[p] = true
	}
	for p := range nf {
		paths[p] = true
	}
	var out []Difference
	for _, p := range identity {
		delete(paths, p)
	}
	for p := range paths {
		ov, oin := of[p]
		nv, nin := nf[p]
		d := Difference{Path: p, Tol: tol.For(p)}
		if oin {
			d.Old = text(ov)
		}
		if nin {
			d.New = text(nv)
		}
		switch {
		case !oin || !nin:
			d.Beyond = true
		default:
			ox, ok1 := ov.(float64)
			nx, ok2 := nv.(float64)
			if !ok1 || !ok2 {
				if d.Old == d.New {
					continue
				}
				d.Beyond = true
				break
			}
			if ox == nx {
				continue
			}
			d.Abs = math.Abs(nx - ox)
			if ox != 0 {
				d.Rel = d.Abs / math.Abs(ox)
			} else {
				d.Rel = math.Inf(1)
			}
			d.Beyond = d.Abs > d.Tol.ATol+d.Tol.RTol*math.Abs(ox)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, len(paths), nil
}

// currency is the currency of a flattened summary: its "currency", CNY
// when it has none.
func currency(f map[string]any) string {
	if c, ok := f["currency"].(string); ok {
		return c
	}
	return "CNY"
}

// identity are the figures that name a run rather than result from it: two
// runs with different seeds are compared on their results.
var identity = []string{"seed"}

// keys name the items of a list of objects in paths, in this order of
// preference, the most particular first: a year by its year, a provider by
// its name (not by its tier, which it shares with others), a rule by its
// name, a tier by its tier.
var keys = []string{"year", "provider", "name", "tier"}

// flatten records every leaf of v under its dotted path. Two items of a
// list that would share a path are an error: one would hide the other.
func flatten(prefix string, v any, out map[string]any) error {
	join := func(seg string) string {
		if prefix == "" {
			return seg
		}
		return prefix + "." + seg
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if err := flatten(join(k), e, out); err != nil {
				return err
			}
		}
	case []any:
		seen := map[string]int{}
		for i, e := range x {
			seg := strconv.Itoa(i)
			if m, ok := e.(map[string]any); ok {
				for _, k := range keys {
					if id, ok := m[k]; ok {
						seg = text(id)
						break
					}
				}
			}
			if j, dup := seen[seg]; dup {
				return fmt.Errorf("list %q: items %d and %d are both %q; want each item of a list named once", prefix, j, i, seg)
			}
			seen[seg] = i
			if err := flatten(join(seg), e, out); err != nil {
				return err
			}
		}
	default:
		if _, dup := out[prefix]; dup {
			return fmt.Errorf("%q names two figures (a key with a dot in it?); want each figure at a path of its own", prefix)
		}
		out[prefix] = v
	}
	return nil
}

// text writes a JSON leaf.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
