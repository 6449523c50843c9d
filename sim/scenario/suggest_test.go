package scenario

import "testing"

func TestNearest(t *testing.T) {
	keys := []string{"name", "primary", "in_county", "capability", "constants"}
	tests := []struct {
		word  string
		among []string
		want  string
	}{
		{"capabilty", keys, "capability"}, // one letter left out
		{"capacity", keys, ""},            // 3 edits from capability; the limit in 8 letters is 2
		{"nmae", keys, "name"},            // two neighbours swapped: one edit
		{"primry", keys, "primary"},       // one deletion in 6 letters (limit 2)
		{"nam", keys, "name"},             // limit is at least one
		{"xy", keys, ""},                  // nothing near
		{"name", keys, ""},                // the word itself is no suggestion
		{"contry-ffs", []string{"county-dip", "county-ffs"}, "county-ffs"},
		{"county-drx", []string{"county-dip", "county-drg", "county-ffs"}, "county-drg"},
		{"runn", []string{"run", "runs"}, "run"},  // a tie goes to the first
		{"县医院", []string{"乡卫生院", "县医院甲"}, "县医院甲"}, // letters, not bytes
	}
	for _, tt := range tests {
		if got := Nearest(tt.word, tt.among); got != tt.want {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tt.word, tt.among, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3}, // k→s, e→i, +g
		{"ratoi", "ratio", 1},    // oi swapped
		{"ca", "abc", 3},         // optimal string alignment edits no letter twice
	}
	for _, tt := range tests {
		if got := editDistance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
