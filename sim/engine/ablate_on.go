//go:build ablate

package engine

import (
	"fmt"
	"os"
	"strings"
)

// In a build with the ablate tag, PAYSIM_ABLATE lists the parts of each
// person's cycle the engine leaves out, separated by commas, to measure
// where its time goes (docs/scale.md, "Where the time goes"):
//
//	conditions  the condition steps: no transitions, enrolment or needs
//	visits      the count of outpatient visits and the visits
//	all         everything after the death draw: the stream's reset, the
//	            tallies of the cycle's start and mortality remain
//
// The figures of an ablated run are wrong by design: it measures speed,
// never answers. Unset, the engine runs whole.
var ablateConditions, ablateVisits, ablateAll = ablations(os.Getenv("PAYSIM_ABLATE"))

func ablations(list string) (conditions, visits, all bool) {
	for _, part := range strings.Split(list, ",") {
		switch strings.TrimSpace(part) {
		case "":
		case "conditions":
			conditions = true
		case "visits":
			visits = true
		case "all":
			all = true
		default:
			fmt.Fprintf(os.Stderr, "PAYSIM_ABLATE: %q is not conditions, visits or all\n", part)
			os.Exit(2)
		}
	}
	return conditions, visits, all
}
