package render

import (
	"strconv"
	"strings"
	"testing"
)

// TestClauseNames: every clause a build error can name has the SQL spelling the error shows;
// a clause without one would make errors read "clause 9: ..." instead of "WHERE: ...".
func TestClauseNames(t *testing.T) {
	if s := ClauseNone.String(); s != "" {
		t.Errorf("ClauseNone.String() = %q, want empty", s)
	}
	seen := map[string]Clause{}
	for c := ClauseWith; c <= ClauseReturning; c++ {
		s := c.String()
		if s == "" || strings.HasPrefix(s, "clause ") || strings.ToUpper(s) != s {
			t.Errorf("Clause(%d).String() = %q, want its SQL keyword", c, s)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("Clause(%d) and Clause(%d) are both %q", prev, c, s)
		}
		seen[s] = c
	}
	unknown := ClauseReturning + 1
	if s, want := unknown.String(), "clause "+strconv.Itoa(int(unknown)); s != want {
		t.Errorf("an unknown clause reads %q, want %q", s, want)
	}
}
