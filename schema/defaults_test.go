package schema

import "testing"

// TestNormDefault: what each engine reads back normalises to what was written.
func TestNormDefault(t *testing.T) {
	for _, c := range []struct {
		written, read string
		same          bool
	}{
		{"'new'", "'new'::text", true},
		{"'x'", "'x'::character varying", true},
		{"-1", "'-1'::integer", true},
		{"0.50", "0.5", true},
		{"0", "'0'::double precision", true},
		{"TRUE", "true", true},
		{"TRUE", "1", true},
		{"FALSE", "0", true},
		{"CURRENT_TIMESTAMP", "current_timestamp()", true},
		{"CURRENT_TIMESTAMP", "now()", true},
		{"''", "''::text", true},
		{"'it''s'", "'it''s'::text", true},
		{"('a')", "'a'", true},
		{"'new'", "'old'::text", false},
		{"0", "1", false},
		{"TRUE", "false", false},
		{"'1'", "'2'", false},
		{"'007'", "'7'::text", false},
		{"7", "'7'::text", false},
		{"12.5", "'12.5'::numeric(10,2)", true},
	} {
		w, okw := normDefault(c.written)
		r, okr := normDefault(c.read)
		if !okw || !okr || (w == r) != c.same {
			t.Errorf("%s -> %q (%v), %s -> %q (%v); want same %v", c.written, w, okw, c.read, r, okr, c.same)
		}
	}
	for _, expr := range []string{"lower('A')", "'a' || 'b'", "(1 + 2)", "gen_random_uuid()"} {
		if _, ok := normDefault(expr); ok {
			t.Errorf("%s: an expression is not a literal", expr)
		}
	}
}
