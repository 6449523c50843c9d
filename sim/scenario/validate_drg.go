package scenario

// drg checks a DRG block.
func (v *validator) drg(path string, d *DRG) {
	if d.Mode != "" && d.Mode != "rate" && d.Mode != "points" {
		v.errorf(path+".mode", "%s.mode: %q is not known; want rate or points", path, d.Mode)
	}
	if d.Budget != nil {
		v.budget(path+".budget", d.Budget)
	}
	v.tierDist(path+".coefficients", d.Coefficients)
}
