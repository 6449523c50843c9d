// Package budget is the global budget of a county medical community
// (按人头总额付费, MODEL §5): a per-capita budget the fund advances monthly,
// out of which the consortium pays its members by their rules; the fund pays
// care outside the consortium and charges it against the budget; at the
// year's end the surplus is shared, or the overspend covered in part.
package budget

// Params are a budget's parameters.
type Params struct {
	PerCapita    float64   // last year's per-capita fund spending before the first year [yuan]
	Growth       float64   // growth cap
	RiskReserve  float64   // share of the budget kept back as risk reserve
	Premium      float64   // share paid as serious-illness insurance premium
	PublicHealth float64   // public-health funds pooled in, per enrollee [yuan]; paid by government
	Advance      float64   // share of the insurance budget advanced monthly
	Alpha        float64   // share of a surplus the consortium keeps
	Beta         float64   // share of an overspend the fund covers
	Cap          float64   // the fund covers at most Cap × G of an overspend
	TierShare    []float64 // by tier: share of the consortium's result
}

// Budget is a consortium's budget from year to year.
type Budget struct {
	p    Params
	base float64 // last year's per-capita fund spending
}

// New returns the budget of p.
func New(p Params) *Budget { return &Budget{p: p, base: p.PerCapita} }

// Params returns the budget's parameters.
func (b *Budget) Params() Params { return b.p }

// Year is one year of a budget, in yuan.
type Year struct {
	Enrollees    float64 // persons at the year's start
	PerCapita    float64 // b: last year's per-capita fund spending × (1 + growth)
	Insurance    float64 // the fund's part of G: enrollees × b × (1 − risk reserve − premium)
	PublicHealth float64 // the pooled public-health part of G
	G            float64 // the budget: Insurance + PublicHealth
	Advanced     float64 // advances the fund paid during the year
	Internal     float64 // what the consortium paid its members
	Outside      float64 // the fund's payments for care outside the consortium, charged against G
	Surplus      float64 // S = G − (Internal + Outside); negative: an overspend
	Retained     float64 // the consortium's result: α·S, or −(the overspend it bears)
	FundCovered  float64 // of an overspend, what the fund covers: β·min(−S, cap·G)
	FundKept     float64 // of a surplus, what the fund keeps: (1 − α)·S
	Transfer     float64 // the year-end payment fund → consortium (negative: returned to the fund)
	FundOutlay   float64 // what the fund spent on the residents: advances + outside + transfer
}

// Open starts a year for the given enrollees: G = enrollees × base × (1 +
// growth) × (1 − risk reserve − premium) + enrollees × public health.
func (b *Budget) Open(enrollees float64) Year {
	p := &b.p
	y := Year{Enrollees: enrollees, PerCapita: b.base * (1 + p.Growth)}
	y.Insurance = enrollees * y.PerCapita * (1 - p.RiskReserve - p.Premium)
	y.PublicHealth = enrollees * p.PublicHealth
	y.G = y.Insurance + y.PublicHealth
	return y
}

// Advance is the fund's advance for one of cyclesPerYear cycles.
func (b *Budget) Advance(y *Year, cyclesPerYear int) float64 {
	return y.Insurance * b.p.Advance / float64(cyclesPerYear)
}

// Close settles the year from y.Advanced, y.Internal and y.Outside: the
// surplus or overspend, who keeps or bears it, and the year-end transfer
// that leaves the consortium with Internal + Retained, having received the
// advances and the public-health funds. The next year's budget starts from
// the fund's outlay per enrollee, grossed up by the deductions.
func (b *Budget) Close(y *Year) {
	p := &b.p
	y.Surplus = y.G - (y.Internal + y.Outside)
	if y.Surplus >= 0 {
		y.Retained = p.Alpha * y.Surplus
		y.FundKept = y.Surplus - y.Retained
	} else {
		y.FundCovered = p.Beta * min(-y.Surplus, p.Cap*y.G)
		y.Retained = y.Surplus + y.FundCovered
	}
	y.Transfer = y.Internal + y.Retained - y.Advanced - y.PublicHealth
	y.FundOutlay = y.Advanced + y.Outside + y.Transfer
	if y.Enrollees > 0 {
		// Next year's base is this year's per-capita spending before the
		// deductions, so that the reserve and premium are taken once a year,
		// not compounded: an outlay of exactly the insurance budget grows
		// next year's base by the growth cap.
		b.base = y.FundOutlay / (1 - p.RiskReserve - p.Premium) / y.Enrollees
	}
}
