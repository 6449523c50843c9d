// Package scenarios is the library of scenario files embedded in the paysim
// binary.
package scenarios

import "embed"

// FS holds every scenario of the library, by its path below this folder.
//
//go:embed *.yaml teaching/*.yaml
var FS embed.FS

// Default is the scenario `paysim run` runs when given none.
const Default = "county-ffs.yaml"
