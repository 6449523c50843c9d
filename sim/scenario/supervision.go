package scenario

// Supervision is the insurance bureau's smart audit and anti-fraud work
// (智慧医保 监管) over every provider the fund pays (docs/mechanisms.md §1).
// From the year Since on, a share Detection of the unjustified claims is
// found: a case coded heavier than it is is paid at its true weight, and an
// induced episode's claim is denied (the provider bears its cost). The
// work costs the government CostPerEnrollee per enrollee-year: the
// Social Insurance Law (arts. 69, 72) keeps the fund from paying running
// costs, so the cost is reported beside the fund, not in it.
type Supervision struct {
	Detection       float64 `yaml:"detection"`         // d: share of the unjustified claims detected [0,1]
	CostPerEnrollee float64 `yaml:"cost_per_enrollee"` // the audit's cost to government [yuan per enrollee-year], ≥ 0
	// Since is the calendar year from which the audit is in force, a year
	// of the run; absent (0): from the first.
	Since int `yaml:"since"`
}

// Contracts are family-doctor contracts (家庭医生签约, docs/mechanisms.md
// §2): every person enrolled in the management of a condition holds one,
// and for each contracted person-year the township's primary provider is
// paid Fee, FundShare of it by the fund and the rest by the person.
type Contracts struct {
	Fee       float64 `yaml:"fee"`        // the contract fee [yuan per contracted person-year], ≥ 0
	FundShare float64 `yaml:"fund_share"` // the fund's share of the fee [0,1]; the person pays the rest
}

// Audits reports whether the scenario's audit is in force in year
// (0-based): it has a supervision block, and the year is not before since.
func (s *Scenario) Audits(year int) bool {
	sv := s.Supervision
	return sv != nil && (sv.Since == 0 || s.StartYear+year >= sv.Since)
}

// DetectionIn is the detection rate of the scenario's audit in year
// (0-based): 0 in a year it is not in force (Audits).
func (s *Scenario) DetectionIn(year int) float64 {
	if !s.Audits(year) {
		return 0
	}
	return s.Supervision.Detection
}

// supervision checks the supervision and contracts blocks: the rates are
// shares, the costs not negative, since a year of the run.
func (v *validator) supervision() {
	s := v.s
	if sv := s.Supervision; sv != nil {
		v.between("supervision.detection", sv.Detection, 0, 1)
		v.atLeast("supervision.cost_per_enrollee", sv.CostPerEnrollee, 0)
		if last := s.StartYear + s.Years - 1; sv.Since != 0 && (sv.Since < s.StartYear || sv.Since > last) {
			v.errorf("supervision.since", "supervision.since: %d is not a year of the run; want a year from %d to %d", sv.Since, s.StartYear, last)
		}
	}
	if c := s.Contracts; c != nil {
		v.atLeast("contracts.fee", c.Fee, 0)
		v.between("contracts.fund_share", c.FundShare, 0, 1)
		if ContractTier(s.Tiers) < 0 {
			v.errorf("contracts", "contracts: no primary tier sees outpatients; want a tier with primary: true and outpatient: true, whose provider holds the contracts")
		}
	}
}

// ContractTier is the index of the tier whose providers hold the family-
// doctor contracts: the highest primary tier that sees outpatients (the
// township health centre, where the family-doctor team is based), or −1.
func ContractTier(tiers []Tier) int {
	for t := len(tiers) - 1; t >= 0; t-- {
		if tiers[t].Primary && tiers[t].Outpatient {
			return t
		}
	}
	return -1
}
