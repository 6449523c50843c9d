package calibrate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// A Figure is one figure of the fit report: what the claims say, what the
// calibrated scenario's simulation gives, and how far apart they may be.
type Figure struct {
	Name      string
	Observed  float64
	Simulated float64
	// Tolerance is the largest difference accepted: three standard errors
	// of the difference of two independent samples the size of the claims
	// (3·√2 × the figure's standard error), and at least 2% of the
	// observed figure (a rate or a mean) or 1 point (a share). The
	// standard error is the larger of the one the claims give (Poisson
	// counts, binomial shares, the spread of the stays) and the spread of
	// the figure over replicate simulations, which also holds the
	// clustering of care in persons that a claims file cannot show.
	Tolerance float64
}

// OK reports whether the figure is fitted within its tolerance.
func (f Figure) OK() bool { return math.Abs(f.Simulated-f.Observed) <= f.Tolerance }

// k is the tolerance in standard errors of the observed figure: three
// standard errors of a difference of two samples of the same size.
var k = 3 * math.Sqrt2

const (
	relFloor   = 0.02 // of a rate or a mean
	shareFloor = 0.01 // of a share
)

func rateFigure(name string, obsN, simN, py, scale float64) Figure {
	o := obsN / py * scale
	return Figure{Name: name, Observed: o, Simulated: simN / py * scale,
		Tolerance: math.Max(k*math.Sqrt(obsN)/py*scale, relFloor*o)}
}

func meanFigure(name string, obs, sim moments) Figure {
	return Figure{Name: name, Observed: obs.mean(), Simulated: sim.mean(),
		Tolerance: math.Max(k*obs.se(), relFloor*obs.mean())}
}

// spreadFigure compares the pooled coefficients of variation of the stays
// (Tally.spread); the standard error of an observed cv over n stays is
// about cv × √((1 + 2cv²) ÷ 2n) (of a normal sample; heavier tails make it
// larger, which the replicates' spread holds).
func spreadFigure(name string, obs, sim *Tally, i int) Figure {
	o, n := obs.spread(i)
	s, _ := sim.spread(i)
	se := 0.0
	if n > 0 {
		se = o * math.Sqrt((1+2*o*o)/(2*float64(n)))
	}
	return Figure{Name: name, Observed: o, Simulated: s, Tolerance: math.Max(k*se, relFloor*o)}
}

func shareFigure(name string, obsN, obsTotal, simN, simTotal float64) Figure {
	p, q := 0.0, 0.0
	if obsTotal > 0 {
		p = obsN / obsTotal
	}
	if simTotal > 0 {
		q = simN / simTotal
	}
	se := 0.0
	if obsTotal > 0 {
		se = math.Sqrt(p * (1 - p) / obsTotal)
	}
	return Figure{Name: name, Observed: p, Simulated: q, Tolerance: math.Max(k*se, shareFloor)}
}

// Fit compares the tally of the claims with the tally of the simulation
// of the calibrated scenario, over personYears of the population table,
// figure by figure: the tiers in tiers' order, the groups in groups'
// order, the bands named bands. sd
// holds the standard deviation of figures over replicate simulations, by
// name (nil: none).
func Fit(obs, sim *Tally, tiers, groups, bands []string, personYears float64, sd map[string]float64) []Figure {
	fs := fit(obs, sim, tiers, groups, bands, personYears)
	for i := range fs {
		fs[i].Tolerance = math.Max(fs[i].Tolerance, k*sd[fs[i].Name])
	}
	return fs
}

// Spread is the standard deviation of each figure of the fit over
// replicate simulations, by name.
func Spread(obs *Tally, reps []*Tally, tiers, groups, bands []string, personYears float64) map[string]float64 {
	var s1, s2 = map[string]float64{}, map[string]float64{}
	for _, r := range reps {
		for _, f := range fit(obs, r, tiers, groups, bands, personYears) {
			s1[f.Name] += f.Simulated
			s2[f.Name] += f.Simulated * f.Simulated
		}
	}
	sd := map[string]float64{}
	n := float64(len(reps))
	if n < 2 {
		return sd
	}
	for name, s := range s1 {
		sd[name] = math.Sqrt(math.Max(0, (s2[name]-s*s/n)/(n-1)))
	}
	return sd
}

func fit(obs, sim *Tally, tiers, groups, bands []string, personYears float64) []Figure {
	py := personYears
	fs := []Figure{
		rateFigure("admissions per 100", obs.stays(), sim.stays(), py, 100),
		rateFigure("visits per person", obs.visits(), sim.visits(), py, 1),
	}
	for _, t := range tiers {
		ov, sv := obs.TierVisits[t], sim.TierVisits[t]
		if ov == nil && sv == nil {
			continue
		}
		var on, sn float64
		if ov != nil {
			on = float64(ov.N)
		}
		if sv != nil {
			sn = float64(sv.N)
		}
		fs = append(fs, shareFigure("visit share "+t, on, obs.visits(), sn, sim.visits()))
	}
	for _, t := range tiers {
		on, sn := obs.TierStays[t], sim.TierStays[t]
		if on == 0 && sn == 0 {
			continue
		}
		fs = append(fs, shareFigure("admission share "+t, float64(on), obs.stays(), float64(sn), sim.stays()))
	}
	for _, g := range groups {
		on, sn := obs.GroupStays[g], sim.GroupStays[g]
		if on == 0 && sn == 0 {
			continue
		}
		fs = append(fs, shareFigure("admission share "+g, float64(on), obs.stays(), float64(sn), sim.stays()))
	}
	fs = append(fs,
		meanFigure("mean LOS (days)", obs.LOS, sim.LOS),
		meanFigure("mean charges per stay", obs.Charges, sim.Charges),
		spreadFigure("cv of charges per stay", obs, sim, 0),
		spreadFigure("cv of LOS", obs, sim, 1),
		Figure{Name: "payout per enrollee", Observed: obs.Fund.Sum / py, Simulated: sim.Fund.Sum / py,
			Tolerance: math.Max(k*math.Sqrt(obs.Fund.Sum2)/py, relFloor*obs.Fund.Sum/py)},
	)
	for i, b := range bands {
		pyb := personYears / obs.table.Persons() * (obs.table.Bands[i].Persons[0] + obs.table.Bands[i].Persons[1])
		if pyb <= 0 {
			continue
		}
		fs = append(fs,
			rateFigure("admissions per 100, age "+b, obs.Stays[i], sim.Stays[i], pyb, 100),
			rateFigure("visits per person, age "+b, obs.Visits[i], sim.Visits[i], pyb, 1))
	}
	return fs
}

// WriteReport prints the fit report as a table.
func WriteReport(w io.Writer, fs []Figure) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "figure\tobserved\tsimulated\tdifference\ttolerance\tfit\t\n")
	n := 0
	for _, f := range fs {
		ok := "ok"
		if !f.OK() {
			ok = "OFF"
		} else {
			n++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", f.Name, Num(f.Observed), Num(f.Simulated), Num(f.Simulated-f.Observed), Num(f.Tolerance), ok)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d of %d figures within tolerance\n", n, len(fs))
	return err
}

// Num writes a figure as the fit report prints it: with four significant
// digits, or to the unit when it is larger.
func Num(x float64) string {
	if math.Abs(x) >= 1000 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// WriteCSV writes the fit report as CSV: figure, observed, simulated,
// difference, tolerance, within (1 or 0).
func WriteCSV(w io.Writer, fs []Figure) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"figure", "observed", "simulated", "difference", "tolerance", "within"})
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for _, f := range fs {
		ok := "0"
		if f.OK() {
			ok = "1"
		}
		cw.Write([]string{f.Name, g(f.Observed), g(f.Simulated), g(f.Simulated - f.Observed), g(f.Tolerance), ok})
	}
	cw.Flush()
	return cw.Error()
}
