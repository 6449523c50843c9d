package scenario

// dip checks a DIP block.
func (v *validator) dip(path string, d *DIP) {
	v.budget(path+".budget", &d.Budget)
	v.tierDist(path+".coefficients", d.Coefficients)
}
