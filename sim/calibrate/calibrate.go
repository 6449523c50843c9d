package calibrate

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/scenario"
)

// Options are what a calibration starts from.
type Options struct {
	ClaimsFile string // the claims file's name, for the comments of the scenario
	Claims     *Tally // the claims, tallied over the bands of Table
	Table      *Table
	// Load loads the base scenario with sets ("path=value") applied.
	Load       func(sets []string) (*scenario.Scenario, error)
	Seed       uint64 // the simulations' seed; 0: the base's
	Workers    int
	Iterations int // simulations of the fit at most; ≤ 0: 10
	// Replicates are the simulations, with other seeds, whose spread gives
	// the sampling error of each figure; ≤ 1: none, the claims' own.
	Replicates int
}

// A Result is a calibrated scenario: the values the claims determine, and
// the fit of the last simulation, which ran with them.
type Result struct {
	Fit        []Figure
	Iterations int            // simulations run
	Unmatched  map[string]int // claims the base has no place for, by what is missing
	Years      int            // years the claims span; the simulations ran as many
	Seed       uint64         // the seed of the fit's simulations
	// SD is the spread of each figure over the replicate simulations, by
	// name, that widens its tolerance.
	SD  map[string]float64
	opt Options
	p   params
}

type bandParams struct {
	name                string
	persons             float64
	visits, admissions  float64
	nVisits, nStays     int
	obsVisits, obsStays float64 // per person-year
}

type tierParams struct {
	name                      string
	visitCharges              float64
	nVisits, nStays           int
	visit, chronic, admission float64
	fitVisits, fitAdmissions  bool
	outpatient                bool
}

type cellParams struct {
	group, tier  string
	charges, los float64
	n            int
}

type mixParams struct {
	group string
	share float64 // of the background admissions
	fit   bool
}

type params struct {
	size int
	male float64
	// cv of charges and of LOS (variation.charges, variation.los), fitted
	// once a simulation has run.
	cv    [2]float64
	fitCV [2]bool
	mix   []mixParams // population.admissions, the base's groups
	bands []bandParams
	tiers []tierParams
	cells []cellParams
}

// Run calibrates the base scenario to the claims: it sets the groups'
// charges and LOS by tier, the tiers' visit charges, and the population
// (size, sexes, band weights) from the table, then simulates the
// scenario over the years the claims span and moves the bands' background
// rates, the case mix of background admissions, the tiers' choice
// constants and the spread of charges and LOS towards the observed figures,
// until every figure of the fit is within its tolerance or
// opt.Iterations simulations have run.
func Run(ctx context.Context, opt Options) (*Result, error) {
	if opt.Iterations <= 0 {
		opt.Iterations = 10
	}
	obs, tab := opt.Claims, opt.Table
	if obs.Years() == 0 {
		return nil, fmt.Errorf("%s: no claims to calibrate from", opt.ClaimsFile)
	}
	base, err := opt.Load(nil)
	if err != nil {
		return nil, err
	}
	r := &Result{opt: opt, Unmatched: map[string]int{}, Years: obs.Years()}
	if err := r.start(base); err != nil {
		return nil, err
	}
	py := tab.Persons() * float64(r.Years)
	tiers := make([]string, len(base.Tiers))
	for i, t := range base.Tiers {
		tiers[i] = t.Name
	}
	groups := make([]string, len(base.Groups))
	for i, g := range base.Groups {
		groups[i] = g.Name
	}
	bands := make([]string, len(r.p.bands))
	for i, b := range r.p.bands {
		bands[i] = b.name
	}
	load := func() (*scenario.Scenario, error) {
		s, err := opt.Load(append(r.p.sets(), "years="+strconv.Itoa(r.Years)))
		if err != nil {
			return nil, fmt.Errorf("calibrated scenario: %w", err)
		}
		return s, nil
	}
	s, err := load()
	if err != nil {
		return nil, err
	}
	seed := opt.Seed
	if seed == 0 {
		seed = s.Seed
	}
	r.Seed = seed
	var reps []*Tally
	for i := 1; i <= opt.Replicates && opt.Replicates > 1; i++ {
		st, err := Simulate(ctx, s, tab, seed+uint64(i), opt.Workers)
		if err != nil {
			return nil, err
		}
		reps = append(reps, st)
	}
	r.SD = Spread(obs, reps, tiers, groups, bands, py)
	for r.Iterations = 1; ; r.Iterations++ {
		if r.Iterations > 1 {
			if s, err = load(); err != nil {
				return nil, err
			}
		}
		st, err := Simulate(ctx, s, tab, seed, opt.Workers)
		if err != nil {
			return nil, err
		}
		r.Fit = Fit(obs, st, tiers, groups, bands, py, r.SD)
		if allOK(r.Fit) || r.Iterations >= opt.Iterations {
			return r, nil
		}
		r.p.update(obs, st)
	}
}

// Simulate runs the scenario's microsimulation with seed and tallies the
// claims it generates over the bands of tab.
func Simulate(ctx context.Context, s *scenario.Scenario, tab *Table, seed uint64, workers int) (*Tally, error) {
	t := NewTally(tab)
	err := sim.GenerateClaims(ctx, s, sim.Options{Seed: seed, Workers: workers}, func(c *claims.Claim) error {
		t.Add(c)
		return nil
	})
	return t, err
}

func allOK(fs []Figure) bool {
	for _, f := range fs {
		if !f.OK() {
			return false
		}
	}
	return true
}

// start sets what the claims and the table give directly, and the rest
// at the base's values.
func (r *Result) start(base *scenario.Scenario) error {
	obs, tab := r.opt.Claims, r.opt.Table
	p := &r.p
	n := tab.Persons()
	p.size = int(math.Round(n))
	var males float64
	for _, b := range tab.Bands {
		males += b.Persons[claims.Male]
	}
	p.male = males / n
	p.cv = [2]float64{base.Variation.Charges, base.Variation.LOS}
	if len(base.Population.AgeBands) != len(tab.Bands) {
		return bandsError(tab, base)
	}
	for i, b := range base.Population.AgeBands {
		tb := tab.Bands[i]
		last := i == len(tab.Bands)-1
		if b.From != tb.From || (b.To != tb.To && !last) {
			return bandsError(tab, base)
		}
		pyb := (tb.Persons[0] + tb.Persons[1]) * float64(obs.Years())
		bp := bandParams{name: b.Name, persons: tb.Persons[0] + tb.Persons[1], visits: b.Visits, admissions: b.Admissions,
			nVisits: int(obs.Visits[i]), nStays: int(obs.Stays[i])}
		if pyb > 0 {
			bp.obsVisits, bp.obsStays = obs.Visits[i]/pyb, obs.Stays[i]/pyb
		}
		p.bands = append(p.bands, bp)
	}
	for _, sh := range base.Population.Admissions {
		p.mix = append(p.mix, mixParams{group: sh.Name, share: sh.Value})
	}
	known := map[string]bool{}
	for _, t := range base.Tiers {
		known[t.Name] = true
		tp := tierParams{name: t.Name, visitCharges: t.VisitCharges, visit: t.Constants.Visit, chronic: t.Constants.Chronic,
			admission: t.Constants.Admission, nStays: obs.TierStays[t.Name], outpatient: t.Outpatient}
		if m := obs.TierVisits[t.Name]; m != nil && t.Outpatient {
			tp.nVisits = m.N
			tp.visitCharges = m.mean()
		}
		p.tiers = append(p.tiers, tp)
	}
	for t, m := range obs.TierVisits {
		if !known[t] {
			r.Unmatched["visits at a tier the base does not have"] += m.N
		} else if !r.tier(t).outpatient {
			r.Unmatched["visits at a tier that sees no outpatients in the base"] += m.N
		}
	}
	inBase := map[cell]bool{}
	for _, g := range base.Groups {
		for _, bt := range g.ByTier {
			k := cell{g.Name, bt.Tier}
			inBase[k] = true
			m := obs.cells[k]
			if m == nil || m[0].N == 0 || m[0].mean() <= 0 {
				continue
			}
			p.cells = append(p.cells, cellParams{group: g.Name, tier: bt.Tier, charges: m[0].mean(),
				los: math.Max(1, m[1].mean()), n: m[0].N})
		}
	}
	for k, m := range obs.cells {
		if !inBase[k] {
			r.Unmatched["stays of a group at a tier the base does not treat it at"] += m[0].N
		}
	}
	return nil
}

func (r *Result) tier(name string) *tierParams {
	for i := range r.p.tiers {
		if r.p.tiers[i].name == name {
			return &r.p.tiers[i]
		}
	}
	return nil
}

func bandsError(tab *Table, base *scenario.Scenario) error {
	var got, want []string
	for _, b := range tab.Bands {
		got = append(got, fmt.Sprintf("%d–%d", b.From, b.To))
	}
	for _, b := range base.Population.AgeBands {
		want = append(want, fmt.Sprintf("%d–%d", b.From, b.To))
	}
	return &claims.Error{Pos: claims.Pos{File: tab.File}, Msg: fmt.Sprintf("age bands %s; want the base scenario's bands %s",
		strings.Join(got, ", "), strings.Join(want, ", "))}
}

// update moves the background rates by the difference between the
// observed and the simulated rates of each band, and the choice constants
// by the log ratio of the observed to the simulated share of each tier
// (against the tier with the most claims, whose constants stay), a
// fixed-point step of the multinomial logit.
func (p *params) update(obs, st *Tally) {
	tab := obs.table
	years := float64(obs.Years())
	for i := range p.bands {
		b := &p.bands[i]
		pyb := (tab.Bands[i].Persons[0] + tab.Bands[i].Persons[1]) * years
		if pyb <= 0 {
			continue
		}
		b.visits = math.Max(0, b.visits+b.obsVisits-st.Visits[i]/pyb)
		b.admissions = math.Max(0, b.admissions+b.obsStays-st.Stays[i]/pyb)
	}
	step := func(o, s func(t *tierParams) float64, move func(t *tierParams, d float64)) {
		ref := -1
		for i := range p.tiers {
			t := &p.tiers[i]
			if o(t) > 0 && s(t) > 0 && (ref < 0 || o(t) > o(&p.tiers[ref])) {
				ref = i
			}
		}
		if ref < 0 {
			return
		}
		lr := math.Log(o(&p.tiers[ref]) / s(&p.tiers[ref]))
		for i := range p.tiers {
			t := &p.tiers[i]
			if i != ref && o(t) > 0 && s(t) > 0 {
				move(t, math.Log(o(t)/s(t))-lr)
			}
		}
	}
	// The spread of charges and LOS: each cv times the observed over the
	// simulated pooled cv (which rounding LOS to whole days and flooring it
	// at a day make larger than the cv drawn).
	for i := range p.cv {
		o, _ := obs.spread(i)
		s, _ := st.spread(i)
		if o > 0 && s > 0 {
			p.cv[i] = math.Min(5, p.cv[i]*o/s)
			if p.cv[i] == 0 {
				p.cv[i] = o
			}
			p.fitCV[i] = true
		}
	}
	// The case mix of background admissions: each group's share times its
	// observed over its simulated admissions (those the conditions cause
	// included), then scaled to sum to 1.
	var sum float64
	for i := range p.mix {
		m := &p.mix[i]
		o, s := float64(obs.GroupStays[m.group]), float64(st.GroupStays[m.group])
		switch {
		case o == 0:
			m.share = 0
		case s == 0 || m.share == 0:
			m.share = o / obs.stays()
		default:
			m.share *= o / s
		}
		m.fit = true
		sum += m.share
	}
	shares := make([]float64, len(p.mix))
	for i := range p.mix {
		if sum > 0 {
			shares[i] = p.mix[i].share / sum
		}
	}
	for i, x := range roundShares(shares) {
		p.mix[i].share = x
	}
	simVisits := func(t *tierParams) float64 {
		if m := st.TierVisits[t.name]; m != nil && t.outpatient {
			return float64(m.N)
		}
		return 0
	}
	step(func(t *tierParams) float64 { return float64(t.nVisits) }, simVisits, func(t *tierParams, d float64) {
		t.visit += d
		t.chronic += d
		t.fitVisits = true
	})
	step(func(t *tierParams) float64 { return float64(t.nStays) }, func(t *tierParams) float64 { return float64(st.TierStays[t.name]) },
		func(t *tierParams, d float64) {
			t.admission += d
			t.fitAdmissions = true
		})
}

// ftoa formats x with prec decimals. The written scenario and the sets of
// the fit's simulations format every value alike, so that the file is the
// scenario the fit simulated.
func ftoa(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

// mixShare writes a share of the case mix, rounded by roundShares.
func mixShare(x float64) string { return ftoa(x, 6) }

// roundShares rounds shares that sum to 1 to 6 decimals, the largest
// taking the rounding of the others, so that they still sum to 1 (to
// well within the 10⁻⁶ a scenario allows).
func roundShares(xs []float64) []float64 {
	out := make([]float64, len(xs))
	big, rest := 0, 0.0
	for i, x := range xs {
		out[i] = math.Round(x*1e6) / 1e6
		if x > xs[big] {
			big = i
		}
	}
	for i, x := range out {
		if i != big {
			rest += x
		}
	}
	if len(out) > 0 {
		out[big] = math.Round((1-rest)*1e6) / 1e6
	}
	return out
}

// weights are the bands' shares of the table, rounded by roundShares.
func (p *params) weights() []string {
	var n float64
	for _, b := range p.bands {
		n += b.persons
	}
	xs := make([]float64, len(p.bands))
	for i, b := range p.bands {
		xs[i] = b.persons / n
	}
	w := make([]string, len(p.bands))
	for i, x := range roundShares(xs) {
		w[i] = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return w
}

// sets are the calibrated values as --set overrides of the base.
func (p *params) sets() []string {
	s := []string{"population.size=" + strconv.Itoa(p.size), "population.male_share=" + ftoa(p.male, 6)}
	w := p.weights()
	for i, b := range p.bands {
		s = append(s, "population.age_bands."+b.name+".weight="+w[i],
			"population.age_bands."+b.name+".visits="+ftoa(b.visits, 6),
			"population.age_bands."+b.name+".admissions="+ftoa(b.admissions, 6))
	}
	for _, m := range p.mix {
		if m.fit {
			s = append(s, "population.admissions."+m.group+"="+mixShare(m.share))
		}
	}
	for _, t := range p.tiers {
		if t.nVisits > 0 {
			s = append(s, "tiers."+t.name+".visit_charges="+ftoa(t.visitCharges, 2))
		}
		if t.fitVisits {
			s = append(s, "tiers."+t.name+".constants.visit="+ftoa(t.visit, 6), "tiers."+t.name+".constants.chronic="+ftoa(t.chronic, 6))
		}
		if t.fitAdmissions {
			s = append(s, "tiers."+t.name+".constants.admission="+ftoa(t.admission, 6))
		}
	}
	for i, key := range []string{"variation.charges", "variation.los"} {
		if p.fitCV[i] {
			s = append(s, key+"="+ftoa(p.cv[i], 4))
		}
	}
	for _, c := range p.cells {
		s = append(s, "groups."+c.group+".by_tier."+c.tier+".charges="+ftoa(c.charges, 2),
			"groups."+c.group+".by_tier."+c.tier+".los="+ftoa(c.los, 2))
	}
	return s
}

// WriteYAML writes the calibrated scenario, named name, as a file that
// extends the base at the path extends (relative to the file written).
// Every value carries a comment saying where it was calibrated from.
func (r *Result) WriteYAML(w io.Writer, extends, name string) error {
	p, opt := &r.p, r.opt
	cf, tf := opt.ClaimsFile, opt.Table.File
	obs := opt.Claims
	n := 0
	for _, f := range r.Fit {
		if f.OK() {
			n++
		}
	}
	var head, tiers strings.Builder
	b := &head
	years := strconv.Itoa(obs.First)
	if obs.Last != obs.First {
		years += "–" + strconv.Itoa(obs.Last)
	}
	fmt.Fprintf(b, "# %s: %s calibrated by paysim calibrate from %s (%d claims, %s) and the\n", name, extends, cf, obs.Claims, years)
	fmt.Fprintf(b, "# population table %s (%d persons); %d of %d figures of the fit within tolerance\n", tf, p.size, n, len(r.Fit))
	fmt.Fprintf(b, "# after %d simulation(s), seed %d. What the claims do not determine is the base's.\n", r.Iterations, r.Seed)
	fmt.Fprintf(b, "extends: %s\nname: %s\n", extends, strconv.Quote(name))
	line := func(indent int, key, value, comment string) {
		l := strings.Repeat(" ", indent) + key + ": " + value
		if pad := 36 - len(l); pad > 0 {
			l += strings.Repeat(" ", pad)
		}
		fmt.Fprintf(b, "%s # %s\n", l, comment)
	}
	from := func(n int, what string) string {
		return fmt.Sprintf("calibrated from %s (%d claims): %s", cf, n, what)
	}
	fmt.Fprintf(b, "population:\n")
	line(2, "size", strconv.Itoa(p.size), fmt.Sprintf("calibrated from %s (%d persons)", tf, p.size))
	line(2, "male_share", ftoa(p.male, 6), fmt.Sprintf("calibrated from %s (%d persons): share of males", tf, p.size))
	fmt.Fprintf(b, "  age_bands:\n")
	wts := p.weights()
	for i, bp := range p.bands {
		fmt.Fprintf(b, "    - name: %s\n", strconv.Quote(bp.name))
		line(6, "weight", wts[i], fmt.Sprintf("calibrated from %s (%.0f persons of %d)", tf, bp.persons, p.size))
		line(6, "visits", ftoa(bp.visits, 6), from(bp.nVisits, fmt.Sprintf("background visits fitted to %.3f visits per person-year in all", bp.obsVisits)))
		line(6, "admissions", ftoa(bp.admissions, 6), from(bp.nStays, fmt.Sprintf("background admissions fitted to %.4f admissions per person-year in all", bp.obsStays)))
	}
	fitMix := false
	for _, m := range p.mix {
		fitMix = fitMix || m.fit
	}
	if fitMix {
		fmt.Fprintf(b, "  admissions:\n")
		for _, m := range p.mix {
			line(4, m.group, mixShare(m.share), from(obs.GroupStays[m.group], fmt.Sprintf("background case mix fitted to the group's %.1f%% of all admissions", 100*float64(obs.GroupStays[m.group])/obs.stays())))
		}
	}
	b = &tiers
	for _, t := range p.tiers {
		if t.nVisits == 0 && !t.fitVisits && !t.fitAdmissions {
			continue
		}
		fmt.Fprintf(b, "  - name: %s\n", strconv.Quote(t.name))
		if t.nVisits > 0 {
			line(4, "visit_charges", ftoa(t.visitCharges, 2), from(t.nVisits, "mean charges per visit"))
		}
		if t.fitVisits || t.fitAdmissions {
			fmt.Fprintf(b, "    constants:\n")
		}
		if t.fitVisits {
			share := fmt.Sprintf("fitted to the visit share %.1f%%", 100*float64(t.nVisits)/obs.visits())
			line(6, "visit", ftoa(t.visit, 6), from(t.nVisits, share))
			line(6, "chronic", ftoa(t.chronic, 6), from(t.nVisits, share+", moved with visit"))
		}
		if t.fitAdmissions {
			line(6, "admission", ftoa(t.admission, 6), from(t.nStays, fmt.Sprintf("fitted to the admission share %.1f%%", 100*float64(t.nStays)/obs.stays())))
		}
	}
	b = &head
	if tiers.Len() > 0 {
		b.WriteString("tiers:\n" + tiers.String())
	}
	if len(p.cells) > 0 {
		b.WriteString("groups:\n")
		last := ""
		for _, c := range p.cells { // grouped, in the base's order
			if c.group != last {
				fmt.Fprintf(b, "  - name: %s\n    by_tier:\n", strconv.Quote(c.group))
				last = c.group
			}
			fmt.Fprintf(b, "      - tier: %s\n", strconv.Quote(c.tier))
			line(8, "charges", ftoa(c.charges, 2), from(c.n, "mean charges per stay"))
			line(8, "los", ftoa(c.los, 2), from(c.n, "mean length of stay [days]"))
		}
	}
	if p.fitCV[0] || p.fitCV[1] {
		b.WriteString("variation:\n")
		for i, key := range []string{"charges", "los"} {
			if !p.fitCV[i] {
				continue
			}
			o, n := obs.spread(i)
			what := fmt.Sprintf("spread of each stay's %s around its group's mean at its tier fitted to the cv %.3f", []string{"charges", "LOS"}[i], o)
			if i == 0 {
				what += " (visits' charges take it too)"
			}
			line(2, key, ftoa(p.cv[i], 4), from(n, what))
		}
	}
	_, err := io.WriteString(w, head.String())
	return err
}
