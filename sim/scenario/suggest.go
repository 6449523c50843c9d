package scenario

// Nearest returns the word of among closest to word when it is close enough
// to be a likely misspelling of it (at most one edit in three letters, at
// least one), or "" when none is. Distance counts an inserted, deleted or
// replaced letter, or two neighbours swapped, as one edit; of words at the
// same distance the first in among wins. Nearest is what "did you mean"
// messages suggest, for scenario keys and names and for the command line.
func Nearest(word string, among []string) string {
	w := []rune(word)
	limit := max(1, len(w)/3)
	best, bestD := "", limit+1
	for _, c := range among {
		if c == word {
			continue
		}
		if d := editDistance(w, []rune(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// the fewest insertions, deletions, replacements and swaps of adjacent
// letters that turn a into b, no letter edited twice.
func editDistance(a, b []rune) int {
	// rows i-2, i-1 and i of the table of distances between prefixes
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// didYouMean is "; did you mean "x"?" for the nearest of among to word, or
// "" when none is near.
func didYouMean(word string, among []string) Phrase {
	if n := Nearest(word, among); n != "" {
		return phrase(`; did you mean %q?`, n)
	}
	return Phrase{}
}
